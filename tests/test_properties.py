"""Property tests: any valid combination of facts gives a report, never an exception."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.knowledge import load_knowledge
from advisor.knowledge.conditions import evaluate
from advisor.presentation.consultation.data import build_report
from advisor.presentation.consultation.markdown import render_report_markdown
from advisor.presentation.consultation.text import render_report
from advisor.presentation.terminal import rich_text

KNOWLEDGE = load_knowledge()


def _value_strategy(spec) -> st.SearchStrategy[Any]:
    if spec.type == "choice":
        return st.sampled_from(list(spec.values))
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "list":
        return st.lists(st.sampled_from(list(spec.values)), unique=True)
    low = spec.min if spec.min is not None else -1e6
    high = spec.max if spec.max is not None else 1e6
    return st.one_of(st.integers(int(low), int(high)),
                     st.floats(low, high, allow_nan=False, allow_infinity=False))


@st.composite
def valid_facts(draw) -> dict[str, Any]:
    facts = {}
    for spec in KNOWLEDGE.vocabulary.input_facts:
        if draw(st.booleans()):
            facts[spec.name] = spec.check(draw(_value_strategy(spec)))
    return facts


# How many examples: the hypothesis profile's (tests/conftest.py: 20 by default, 150 in CI).
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(valid_facts())
def test_any_valid_facts_give_a_full_report(facts):
    from advisor.engine import get_advisor

    advisor = get_advisor()
    consultation = advisor.consult(facts)
    report = build_report(consultation, KNOWLEDGE, {"name": "generated"})
    json.dumps(report)
    assert render_report_markdown(report).strip()
    assert rich_text(lambda console: render_report(report, console)).strip()
    decided = {r["decision"] for r in report["recommendations"]}
    assert decided.isdisjoint({o["decision"] for o in report["open"]})
    for rec in report["recommendations"]:
        assert rec["rules"], rec  # every recommendation is backed by at least one rule
        assert 0 < rec["certainty"] <= 1


@SETTINGS
@given(valid_facts())
def test_experta_fires_exactly_the_rules_whose_conditions_hold(facts):
    """The compiled experta rules agree with the condition language's own semantics.

    Thanks to stratification every rule sees the final value of what it reads, so a rule
    fired if and only if its condition is true on the user's facts plus the final derived
    facts and decisions.
    """
    from advisor.engine import get_advisor

    consultation = get_advisor().consult(facts)
    # What conditions can read: contested choices (shown, read by no rule) and moot decisions aside.
    known = dict(consultation.values)

    def lookup(name: str) -> Any:
        return known[name]

    fired = consultation.fired_ids()
    for rule in KNOWLEDGE.rules:
        assert (rule.id in fired) == (evaluate(rule.condition, lookup) is True), rule.id


@SETTINGS
@given(valid_facts())
def test_results_do_not_depend_on_earlier_consultations(facts):
    from advisor.engine import get_advisor

    advisor = get_advisor()
    first = build_report(advisor.consult(facts), KNOWLEDGE)
    advisor.consult({"stage": "production", "data_format": "unstructured"})
    assert build_report(advisor.consult(facts), KNOWLEDGE) == first
