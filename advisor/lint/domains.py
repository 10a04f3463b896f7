"""Finite candidate values for every fact and decision, so conditions can be decided by enumeration.

Choice, bool and decision domains are finite already; values that every operand in play treats
alike are interchangeable, so one representative per class is enough. A list fact ranges over
subsets of those representatives. A number fact ranges over the thresholds its leaves use
(including thresholds carried across `{fact: other, times: k}` comparisons), the points between
and beyond them, and its min/max. Derived facts and decisions range over the values some live
rule produces, since nothing else can set them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, combinations, product
from typing import Any

from advisor.knowledge.conditions import Condition, FactRef, Leaf, evaluate, leaves
from advisor.knowledge.vocabulary import Vocabulary

_LIST_OPS = ("contains_any", "contains_none", "contains_only", "contains_other_than")


class Universe:
    """Candidate values per name; `produced` restricts derived facts and decisions."""

    def __init__(self, vocabulary: Vocabulary, produced: dict[str, set[Any]] | None) -> None:
        self.vocabulary = vocabulary
        self.produced = produced  # None: derived facts and decisions may take any vocabulary value

    def candidates(self, subjects: Iterable[str], conditions: Sequence[Condition]) -> dict[str, list[Any]]:
        in_play = [leaf for condition in conditions for leaf in leaves(condition)]
        return {name: self._candidates(name, in_play) for name in sorted(subjects)}

    def _is_rule_set(self, name: str) -> bool:
        return self.vocabulary.is_concluded(name)

    def _candidates(self, name: str, in_play: list[Leaf]) -> list[Any]:
        fact = self.vocabulary.fact(name)
        if self.produced is not None and self._is_rule_set(name):
            base: list[Any] = _ordered(self.produced.get(name, set()), fact, self.vocabulary.decision(name))
            if fact is not None and fact.type in ("number", "bool"):
                return base
            return _representatives(base, _operand_sets(name, in_play, list_ops=False))
        if fact is None:
            return _representatives(list(self.vocabulary.decision(name).choices),
                                    _operand_sets(name, in_play, list_ops=False))
        if fact.type == "bool":
            return [True, False]
        if fact.type == "choice":
            return _representatives(list(fact.values), _operand_sets(name, in_play, list_ops=False))
        if fact.type == "list":
            picks = _representatives(list(fact.values), _operand_sets(name, in_play, list_ops=True))
            subsets = chain.from_iterable(combinations(picks, k) for k in range(len(picks) + 1))
            order = list(fact.values)
            return [tuple(sorted(s, key=order.index)) for s in subsets]
        return self._numbers(name, in_play)

    def _numbers(self, name: str, in_play: list[Leaf]) -> list[Any]:
        points = self._own_points(name, in_play)
        for leaf in in_play:  # carry thresholds across fact-to-fact comparisons
            ref = leaf.operand
            if not isinstance(ref, FactRef):
                continue
            if leaf.subject == name:
                points |= {ref.times * p for p in self._own_points(ref.name, in_play)}
            elif ref.name == name and ref.times:
                points |= {p / ref.times for p in self._own_points(leaf.subject, in_play)}
        spec = self.vocabulary.fact(name)
        low = -math.inf if spec.min is None else spec.min
        high = math.inf if spec.max is None else spec.max
        return [p for p in _around(points or {0}) if low <= p <= high]

    def _own_points(self, name: str, in_play: list[Leaf]) -> set[float]:
        spec = self.vocabulary.fact(name)
        points = {b for b in (spec.min, spec.max) if b is not None}
        points |= {leaf.operand for leaf in in_play
                   if leaf.subject == name and not isinstance(leaf.operand, FactRef)}
        return points


def _ordered(values: set[Any], fact: Any, decision: Any) -> list[Any]:
    order = list(decision.choices) if decision is not None else list(fact.values) if fact.values else None
    if order:
        return [v for v in order if v in values]
    return sorted(values, key=repr)


def _operand_sets(name: str, in_play: list[Leaf], list_ops: bool) -> list[frozenset[Any]]:
    sets = []
    for leaf in in_play:
        if leaf.subject != name or (leaf.op in _LIST_OPS) != list_ops:
            continue
        operand = leaf.operand
        sets.append(frozenset(operand) if isinstance(operand, tuple) else frozenset([operand]))
    return sets


def _representatives(values: list[Any], operand_sets: list[frozenset[Any]]) -> list[Any]:
    """One value per class of values that every operand in play treats alike."""
    seen: set[tuple[bool, ...]] = set()
    picks = []
    for value in values:
        signature = tuple(value in s for s in operand_sets)
        if signature not in seen:
            seen.add(signature)
            picks.append(value)
    return picks


def _around(points: set[float]) -> list[float]:
    """Each threshold, a point in every gap between two, and one beyond each end."""
    ordered = sorted(points)
    result = [ordered[0] - 1, *ordered, ordered[-1] + 1]
    for a, b in zip(ordered, ordered[1:], strict=False):
        whole = float(a).is_integer() and float(b).is_integer() and b - a >= 2
        result.append((a + b) // 2 if whole else (a + b) / 2)
    return sorted(set(result))


def assignments(candidates: dict[str, list[Any]], partial: bool,
                dead: Callable[[dict[str, Any]], bool] | None = None) -> Iterator[dict[str, Any]]:
    """Every combination of candidate values, in itertools.product's order; `partial` also
    leaves each name unknown. `dead(assignment)`, if given, is asked of each partial assignment
    as it grows: True cuts every combination that extends it. Conditions are monotone
    (three-valued: learning a value never turns true or false into anything else), so a
    condition already false, or a forbidden one already true, stays so below: cutting there
    skips only combinations the caller would reject, and what is left comes in the same order."""
    names = list(candidates)
    missing = object()
    pools = [candidates[n] + [missing] if partial else candidates[n] for n in names]
    if dead is None:
        for combo in product(*pools):
            yield {n: v for n, v in zip(names, combo, strict=True) if v is not missing}
        return
    assignment: dict[str, Any] = {}

    def grow(depth: int) -> Iterator[dict[str, Any]]:
        if depth == len(names):
            yield dict(assignment)
            return
        name = names[depth]
        for value in pools[depth]:
            if value is missing:
                assignment.pop(name, None)
            else:
                assignment[name] = value
            if not dead(assignment):
                yield from grow(depth + 1)
        assignment.pop(name, None)

    yield from grow(0)


def holds(condition: Condition, assignment: dict[str, Any]) -> bool:
    """True only when the condition is (three-valued) true on the assignment."""
    return evaluate(condition, assignment.__getitem__) is True
