"""Drill questions: one correct choice per the engine, plausible distractors, reproducible sessions."""

from __future__ import annotations

import itertools
import random

import pytest

from advisor.drill.feedback import grade
from advisor.drill.library import LibrarySource
from advisor.drill.questions import build_question, resolve_answer
from advisor.drill.session import DrillOptions, DrillSession
from advisor.drill.store import ProgressStore
from advisor.errors import AdvisorError

LIBRARY_SCENARIO = """\
name: Nightly photo scoring
description: Product photos are classified every night.
facts:
  ml_task: computer_vision
  data_format: unstructured
  prediction_timing: at_set_times
  trained_with_mlflow: true
"""


def plan(advisor, tmp_path, seed, count, **options):
    """The questions a fresh session with this seed asks (nothing answered)."""
    path = tmp_path / f"plan-{seed}-{random.random()}.sqlite3"
    with ProgressStore(path) as store:
        session = DrillSession(advisor, store, DrillOptions(count=count, seed=seed, **options))
        return list(itertools.islice(session.questions(), count))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_every_generated_question_has_exactly_one_correct_choice(advisor, tmp_path, seed):
    questions = plan(advisor, tmp_path, seed, 50)
    assert len(questions) == 50
    for q in questions:
        spec = advisor.knowledge.vocabulary.decision(q.decision)
        fresh = advisor.consult(q.facts)  # an independent run of the engine on the scenario
        recommended = set(fresh.chosen(q.decision))
        assert q.correct in recommended, (q.decision, q.facts)
        assert not set(q.distractors) & recommended, (q.decision, q.facts, q.options)
        assert len(q.options) == len(set(q.options)) >= 2
        assert set(q.options) <= set(spec.choices)
        if not spec.multiple:
            assert not fresh.recommendation(q.decision).contested
            assert recommended == {q.correct}


def test_generation_reaches_most_decisions(advisor, tmp_path):
    questions = plan(advisor, tmp_path, 99, 250)  # 69 decisions since the language-model domain: ~3.6 questions each
    asked = {q.decision for q in questions}
    with_rules = {d.name for d in advisor.knowledge.vocabulary.decisions if advisor.knowledge.producers(d.name)}
    assert len(asked) >= len(with_rules) - 3, sorted(with_rules - asked)
    assert len({q.id for q in questions}) == len(questions)  # no repeats within a session


def test_same_seed_gives_the_same_session(advisor, tmp_path):
    first = plan(advisor, tmp_path, 42, 12)
    again = plan(advisor, tmp_path, 42, 12)
    other = plan(advisor, tmp_path, 43, 12)
    assert [(q.id, q.options) for q in first] == [(q.id, q.options) for q in again]
    assert [q.id for q in first] != [q.id for q in other]


def test_section_and_decision_filters(advisor, tmp_path):
    vocabulary = advisor.knowledge.vocabulary
    optimize = plan(advisor, tmp_path, 5, 10, section="optimize")
    assert optimize and {vocabulary.decision(q.decision).section for q in optimize} == {"optimize"}
    sampling = plan(advisor, tmp_path, 5, 8, decision="sampling")
    assert len(sampling) == 8 and {q.decision for q in sampling} == {"sampling"}
    with pytest.raises(AdvisorError, match="unknown section 'deployment'"):
        plan(advisor, tmp_path, 5, 3, section="deployment")
    with pytest.raises(AdvisorError, match="unknown decision 'sampler'"):
        plan(advisor, tmp_path, 5, 3, decision="sampler")


def test_multiple_choice_decision_offers_exactly_one_recommended_option(advisor, knowledge):
    facts = {"access_needs": ("run_experiments", "manage_compute")}
    consultation = advisor.consult(facts)
    assert set(consultation.chosen("rbac_role")) == {"azureml_data_scientist", "azureml_compute_operator"}
    for seed in range(10):
        q = build_question(consultation, "rbac_role", knowledge, random.Random(seed))
        assert len([o for o in q.options if o in q.recommended]) == 1
        assert q.correct in q.recommended


def test_decision_where_every_choice_is_recommended_is_not_asked(advisor, knowledge):
    consultation = advisor.consult({"works_in_notebooks": True, "fixed_working_hours": True})
    assert set(consultation.chosen("instance_cost_controls")) == {"idle_shutdown", "start_stop_schedule"}
    assert build_question(consultation, "instance_cost_controls", knowledge, random.Random(0)) is None


