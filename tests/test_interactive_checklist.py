"""Yes-only facts asked together in one checklist, driven through the real prompts with key presses.

A yes/no fact that no rule tests for "no" decides alike on "no" and "don't know"; the planner
asks such facts together ("Which of these apply?"), ticked meaning yes and unticked no.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import replace

import pytest
from conftest import SCENARIOS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_interactive import BACK, DONT_KNOW, ENTER, WHY, Keys, KeyTerminal, Queue, checklist_facts, run, session

from advisor.interactive import Interrupted, Planner
from advisor.interactive.planner import CHECKLIST_SIZE, yes_only_facts
from advisor.interactive.prompts import CHECKLIST_KEY, CHECKLIST_MESSAGE
from advisor.knowledge.conditions import leaf_holds, leaves
from advisor.scenarios import load_scenario

EXPRESSIONS = ("choice", "uniform")
CHECKLIST = ["learn_from_previous_trials", "reproducible_results", "try_every_combination"]


def checklists(terminal: KeyTerminal):
    return [p for p in terminal.questions if p.key == CHECKLIST_KEY]


def test_yes_only_facts_are_the_yes_no_facts_no_rule_tests_for_no(knowledge):
    yes_only = yes_only_facts(knowledge)
    bools = {f.name for f in knowledge.vocabulary.input_facts if f.type == "bool"}
    tested_for_no = {leaf.subject for rule in knowledge.rules for leaf in leaves(rule.condition)
                     if leaf.subject in bools and leaf_holds(leaf.op, False, leaf.operand)}
    assert yes_only and tested_for_no, "the shipped rules have both kinds"
    assert yes_only == bools - tested_for_no
    assert "prebuilt_model_fits" in yes_only and "trained_with_mlflow" not in yes_only


def test_a_rule_testing_for_no_takes_its_fact_out_of_checklists(rule_base):
    base = rule_base(shipped_rules=True)
    assert "needs_kubernetes_control" in yes_only_facts(base.load())
    base.append("compute.yaml", """
  - id: compute.no-kubernetes-control-wanted
    title: No Kubernetes control wanted
    section: workspace
    when: {needs_kubernetes_control: false}
    then: {warn: "A test rule that reads a no."}
    because: A test.
    source: https://learn.microsoft.com/en-gb/training/modules/design-machine-learning-model-training-solution/4-decide-between-compute-options
