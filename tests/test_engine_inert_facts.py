"""A user fact no test can match is left out of working memory (engine/advisor.py
`_Datums.given`): the consultation is the same as when every fact is declared."""

from __future__ import annotations

import sys
from pathlib import Path

from advisor.engine import Advisor

ROOT = Path(__file__).resolve().parents[1]


def _random_scenarios(knowledge, count: int, seed: int) -> list[dict]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return generate.random_scenarios(knowledge, count, seed)


def test_leaving_out_facts_no_test_matches_changes_no_consultation(knowledge):
    lean, full = Advisor(knowledge), Advisor(knowledge)
    full._trace.datum.matches = lambda name, value: True  # every fact declared, as experta would be given them
    scenarios = _random_scenarios(knowledge, 40, seed=11) + [
        {"data_format": "tabular", "dataset_size": "small", "training_too_slow": True},
        {"stage": "production", "works_in_notebooks": True, "tolerates_interruption": True}]
    for facts in scenarios:
        mine, theirs = lean.consult(facts), full.consult(facts)
        assert mine.fired == theirs.fired, facts  # rule, order, status, note, certainty, matched facts
        assert mine.recommendations == theirs.recommendations
        assert mine.warnings == theirs.warnings
        assert mine.values == theirs.values and mine.set_aside == theirs.set_aside
        assert mine.open_decisions == theirs.open_decisions
    assert len(lean._trace.datum._inert) > 20  # the scenarios did have facts to leave out
    assert not full._trace.datum._inert
