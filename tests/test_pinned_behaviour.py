"""Behaviour that mutating the code once showed no test held (issue 27: five surviving mutants).
Each test states the behaviour a user sees, through the CLI or a public function, so it holds
whichever way the code is written, and fails when the behaviour changes:

- the mastered box waits exactly 21 days (drill/schedule.py);
- an inline suppression on the line above a finding suppresses it, and one further up does not;
- a suppression without a reason says none was given;
- evaluate's JSON counts every expectation it checked (decisions, open, fires, does_not_fire, warns);
- the drill's distractors are the overruled choices first, when there are more choices than slots.
"""

from __future__ import annotations

import json
import random

import pytest
import yaml
from hostile.harness import run, strict_json

DAY = 24 * 60 * 60


# --- the drill's mastered box -----------------------------------------------------------------

def test_a_mastered_question_comes_back_after_exactly_three_weeks(tmp_path):
    from advisor.drill.store import ProgressStore

    with ProgressStore(tmp_path / "d.sqlite3") as store:
        session = store.start_session(started_at=0.0, seed=1, planned=6, section=None, decision=None)
        boxes = []
        for n in range(5):  # right every time: boxes 2, 3, 4, then 5 (mastered), and 5 again
            answered = 1_000_000.0 + n * 100 * DAY
            boxes.append(store.record_answer(session_id=session, question_id="q1", decision="sampling",
                                             section="experiment", facts={}, origin="generated", description=None,
                                             choice="grid", correct_choice="grid", answered_at=answered,
                                             seconds=1.0))
            if boxes[-1] == 5:
                assert [q.id for q in store.waiting_questions(answered + 21 * DAY - 1)] == ["q1"]
                assert [q.id for q in store.due_questions(answered + 21 * DAY - 1)] == []
                assert [q.id for q in store.due_questions(answered + 21 * DAY)] == ["q1"]
        assert boxes == [2, 3, 4, 5, 5]


# --- inline suppressions: the line above, and no reason given ----------------------------------

def _review(path, *args):
    return run("review", str(path), "--no-config", *args)


def test_a_suppression_on_the_line_above_suppresses_and_one_further_up_does_not(tmp_path):
    above = tmp_path / "above.yml"
    above.write_text("type: amlcompute\nname: c\n# advisor: ignore[review.cluster-max-zero] parked until Q3\n"
                     "max_instances: 0\n", encoding="utf-8")
    result = _review(above, "--verbose")  # suppressed findings are listed with --verbose, counted always
    assert result.code == 0, result.stdout
    assert "review.cluster-max-zero" in result.stdout  # reported as suppressed, not dropped

    further = tmp_path / "further.yml"
    further.write_text("type: amlcompute\nname: c\n# advisor: ignore[review.cluster-max-zero] parked until Q3\n"
                       "min_instances: 0\nmax_instances: 0\n", encoding="utf-8")
    assert _review(further).code == 1


def test_a_suppression_without_a_reason_says_none_was_given(tmp_path):
    path = tmp_path / "c.yml"
    path.write_text("type: amlcompute\nname: c\nmax_instances: 0  # advisor: ignore[review.cluster-max-zero]\n",
                    encoding="utf-8")
    result = _review(path, "--format", "sarif")
    assert result.code == 0, result.stderr
    [parked] = [r for r in strict_json(result.stdout)["runs"][0]["results"] if r["ruleId"] == "review.cluster-max-zero"]
    assert parked["suppressions"] == [{"kind": "inSource", "justification": "no reason given"}]


# --- evaluate's JSON: how many expectations were checked --------------------------------------

def test_evaluate_counts_every_kind_of_expectation(advisor, tmp_path):
    facts = {"data_location": "adls_gen2"}  # fires the warning assets.prefer-datastores-over-direct-uris
    consultation = advisor.consult(facts)
    fired = sorted(consultation.fired_ids())
    warned = sorted({w.rule_id for w in consultation.warnings})
    decided = {r.decision: r.choice for r in consultation.recommendations}
    knowledge = advisor.knowledge
    silent = sorted(r.id for r in knowledge.rules if r.id not in fired)[:3]
    undecided = sorted(d.name for d in knowledge.vocabulary.decisions if d.name not in decided)[:2]
    single = {name: choice for name, choice in decided.items() if not knowledge.vocabulary.decision(name).multiple}
    expect = {"decisions": dict(list(single.items())[:1]), "open": undecided, "fires": fired[:2],
              "does_not_fire": silent, "warns": warned[:1]}
    assert [len(v) for v in expect.values()] == [1, 2, 2, 3, 1]  # every kind counted, each a different number
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump({"name": "every kind", "facts": facts, "expect": expect}), encoding="utf-8")
    result = run("evaluate", str(scenario), "--format", "json")
    assert result.code == 0, result.stdout
    [report] = json.loads(result.stdout)["results"]
    assert report["status"] == "passed" and report["checks"] == 9


# --- the drill's distractors: overruled choices first ---------------------------------------

@pytest.mark.parametrize("seed", range(12))
def test_overruled_choices_take_the_distractor_slots_first(advisor, seed, monkeypatch):
    # The service guidelines no longer overrule each other (none is ranked: issue 21), so the
    # sweep's sampling carries this pin: grid (ranked by its own sentence) overrules Sobol and
    # the random default; with two slots, Bayesian (proposed by nothing) never takes one.
    from advisor.drill import questions

    monkeypatch.setattr(questions, "MAX_OPTIONS", 3)
    knowledge = advisor.knowledge
    # learn_from_previous_trials stated: a key never depends on a fact the scenario leaves open (issue 23)
    consultation = advisor.consult({"hyperparameter_expressions": ["choice"], "try_every_combination": True,
                                    "reproducible_results": True, "learn_from_previous_trials": False})
    overruled = {a.choice for a in consultation.recommendation("sampling").alternatives}
    choices = knowledge.vocabulary.decision("sampling").choices
    assert overruled == {"sobol", "random"}
    assert len(choices) - 1 > questions.MAX_OPTIONS - 1  # more wrong choices than slots: the order decides
    q = questions.build_question(consultation, "sampling", knowledge, random.Random(seed))
    assert q.correct == "grid"
    assert overruled <= set(q.distractors), (seed, q.options)


# --- the non-Optional lookups (mypy --strict on advisor/engine and advisor/knowledge) ---------

def test_require_lookups_return_what_exists_and_name_what_does_not(knowledge):
    rule = knowledge.rules[0]
    assert knowledge.require_rule(rule.id) is rule
    fact, decision = knowledge.vocabulary.facts[0], knowledge.vocabulary.decisions[0]
    assert knowledge.vocabulary.require_fact(fact.name) is fact
    assert knowledge.vocabulary.require_decision(decision.name) is decision
    for lookup, name in ((knowledge.require_rule, "no.such-rule"), (knowledge.vocabulary.require_fact, "no_fact"),
                         (knowledge.vocabulary.require_decision, "no_decision")):
        with pytest.raises(KeyError, match=name):
            lookup(name)