""")
    assert "needs_kubernetes_control" not in yes_only_facts(base.load())


@pytest.mark.parametrize("path", sorted((SCENARIOS / "end-to-end").glob("*.yaml")), ids=lambda p: p.stem)
def test_no_to_every_unstated_yes_only_fact_decides_as_dont_know(path, advisor):
    """The premise of unticked = no: on the real engine, the same recommendations and warnings."""
    knowledge = advisor.knowledge
    facts = load_scenario(path, knowledge).facts
    unstated = {name: False for name in yes_only_facts(knowledge) if name not in facts}
    as_given, with_no = advisor.consult(facts), advisor.consult({**facts, **unstated})

    def outcome(c):
        return ({(r.decision, r.choice, r.certainty) for r in c.recommendations},
                {(w.rule_id, w.message) for w in c.warnings})

    assert unstated and outcome(with_no) == outcome(as_given)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_and_dont_know_decide_alike_for_any_yes_only_fact(data, advisor):
    knowledge = advisor.knowledge
    yes_only = sorted(yes_only_facts(knowledge))
    ticked = data.draw(st.sets(st.sampled_from(yes_only), max_size=6), label="yes")
    others = data.draw(st.sets(st.sampled_from(yes_only), max_size=12), label="no") - ticked
    base = {name: True for name in ticked}
    base.update(data.draw(st.fixed_dictionaries({}, optional={
        "dataset_size": st.sampled_from(["small", "large"]),
        "data_format": st.sampled_from(["tabular", "unstructured"]),
        "prediction_timing": st.sampled_from(["as_data_arrives", "at_set_times"]),
        "stage": st.sampled_from(["experimentation", "production"])}), label="facts"))
    dont_know = advisor.consult(base)
    said_no = advisor.consult({**base, **{name: False for name in others}})
    assert {(r.decision, r.choice) for r in said_no.recommendations} == \
           {(r.decision, r.choice) for r in dont_know.recommendations}
    assert {w.rule_id for w in said_no.warnings} == {w.rule_id for w in dont_know.warnings}


def test_ticked_is_yes_unticked_no_and_the_answer_is_echoed(tmp_path):
    terminal = KeyTerminal({"hyperparameter_expressions": EXPRESSIONS, "learn_from_previous_trials": True,
                            "tuned_hyperparameter_count": 3, "max_total_trials": 100})
    report, answers, screen = run(tmp_path, terminal, focus="sweep")

    [checklist] = checklists(terminal)
    assert checklist.kind == "checkbox" and checklist.message == CHECKLIST_MESSAGE
    assert checklist_facts(checklist) == CHECKLIST
    labels = [label for label, value in checklist.options if value in CHECKLIST]
    assert labels == [answers_question(name) for name in CHECKLIST]
    assert answers.values["learn_from_previous_trials"] is True
    assert answers.values["reproducible_results"] is False and answers.values["try_every_combination"] is False
    assert ("sampling", "bayesian") in {(r["decision"], r["choice"]) for r in report["recommendations"]}
    assert f"{answers_question('learn_from_previous_trials')} Yes" in screen
    assert "Questions from" not in screen  # all three are sweep questions: one area
    assert "No to the other 2 questions of the checklist" in screen


def answers_question(name: str) -> str:
    from advisor.engine import get_advisor

    return get_advisor().knowledge.vocabulary.fact(name).question


def test_dont_know_to_a_checklist_leaves_each_of_its_facts_unknown(tmp_path):
    terminal = KeyTerminal({"hyperparameter_expressions": EXPRESSIONS, CHECKLIST_KEY: DONT_KNOW})
    report, answers, screen = run(tmp_path, terminal, focus="sweep")
    assert all(answers.values[name] is None for name in CHECKLIST)
    assert "don't know (3 questions)" in screen
    assert not set(CHECKLIST) & set(report["facts"])


def test_nothing_ticked_asks_none_of_these_and_no_goes_back_to_the_checklist(tmp_path):
    terminal = KeyTerminal({"hyperparameter_expressions": EXPRESSIONS,
                            CHECKLIST_KEY: Queue((), ("reproducible_results",)),
                            "checklist:none": Queue(False)})
    report, answers, _ = run(tmp_path, terminal, focus="sweep")
    keys = [p.key for p in terminal.prompts]
    assert keys.count(CHECKLIST_KEY) == 2 and keys.index("checklist:none") == keys.index(CHECKLIST_KEY) + 1
    assert answers.values["reproducible_results"] is True and answers.values["learn_from_previous_trials"] is False


def test_back_after_a_checklist_undoes_all_of_it_and_keeps_the_ticks(tmp_path):
    terminal = KeyTerminal({"hyperparameter_expressions": EXPRESSIONS,
                            CHECKLIST_KEY: Queue(("learn_from_previous_trials",), Keys(ENTER)),
                            "tuned_hyperparameter_count": Queue(BACK, 3), "max_total_trials": 100})
    report, answers, _ = run(tmp_path, terminal, focus="sweep")
    keys = [p.key for p in terminal.questions]
    assert keys[:4] == ["hyperparameter_expressions", CHECKLIST_KEY, "tuned_hyperparameter_count", CHECKLIST_KEY]
    again = terminal.questions[3]
    assert again.default == ("learn_from_previous_trials",), "the ticks given before are ticked again"
    assert answers.values["learn_from_previous_trials"] is True and answers.values["tuned_hyperparameter_count"] == 3
    assert answers.values["hyperparameter_expressions"] == EXPRESSIONS, "only the checklist was undone"


def test_back_undoes_a_whole_checklist_after_resume_too(tmp_path):
    first = KeyTerminal({"hyperparameter_expressions": EXPRESSIONS, "learn_from_previous_trials": True}, stop_at=4)
    consultation, _ = session(tmp_path, first)
    with pytest.raises(Interrupted) as stop:
        consultation.run(focus="sweep", answers_file=None, resume=False, render=lambda c, m: None)
    assert stop.value.answered == 1 + len(CHECKLIST)
    second = KeyTerminal({"tuned_hyperparameter_count": Queue(BACK, 3), "max_total_trials": 100,
                          CHECKLIST_KEY: ("try_every_combination",)})
    report, answers, _ = run(tmp_path, second, resume=True)
    assert [p.key for p in second.questions[:2]] == ["tuned_hyperparameter_count", CHECKLIST_KEY]
    assert answers.values["try_every_combination"] is True and answers.values["learn_from_previous_trials"] is False


def test_why_on_a_checklist_is_short_and_plain_then_lists_every_rule(tmp_path, knowledge):
    terminal = KeyTerminal({"hyperparameter_expressions": EXPRESSIONS,
                            CHECKLIST_KEY: Queue(WHY, WHY, ("learn_from_previous_trials",)),
                            "tuned_hyperparameter_count": 3, "max_total_trials": 100})
    _, _, screen = run(tmp_path, terminal, focus="sweep")
    short = screen.split("Why ask these?")[1].split("Every rule waiting on this answer")[0].strip()
    lines = ["Why ask these?" + short.splitlines()[0]] + short.splitlines()[1:]
    assert 2 <= len([line for line in lines if line.strip()]) <= 6
    assert "If yes, the guide recommends Sweep sampling method: Bayesian" in short
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", short), short
    assert not re.search(r"[≠≥≤]|https?://", short), short
    long = screen.split("Why ask these?")[1]
    assert "sweep.bayesian-learns-from-results" in long  # the second w: every rule, with its id and source


def test_a_checklist_holds_at_most_its_size_and_only_yes_only_facts(advisor):
    planner, answers = Planner(advisor), {}
    while len((plan := planner.plan(answers)).batch) == 1:  # "don't know" until a checklist comes
        answers[plan.next.fact.name] = None
    yes_only = yes_only_facts(advisor.knowledge)
    assert 2 <= len(plan.batch) <= CHECKLIST_SIZE
    assert plan.batch[0] is plan.next and all(q.fact.name in yes_only for q in plan.batch)
    assert len(plan.batch) == min(CHECKLIST_SIZE, sum(q.fact.name in yes_only for q in plan.questions))


def test_a_prebuilt_model_sets_training_questions_aside(advisor):
    knowledge = advisor.knowledge
    answers = {"prediction_timing": "at_set_times", "data_format": "unstructured"}
    before = {q.fact.name for q in Planner(advisor).plan(answers).questions}
    plan = Planner(advisor).plan({**answers, "prebuilt_model_fits": True})
    entry = next(s for s in plan.consultation.set_aside if s.scope_id == "scope.prebuilt-model")
    set_aside = set(entry.decisions)
    assert {"processor", "sampling", "endpoint_type"} <= set_aside
    assert not any(r.conclusion.name in set_aside for r in plan.open_rules)
    assert not {o.decision for o in plan.consultation.open_decisions} & set_aside  # report and plan agree
    assert knowledge.scope_entry("scope.prebuilt-model") is not None
    after = {q.fact.name for q in plan.questions}
    assert {"tune_hyperparameters", "hyperparameter_expressions"} <= before
    assert not {"tune_hyperparameters", "hyperparameter_expressions"} & after
    assert after < before


def test_the_highlighted_question_of_a_checklist_shows_its_help(knowledge):
    """Drawn on a real VT100 screen: the help of the question under the cursor is on it."""
    from contextlib import contextmanager
    from io import StringIO

    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.vt100 import Vt100_Output

    from advisor.interactive.prompts import Prompter

    screen = StringIO()

    class Screen:
        @contextmanager
        def streams(self, prompt):
            with create_pipe_input() as pipe:
                pipe.send_text(" \r")  # tick the first question, confirm
                yield pipe, Vt100_Output(screen, lambda: Size(rows=40, columns=200), term="xterm")

    facts = [knowledge.vocabulary.fact(name) for name in CHECKLIST]
    reply = Prompter(Screen()).ask_checklist(facts, can_go_back=False)
    assert reply.value == (CHECKLIST[0],)
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert facts[0].help[:40] in " ".join(drawn.split())


def test_the_next_question_always_leads_its_batch(advisor):
    """Walking a consultation with "don't know": what is asked next is the plan's first question."""
    planner, answers, seen_checklist = Planner(advisor), {}, False
    while (plan := planner.plan(answers)).next is not None:
        assert plan.batch[0] is plan.next  # a checklist worth more than the best question moved to the front
        seen_checklist |= len(plan.batch) > 1
        answers.update({q.fact.name: None for q in plan.batch})
    assert seen_checklist


