"""What if? Re-run the engine on changed facts and compare.

`what_if` applies the changes the user asks for and reports every recommendation and warning
that differs. `find_flips` searches, for each recommendation, the single-fact changes that
turn it into another choice: every other value of a choice or yes/no fact, adding or removing
one item of a list fact, and for numbers the values just around each threshold the rules test
(the nearest one that flips wins). Only facts that can reach a recommended decision are tried
(`influences`): a change to any other fact cannot give that decision another choice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from advisor.engine import Consultation
from advisor.engine.advisor import Advisor
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import FactRef, leaves, subjects
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


def _direct_influences(knowledge: KnowledgeBase) -> dict[str, set[str]]:
    """Decision or derived fact -> the names whose values decide its outcome one step back:
    what its producers read, what the scope entries that can set a producer aside read, what a
    warning that withholds or contests it reads, what an entry that makes it moot reads, and
    what an incompatibility that withholds it reads. Settling a conflict between producers
    (priority, refinement, combined choices) reads nothing else."""
    direct: dict[str, set[str]] = {}
    scope_entries = {entry.id: entry for entry in knowledge.scope}
    guards = knowledge.guards()
    for rule in knowledge.rules:
        conclusion = rule.conclusion
        targets = {conclusion.name} if conclusion.name is not None else set()
        if conclusion.kind == "warn":
            targets.update(conclusion.withholds, conclusion.contests)
        reads = set(rule.reads).union(*(scope_entries[e].reads for e in guards.get(rule.id, ())))
        for target in targets:
            direct.setdefault(target, set()).update(reads)
    for entry in knowledge.scope:
        for decision in entry.decisions:
            direct.setdefault(decision, set()).update(entry.reads)
    for pair in knowledge.incompatible:
        for decision in subjects(pair.conditions[-1]):
            direct.setdefault(decision, set()).update(pair.reads)
    return direct


_influence_cache: list[tuple[KnowledgeBase, dict[str, set[str]]]] = []  # the last knowledge base's


def influences(knowledge: KnowledgeBase, names: Iterable[str]) -> frozenset[str]:
    """Every name whose value can change the outcome of one of `names`: the direct influences,
    followed back through the derived facts and decisions they read, to the input facts."""
    if not _influence_cache or _influence_cache[0][0] is not knowledge:
        _influence_cache[:] = [(knowledge, _direct_influences(knowledge))]
    direct = _influence_cache[0][1]
    found: set[str] = set()
    pending = list(names)
    while pending:
        for name in direct.get(pending.pop(), ()):
            if name not in found:
                found.add(name)
                pending.append(name)
    return frozenset(found)


def find_flips(advisor: Advisor, facts: dict[str, Any], baseline: Consultation | None = None) -> list[Flip]:
    """For every recommendation, the single-fact changes that give it another choice. Only the
    input facts that influence a recommended decision are changed (about a tenth of them for
    the shipped scenarios): the others cannot flip one, so each would be a consultation spent
    for nothing (tests/test_explain.py compares with trying every fact)."""
    knowledge = advisor.knowledge
    baseline = baseline or advisor.consult(facts)
    decided = {rec.decision for rec in baseline.recommendations}
    relevant = influences(knowledge, decided)
    best: dict[tuple[str, tuple[str, ...], str], Flip] = {}
    flips: list[Flip] = []
    for spec in knowledge.vocabulary.input_facts:
        if spec.name not in relevant:
            continue
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