def test_contested_decision_is_not_asked(rule_base):
    """The shipped rules never contest (see test_every_generated_question...); a copy with a rival rule does."""
    from advisor.engine.advisor import Advisor

    rules = rule_base(shipped_rules=True).append("mlops.yaml", """
  - id: mlops.rival-single-workspace
    title: A rival of separate workspaces, with the same rank
    section: design
    when: {retrain_when: fixed_interval}
    then: {recommend: {workspace_layout: single_workspace}}
    because: Only for this test.
    source: https://learn.microsoft.com/en-gb/training/modules/design-machine-learning-operations-solution/4-design-retraining
""")
    rival = Advisor(rules.load())
    consultation = rival.consult({"needs_access_separation": True, "retrain_when": "fixed_interval"})
    assert consultation.recommendation("workspace_layout").contested
    assert build_question(consultation, "workspace_layout", rival.knowledge, random.Random(0)) is None
    # The other decision of the same scenario is still a fine question.
    assert build_question(consultation, "retraining_trigger", rival.knowledge, random.Random(0)) is not None


def sampling_question(advisor, knowledge):
    facts = {"try_every_combination": True, "reproducible_results": True,
             "hyperparameter_expressions": ("choice",)}
    q = build_question(advisor.consult(facts), "sampling", knowledge, random.Random(1))
    assert q.correct == "grid" and set(q.options) == {"grid", "random", "sobol", "bayesian"}
    return q


def test_overruled_choices_are_the_first_distractors(advisor, knowledge):
    facts = {"prediction_timing": "as_data_arrives", "manage_own_kubernetes": True}
    consultation = advisor.consult(facts)
    q = build_question(consultation, "endpoint_type", knowledge, random.Random(0))
    assert q.correct == "kubernetes_online"
    overruled = {a.choice for a in consultation.recommendation("endpoint_type").alternatives}
    assert overruled == {"managed_online"} and "managed_online" in q.options


def test_right_answer_feedback_has_the_derivation(advisor, knowledge):
    q = sampling_question(advisor, knowledge)
    feedback = grade(q, "grid", knowledge)
    assert feedback.correct and feedback.why_not == ()
    assert [n.rule_id for n in feedback.derivation] == ["sweep.grid-for-every-combination"]


def test_wrong_answer_that_was_overruled_says_by_which_rule(advisor, knowledge):
    q = sampling_question(advisor, knowledge)
    feedback = grade(q, "sobol", knowledge)
    assert not feedback.correct
    assert len(feedback.why_not) == 1
    assert "proposed by sweep.sobol-for-reproducibility" in feedback.why_not[0]
    assert "overruled by sweep.grid-for-every-combination: higher priority (20 over 10)" in feedback.why_not[0]


def test_wrong_answer_names_the_failing_condition(advisor, knowledge):
    q = sampling_question(advisor, knowledge)
    feedback = grade(q, "bayesian", knowledge)
    assert feedback.why_not == (
        "sweep.bayesian-learns-from-results would recommend Bayesian sampling, but only when "
        "learn_from_previous_trials is true; this scenario does not say (Should new trials be chosen "
        "based on how earlier trials performed?).",
        "sweep.existing-bayesian-kept would recommend Bayesian sampling, but only when planned_sampling "
        "is bayesian; this scenario does not say (Which sampling algorithm does your sweep job already "
        "use, if any?).")
    storage = build_question(advisor.consult({"data_source": "files", "dataset_size": "small"}),
                             "training_data_store", knowledge, random.Random(0))
    why = grade(storage, "azure_sql", knowledge).why_not
    assert why == ("services.sql-for-relational would recommend Azure SQL Database, but only when "
                   "data_source is relational_database; here it is: Files (CSV, Parquet, images, documents).",)


def test_resolve_answer_by_number_or_name(advisor, knowledge):
    q = sampling_question(advisor, knowledge)
    assert resolve_answer("1", q) == q.options[0]
    assert resolve_answer(" bayesian \n", q) == "bayesian"
    for bad in ("0", "5", "Grid sampling", ""):
        with pytest.raises(ValueError, match="not one of the offered choices"):
            resolve_answer(bad, q)