def test_a_checklist_across_areas_names_them(tmp_path, knowledge):
    terminal = KeyTerminal({"prediction_timing": "as_data_arrives"}, default=DONT_KNOW)
    _, _, screen = run(tmp_path, terminal)
    [first, *_] = checklists(terminal)
    headings = {knowledge.guide.section(knowledge.vocabulary.fact(n).section).heading for n in checklist_facts(first)}
    assert len(headings) > 1
    text = " ".join(screen.split())
    said = text[text.index(f"Questions from {len(headings)} areas: "):][:300]
    assert all(heading in said for heading in headings), said


def why_these(screen: str) -> list[str]:
    """The short WHY of a checklist, one line per printed line."""
    return [line for line in screen.split("Why ask these?")[1].split("\n\n")[0].splitlines() if line.strip()]


def test_why_on_a_checklist_quotes_each_question_whole(tmp_path, knowledge):
    """A question with a parenthesis is not cut at it ("Would a customizable prebuilt model If yes ...")."""
    terminal = KeyTerminal({CHECKLIST_KEY: Queue(WHY, ())}, default=DONT_KNOW)
    _, _, screen = run(tmp_path, terminal)
    [first, *_] = checklists(terminal)
    assert "prebuilt_model_fits" in checklist_facts(first)
    question = knowledge.vocabulary.fact("prebuilt_model_fits").question
    assert " (" in question
    assert any(f"• {question} If yes" in line for line in why_these(screen)), why_these(screen)


