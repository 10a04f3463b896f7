"""No action at a distance: changing one fact changes only the recommendations whose derivation,
before or after the change, reads that fact (directly, or through the derived facts and decisions
it reads, or the scope entry that sets the decision aside).

Hypothesis draws (shipped scenario, input fact, new value) triples; `python tests/test_action_at_a_distance.py`
runs every shipped scenario against every input fact and value and lists what it finds.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import SCENARIOS, examples  # noqa: E402

from advisor.engine.results import Consultation  # noqa: E402
from advisor.knowledge import KnowledgeBase  # noqa: E402
from advisor.knowledge.vocabulary import FactSpec  # noqa: E402
from advisor.scenarios import load_scenario  # noqa: E402

SHIPPED = sorted(SCENARIOS.rglob("*.yaml"))


def alternatives(spec: FactSpec, current: Any) -> Iterator[Any]:
    """Other values of a fact: forgetting it (None), and each other value of a bool or choice;
    for a list, one item more or less; for a number, twice and half the value (or 1)."""
    if current is not None:
        yield None
    if spec.type == "bool":
        yield from (v for v in (True, False) if v != current)
    elif spec.type == "choice":
        yield from (v for v in spec.values if v != current)
    elif spec.type == "list":
        held = tuple(current or ())
        for item in spec.values:
            changed = tuple(v for v in held if v != item) if item in held else (*held, item)
            if changed:
                yield spec.check(list(changed))
    else:
        for value in ((current or 1) * 2, (current or 2) // 2):
            try:
                yield spec.check(value)
            except ValueError:
                continue


def reads(name: str, consultations: tuple[Consultation, ...], knowledge: KnowledgeBase) -> set[str]:
    """The input facts the derivation of `name` reads, in any of the consultations: every rule
    that fired for it (whatever came of the firing) or a warning that fired contesting it, what
    those rules read, on through derived facts and decisions, and the conditions of the scope
    entries that set it aside."""
    facts: set[str] = set()
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        names: set[str] = set()
        for consultation in consultations:
            for firing in consultation.fired:
                rule = knowledge.rule(firing.rule_id)
                if rule is None:
                    continue
                conclusion = rule.conclusion
                # a rule for it, or a warning that contests or withholds it
                if firing.name == current or current in (*conclusion.contests, *conclusion.withholds):
                    names |= rule.reads
            for aside in consultation.set_aside:
                if current in aside.decisions:
                    names |= knowledge.scope_entry(aside.scope_id).reads  # type: ignore[union-attr]
        for read in names:
            if knowledge.vocabulary.is_input(read):
                facts.add(read)
            else:
                pending.append(read)
    return facts


def outcome(consultation: Consultation) -> dict[str, tuple[Any, ...]]:
    result: dict[str, list[Any]] = {}
    for rec in consultation.recommendations:
        result.setdefault(rec.decision, []).append((rec.choice, rec.contested, rec.certainty))
    return {k: tuple(v) for k, v in result.items()}


def at_a_distance(advisor: Any, facts: dict[str, Any], fact: str, value: Any) -> list[str]:
    """The decisions that change when `fact` becomes `value` (None: forgotten) although no
    derivation of theirs reads it."""
    knowledge = advisor.knowledge
    changed = {k: v for k, v in facts.items() if k != fact}
    if value is not None:
        changed[fact] = value
    before, after = advisor.consult(dict(facts)), advisor.consult(changed)
    was, now = outcome(before), outcome(after)
    return [decision for decision in sorted(set(was) | set(now))
            if was.get(decision) != now.get(decision)
            and fact not in reads(decision, (before, after), knowledge)]


# 12 random (scenario, fact, value) changes while developing, 120 in CI; sweep() below runs them all.
@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_changing_one_fact_changes_only_what_reads_it(data, advisor, knowledge):
    path = data.draw(st.sampled_from(SHIPPED), label="scenario")
    facts = load_scenario(path, knowledge).facts
    spec = data.draw(st.sampled_from(knowledge.vocabulary.input_facts), label="fact")
    options = list(alternatives(spec, facts.get(spec.name)))
    if not options:
        return
    value = data.draw(st.sampled_from(options), label="value")
    assert at_a_distance(advisor, facts, spec.name, value) == []


def sweep() -> None:  # pragma: no cover - the full run, by hand
    from advisor.engine import get_advisor

    advisor = get_advisor()
    knowledge = advisor.knowledge
    found: dict[tuple[str, str], list[str]] = {}
    for path in SHIPPED:
        facts = load_scenario(path, knowledge).facts
        for spec in knowledge.vocabulary.input_facts:
            for value in alternatives(spec, facts.get(spec.name)):
                for decision in at_a_distance(advisor, facts, spec.name, value):
                    found.setdefault((spec.name, decision), []).append(f"{path.stem}: {spec.name}={value}")
    for (fact, decision), where in sorted(found.items()):
        print(f"{fact} -> {decision}: {len(where)} cases, e.g. {where[0]}")
    print(f"{len(found)} fact/decision couplings at a distance")


if __name__ == "__main__":
    sweep()
