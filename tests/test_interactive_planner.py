"""The question planner on the real rule base: it asks only what can still change the outcome."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.interactive.planner import Planner, area_closure, known_facts


def answer_strategy(spec) -> st.SearchStrategy[Any]:
    """A canonical answer to a fact, or None for "don't know"."""
    if spec.type == "bool":
        values = st.booleans()
    elif spec.type == "choice":
        values = st.sampled_from(list(spec.values))
    elif spec.type == "list":
        values = st.lists(st.sampled_from(list(spec.values)), unique=True).map(spec.check)
    else:
        values = st.integers(int(spec.min if spec.min is not None else 0),
                             int(spec.max if spec.max is not None else 1000))
    return st.one_of(st.none(), values, values)  # two in three give a value


def probe_values(spec) -> list[Any]:
    if spec.type == "bool":
        return [True, False]
    if spec.type == "choice":
        return list(spec.values)
    if spec.type == "list":
        return [(), tuple(spec.values)] + [(v,) for v in spec.values]
    low = spec.min if spec.min is not None else 0
    high = spec.max if spec.max is not None else 1000
    return sorted({int(low), int(high), int((low + high) // 2), int(low) + 1})


def outcome(consultation) -> tuple[frozenset, frozenset]:
    return (frozenset((r.decision, r.choice) for r in consultation.recommendations),
            frozenset((w.rule_id, w.kind) for w in consultation.warnings))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_once_nothing_is_left_to_ask_no_unasked_fact_changes_the_outcome(data, advisor):
    knowledge = advisor.knowledge
    planner = Planner(advisor)
    answers: dict[str, Any] = {}
    while (question := planner.plan(answers).next) is not None:
        assert question.fact.name not in answers
        answers[question.fact.name] = data.draw(answer_strategy(question.fact), label=question.fact.name)
    settled = outcome(advisor.consult(known_facts(answers, knowledge)))
    for spec in knowledge.vocabulary.input_facts:
        if spec.name in answers:
            continue
        for value in probe_values(spec):
            changed = outcome(advisor.consult(known_facts({**answers, spec.name: value}, knowledge)))
            assert changed == settled, f"{spec.name} = {value!r} was never asked but changes the outcome"


def test_design_questions_come_first_by_guide_section_then_by_how_many_open_rules_need_them(advisor):
    knowledge = advisor.knowledge
    order = knowledge.guide.section_ids
    plan = Planner(advisor).plan({"ml_task": "classification"})
    # Design questions first, then questions about an existing setup; each group by section, then
    # by how many open rules need the answer.
    keys = [(q.fact.existing_setup, order.index(q.fact.section), -len(q.rules)) for q in plan.questions]
    assert keys == sorted(keys)
    assert any(q.fact.existing_setup for q in plan.questions) and not plan.questions[0].fact.existing_setup
    assert all(q.fact.name != "ml_task" for q in plan.questions)
    for question in plan.questions:  # each is an unanswered input fact an open rule reads, maybe via producers
        assert not question.fact.derived and question.rules
        assert all(knowledge.rule(rule_id) in plan.open_rules for rule_id in question.rules)


def test_why_names_only_rules_reading_the_fact_and_what_they_feed(advisor):
    plan = Planner(advisor, "sweep").plan({})
    waiting = plan.waiting_on("hyperparameter_expressions")
    assert waiting
    for item in waiting:
        assert "hyperparameter_expressions" in item.rule.reads
        for served in item.serves:
            assert served in {r.id for r in plan.open_rules}
    feeders = {item.rule.id: item.serves for item in waiting}
    # search_space is derived from the expressions and read by the early-termination rules.
    assert "sweep.no-policy-for-grid" in feeders["sweep.discrete-space"]


def test_focus_plans_only_within_the_area_closure(advisor):
    knowledge = advisor.knowledge
    for area in knowledge.areas:
        plan = Planner(advisor, area).plan({})
        closure = area_closure(knowledge, area)
        assert {q.fact.name for q in plan.questions} <= closure
        assert all(r.area == area for r in plan.open_rules)


def test_a_fact_answered_dont_know_is_never_asked_again(advisor):
    planner = Planner(advisor)
    first = planner.plan({}).next
    assert first is not None
    plan = planner.plan({first.fact.name: None})
    assert first.fact.name not in {q.fact.name for q in plan.questions}
    assert plan.consultation.facts == {}