def test_why_on_a_checklist_of_five_keeps_the_hint_within_six_lines(tmp_path):
    known = tmp_path / "known.yaml"
    known.write_text("name: known\nfacts:\n  needs_instant_job_start: false\n  fixed_working_hours: false\n"
                     "  multi_step_workflow: false\n", encoding="utf-8")
    terminal = KeyTerminal({CHECKLIST_KEY: Queue(WHY, ())}, default=DONT_KNOW)
    _, _, screen = run(tmp_path, terminal, focus="compute", answers_file=known)
    [first, *_] = checklists(terminal)
    assert len(checklist_facts(first)) == 5
    lines = why_these(screen)
    assert len(lines) <= 6
    assert "Press w again for every rule waiting on them." in lines[-1], lines


# --- long items wrap between words instead of being cut at the screen's edge -----------------

LONG_ITEM = ("Do callers of the endpoint sign in with Microsoft Entra identities that your organization "
             "manages, so that tokens rather than static keys can protect the production deployment?")


class ScreenTerminal:
    """Presses the given keys and keeps what the prompt drew on a screen `columns` wide."""

    def __init__(self, keys: str, columns: int) -> None:
        from io import StringIO

        self.keys, self.columns, self.screen = keys, columns, StringIO()

    @contextmanager
    def streams(self, prompt):
        from prompt_toolkit.data_structures import Size
        from prompt_toolkit.input import create_pipe_input
        from prompt_toolkit.output.vt100 import Vt100_Output

        output = Vt100_Output(self.screen, lambda: Size(rows=40, columns=self.columns), term="xterm")
        with create_pipe_input() as pipe:
            pipe.send_text(self.keys)
            yield pipe, output

    def drawn(self) -> str:
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "", self.screen.getvalue())


@pytest.mark.parametrize("columns", [60, 100])
def test_a_long_checklist_item_is_drawn_whole_on_a_narrow_screen(columns, knowledge):
    from advisor.interactive import Prompter

    terminal = ScreenTerminal(" " + ENTER, columns)
    facts = [f for f in knowledge.vocabulary.input_facts if f.name in CHECKLIST][:2]
    facts[0] = replace(facts[0], question=LONG_ITEM)
    reply = Prompter(terminal).ask_checklist(facts, can_go_back=False)
    assert reply.value == (facts[0].name,)
    drawn = terminal.drawn()
    # Every word of the item reaches the screen whole: nothing is cut at the edge.
    for word in LONG_ITEM.split():
        assert re.search(rf"(^|\s){re.escape(word)}(\s|$)", drawn), word


@given(words=st.lists(st.text(alphabet="abcdefghij/:.-", min_size=1, max_size=70), min_size=1, max_size=30),
       columns=st.integers(min_value=20, max_value=200), indent=st.integers(min_value=0, max_value=8))
def test_fit_label_keeps_every_word_whole_and_each_line_inside_the_screen(words, columns, indent):
    from advisor.interactive.prompts import fit_label

    label = " ".join(words)
    lines = fit_label(label, columns, indent).split("\n")
    assert "".join(lines).replace(" ", "") == label.replace(" ", "")  # nothing lost
    fitting = [w for w in label.split() if len(w) < columns - indent - 1]
    assert all(w in " ".join(lines).split() for w in fitting)  # a word that fits a line is never split
    for number, line in enumerate(lines):
        assert number == 0 or line.startswith(" " * indent) and not line[indent:].startswith(" ")
        drawn_at = indent if number == 0 else 0  # the first line follows the pointer
        assert drawn_at + len(line) < columns
