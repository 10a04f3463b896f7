"""Which value a contest shows: the first in the vocabulary's order, whichever rule fired first
(the engine's trace picks it while running: advisor/engine/advisor.py, _Trace.first_in_order)."""

from __future__ import annotations

import pytest

from advisor.engine import Advisor

SOURCE = ("https://learn.microsoft.com/en-gb/training/modules/"
          "perform-hyperparameter-tuning-azure-machine-learning-pipelines/3-configure-sampling-method")


def _rule(rule_id: str, when: str, choice: str) -> str:
    return (f"  - id: sweep.{rule_id}\n    title: {rule_id}\n    section: optimize\n    when: {when}\n"
            f"    then: {{recommend: {{sampling: {choice}}}}}\n    because: a test.\n    source: {SOURCE}\n")


@pytest.mark.parametrize("first, second", [("bayesian", "random"), ("random", "bayesian")])
def test_a_contest_shows_the_vocabularys_first_choice_whichever_rule_fires_first(rule_base, first, second):
    # Equal priority, one test each on different facts: neither refines the other. The rule
    # written first fires first (equal rank: rule order).
    text = "title: Test\nrules:\n" + _rule("one", "{reproducible_results: true}", first) + \
        _rule("two", "{compute_cost_concern: true}", second)
    advisor = Advisor(rule_base().write("sweep.yaml", text).load())
    consultation = advisor.consult({"reproducible_results": True, "compute_cost_concern": True})
    assert [f.rule_id for f in consultation.fired] == ["sweep.one", "sweep.two"]
    status = {f.value: f.status for f in consultation.fired}
    assert status == {"random": "applied", "bayesian": "contested"}
    # random is listed before bayesian in the vocabulary's choices for sampling
    assert [(r.choice, r.contested) for r in consultation.recommendations] == [("random", True)]


def test_a_datum_holding_a_conditional_element_is_still_refused_by_experta(advisor):
    """Datums answer experta's two declaration checks themselves (engine/memory.py datum_from);
    one whose value is a pattern, not a value, must still be refused as experta refuses it."""
    from experta import P

    from advisor.engine.memory import new_datum

    engine = advisor._engine
    engine.reset()
    try:
        with pytest.raises(TypeError, match="conditional elements"):
            engine.declare(new_datum("dataset_size", P(lambda value: True), "user"))
        assert engine.declare(new_datum("dataset_size", "large", "user")) is not None
    finally:
        engine.reset()