def test_library_is_read_lazily_and_bad_files_are_skipped(advisor, tmp_path):
    library = tmp_path / "library"
    (library / "deploy").mkdir(parents=True)
    (library / "deploy" / "photos.yaml").write_text(LIBRARY_SCENARIO)
    (library / "broken.yaml").write_text("name: [unclosed\n")
    (library / "nothing-decided.yaml").write_text("name: Empty\nfacts: {}\n")
    source = LibrarySource(library, advisor, random.Random(0), lambda decision: True)
    questions = list(source.questions())
    assert source.skipped == ["broken.yaml"]
    assert {q.origin for q in questions} == {"library:deploy/photos.yaml"}
    expected = {"processor", "scoring_mode", "endpoint_type", "model_type", "deployment_compute",
                "scoring_assets"}
    assert expected <= {q.decision for q in questions}
    assert all(q.description.startswith("Nightly photo scoring: Product photos") for q in questions)
    lazy = LibrarySource(library, advisor, random.Random(0), lambda decision: True).questions()
    first = next(lazy)  # one question needs one file, not the whole library
    assert first.origin.startswith("library:")


def test_session_mixes_library_and_generated_questions(advisor, tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    (library / "photos.yaml").write_text(LIBRARY_SCENARIO)
    questions = plan(advisor, tmp_path, 8, 20, library=library)
    origins = {q.origin.split(":")[0] for q in questions}
    assert origins == {"library", "generated"}


def test_no_question_where_the_advisor_reports_that_sources_disagree(advisor, knowledge):
    consultation = advisor.consult({"learn_from_previous_trials": True, "hyperparameter_expressions": ("uniform",)})
    assert consultation.chosen("sampling") == ("bayesian",)
    assert any(w.kind == "sources_disagree" for w in consultation.warnings)
    assert build_question(consultation, "sampling", knowledge, random.Random(0)) is None


def test_feedback_carries_the_advisors_warnings_for_the_section(advisor, knowledge):
    facts = {"try_every_combination": True, "reproducible_results": True,
             "hyperparameter_expressions": ("choice", "uniform")}
    q = build_question(advisor.consult(facts), "sampling", knowledge, random.Random(2))
    assert q.correct == "sobol"
    feedback = grade(q, "grid", knowledge)
    assert [w.rule_id for w in feedback.warnings] == ["sweep.grid-needs-choice"]
    assert feedback.why_not == ("sweep.grid-for-every-combination would recommend Grid sampling, but only when "
                                "hyperparameter_expressions uses only choice; here it is: choice (a list of "
                                "discrete values), uniform.",
                                "sweep.existing-grid-kept would recommend Grid sampling, but only when "
                                "planned_sampling is grid; this scenario does not say (Which sampling algorithm "
                                "does your sweep job already use, if any?).")


def test_generator_makes_every_rule_fire(advisor, knowledge):
    """For each rule that recommends or concludes, some generated scenario makes the real engine fire it."""
    from advisor.drill.generator import ScenarioGenerator

    generator = ScenarioGenerator(knowledge)
    never = []
    for rule in knowledge.rules:
        if rule.conclusion.kind == "warn":
            continue
        for attempt in range(30):
            facts = generator.facts_for(rule, random.Random(f"{rule.id}:{attempt}"))
            if facts is not None and rule.id in advisor.consult(facts).fired_ids():
                assert all(not knowledge.vocabulary.fact(name).derived for name in facts)
                break
        else:
            never.append(rule.id)
    assert never == []


def test_no_question_states_its_own_answer_as_the_existing_setup(advisor, knowledge):
    """A review scenario saying "your sweep job already uses: grid" is never asked for the sampling
    method (nor a cluster's tier, a deployment's model or endpoint type, a job's data asset type)."""
    from conftest import SCENARIOS

    from advisor.drill.questions import stated_setup, usable_decisions
    from advisor.scenarios import load_scenario

    described = {f.name: f.describes for f in knowledge.vocabulary.facts if f.describes}
    assert described["planned_sampling"] == "sampling"
    checked = 0
    for path in sorted(SCENARIOS.rglob("*.yaml")):
        facts = load_scenario(path, knowledge).facts
        stated = {described[name] for name in facts if name in described}
        if not stated:
            continue
        checked += 1
        consultation = advisor.consult(facts)
        assert stated == stated_setup(facts, knowledge)
        assert not stated & set(usable_decisions(consultation, knowledge)), path.name
        for decision in stated:
            assert build_question(consultation, decision, knowledge, random.Random(0)) is None
    assert checked >= 10


def test_every_existing_setup_fact_naming_a_decisions_choices_says_which(knowledge):
    """A fact stating what a setup already uses, in a decision's own choices, must declare
    `describes:` so drills hide that decision (or a new review fact would give answers away)."""
    vocabulary = knowledge.vocabulary
    missing = [f"{fact.name} -> {decision.name}" for fact in vocabulary.facts
               if fact.existing_setup and fact.type == "choice"
               for decision in vocabulary.decisions
               if len(set(fact.values) & set(decision.choices)) >= 2 and fact.describes != decision.name]
    assert missing == []
