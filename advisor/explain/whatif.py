"""What if? Re-run the engine on changed facts and compare.

`what_if` applies the changes the user asks for and reports every recommendation and warning
that differs. `find_flips` searches, for each recommendation, the single-fact changes that
turn it into another choice: every other value of a choice or yes/no fact, adding or removing
one item of a list fact, and for numbers the values just around each threshold the rules test
(the nearest one that flips wins).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from advisor.engine import Consultation
from advisor.engine.advisor import Advisor
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import FactRef, leaves
from advisor.knowledge.vocabulary import FactSpec


@dataclass(frozen=True)
class Change:
    fact: str
    before: Any   # None: not given
    after: Any    # None: not given


@dataclass(frozen=True)
class DecisionChange:
    decision: str
    before: tuple[str, ...]     # empty: undecided
    after: tuple[str, ...]
    rules_after: tuple[str, ...]
    certainty_before: float | None
    certainty_after: float | None


@dataclass(frozen=True)
class WarningChange:
    rule_id: str
    message: str
    kind: str


@dataclass(frozen=True)
class WhatIf:
    changes: tuple[Change, ...]
    decisions: tuple[DecisionChange, ...]
    warnings_added: tuple[WarningChange, ...]
    warnings_removed: tuple[WarningChange, ...]

    @property
    def unchanged(self) -> bool:
        return not (self.decisions or self.warnings_added or self.warnings_removed)


@dataclass(frozen=True)
class Flip:
    """Changing one fact would turn a recommendation into another choice."""

    decision: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    rules: tuple[str, ...]        # the rules behind the new choice
    change: Change


def apply_changes(facts: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    result = dict(facts)
    for name, value in changes.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def _certainty(consultation: Consultation, decision: str) -> float | None:
    rec = consultation.recommendation(decision)
    return rec.certainty if rec else None


def _rules(consultation: Consultation, decision: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r for rec in consultation.recommendations if rec.decision == decision
                               for r in rec.rules))


def compare_consultations(knowledge: KnowledgeBase, before: Consultation, after: Consultation,
            changes: tuple[Change, ...]) -> WhatIf:
    decisions = []
    for spec in knowledge.vocabulary.decisions:
        old, new = before.chosen(spec.name), after.chosen(spec.name)
        if old != new:
            decisions.append(DecisionChange(spec.name, old, new, _rules(after, spec.name),
                                            _certainty(before, spec.name), _certainty(after, spec.name)))
    old_warnings = {(w.rule_id, w.message): w for w in before.warnings}
    new_warnings = {(w.rule_id, w.message): w for w in after.warnings}
    added = tuple(WarningChange(w.rule_id, w.message, w.kind) for k, w in new_warnings.items() if k not in old_warnings)
    removed = tuple(WarningChange(w.rule_id, w.message, w.kind) for k, w in old_warnings.items()
                    if k not in new_warnings)
    return WhatIf(changes, tuple(decisions), added, removed)


def what_if(advisor: Advisor, facts: dict[str, Any], changes: dict[str, Any],
            baseline: Consultation | None = None) -> WhatIf:
    """Re-run with `changes` (name -> canonical value, or None to forget a fact) and compare."""
    baseline = baseline or advisor.consult(facts)
    changed = advisor.consult(apply_changes(facts, changes))
    steps = tuple(Change(name, facts.get(name), value) for name, value in changes.items())
    return compare_consultations(advisor.knowledge, baseline, changed, steps)


# --- the search for flips ---------------------------------------------------------------

def candidate_values(spec: FactSpec, facts: dict[str, Any], knowledge: KnowledgeBase) -> list[Any]:
    """Values one step away from the fact's current value (or any value, if it isn't given)."""
    current = facts.get(spec.name)
    if spec.type == "bool":
        return [v for v in (True, False) if v != current]
    if spec.type == "choice":
        return [v for v in spec.values if v != current]
    if spec.type == "list":
        if current is None:
            return [(v,) for v in spec.values]
        options = []
        for item in spec.values:
            if item in current and len(current) > 1:
                options.append(tuple(v for v in current if v != item))
            elif item not in current:
                options.append(tuple(v for v in spec.values if v in current or v == item))
        return options
    values = sorted({v for t in _thresholds(spec.name, facts, knowledge) for v in (t - 1, t, t + 1)
                     if _in_range(spec, v) and v != current})
    return values


def _thresholds(name: str, facts: dict[str, Any], knowledge: KnowledgeBase) -> set[float]:
    found: set[float] = set()
    for rule in knowledge.rules:
        for leaf in leaves(rule.condition):
            operand = leaf.operand
            if isinstance(operand, FactRef):
                if leaf.subject == name and operand.name in facts:
                    found.add(facts[operand.name] * operand.times)
                elif operand.name == name and leaf.subject in facts:
                    limit = facts[leaf.subject] / operand.times
                    found.update({math.floor(limit), math.ceil(limit)})
            elif leaf.subject == name and isinstance(operand, int | float) and not isinstance(operand, bool):
                found.add(operand)
    return {int(t) if float(t).is_integer() else t for t in found}


def _in_range(spec: FactSpec, value: float) -> bool:
    return (spec.min is None or value >= spec.min) and (spec.max is None or value <= spec.max)


def _distance(change: Change) -> float:
    if isinstance(change.after, int | float) and isinstance(change.before, int | float):
        return abs(change.after - change.before)
    return 0.0


def find_flips(advisor: Advisor, facts: dict[str, Any], baseline: Consultation | None = None) -> list[Flip]:
    """For every recommendation, the single-fact changes that give it another choice."""
    knowledge = advisor.knowledge
    baseline = baseline or advisor.consult(facts)
    decided = {rec.decision for rec in baseline.recommendations}
    best: dict[tuple[str, tuple[str, ...], str], Flip] = {}
    flips: list[Flip] = []
    for spec in knowledge.vocabulary.input_facts:
        for value in candidate_values(spec, facts, knowledge):
            changed = advisor.consult(apply_changes(facts, {spec.name: value}))
            change = Change(spec.name, facts.get(spec.name), value)
            for decision in decided:
                before, after = baseline.chosen(decision), changed.chosen(decision)
                if not after or after == before:
                    continue
                flip = Flip(decision, before, after, _rules(changed, decision), change)
                if spec.type != "number":
                    flips.append(flip)
                    continue
                key = (decision, after, spec.name)  # numbers: keep the nearest value that flips
                if key not in best or _distance(change) < _distance(best[key].change):
                    best[key] = flip
    flips.extend(best.values())
    order = {d.name: i for i, d in enumerate(knowledge.vocabulary.decisions)}
    facts_order = knowledge.vocabulary.fact_order
    flips.sort(key=lambda f: (order[f.decision], f.change.before is None, facts_order[f.change.fact]))
    return flips
