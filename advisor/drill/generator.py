"""Scenarios made from the rule base: input facts under which a chosen rule fires.

To make a rule fire, each test of its condition is met: a test on an input fact becomes a
constraint on that fact; a test on a derived fact or a decision is met by making one of its
producers fire, recursively. `any` picks one branch. The constraints are then solved fact by
fact. Nothing here decides the answer: the caller runs the real engine on the facts.
"""

from __future__ import annotations

import itertools
import math
import random
from typing import Any

from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import All, AnyOf, Condition, FactRef, Leaf, leaf_holds, leaves
from advisor.knowledge.rules import Rule
from advisor.knowledge.vocabulary import FactSpec, plain

EXTRA_FACTS_MAX = 2
_MAX_LIST_CANDIDATES = 4096


class _Plan:
    """Constraints collected so far: leaves per input fact, and values pinned for derived names."""

    def __init__(self) -> None:
        self.leaves: dict[str, list[Leaf]] = {}
        self.pinned: dict[str, Any] = {}

    def copy(self) -> _Plan:
        other = _Plan()
        other.leaves = {k: list(v) for k, v in self.leaves.items()}
        other.pinned = dict(self.pinned)
        return other


class ScenarioGenerator:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self.vocabulary = knowledge.vocabulary

    def facts_for(self, rule: Rule, rng: random.Random) -> dict[str, Any] | None:
        """Input facts (canonical values) that make `rule`'s condition true, or None if this try failed."""
        plan = _Plan()
        if not self._require(rule.condition, plan, rng, frozenset({rule.id})):
            return None
        self._add_near_misses(rule, plan, rng)
        return self._solve(plan, rng)

    # --- making conditions true -------------------------------------------------

    def _require(self, condition: Condition, plan: _Plan, rng: random.Random, stack: frozenset[str]) -> bool:
        if isinstance(condition, All):
            return all(self._require(part, plan, rng, stack) for part in condition.parts)
        if isinstance(condition, AnyOf):
            parts = list(condition.parts)
            rng.shuffle(parts)
            for part in parts:
                attempt = plan.copy()
                if self._require(part, attempt, rng, stack):
                    plan.leaves, plan.pinned = attempt.leaves, attempt.pinned
                    return True
            return False
        return self._require_leaf(condition, plan, rng, stack)

    def _require_leaf(self, leaf: Leaf, plan: _Plan, rng: random.Random, stack: frozenset[str]) -> bool:
        if self.vocabulary.is_input(leaf.subject):
            plan.leaves.setdefault(leaf.subject, []).append(leaf)
            return True
        if leaf.subject in plan.pinned:
            return leaf_holds(leaf.op, plan.pinned[leaf.subject], leaf.operand)
        values = list(self.vocabulary.values_of(leaf.subject) or (True, False))
        rng.shuffle(values)
        for value in values:
            if not leaf_holds(leaf.op, value, leaf.operand):
                continue
            producers = [r for r in self.knowledge.producers(leaf.subject)
                         if r.conclusion.value == value and r.id not in stack]
            rng.shuffle(producers)
            for producer in producers:
                attempt = plan.copy()
                attempt.pinned[leaf.subject] = value
                if self._require(producer.condition, attempt, rng, stack | {producer.id}):
                    plan.leaves, plan.pinned = attempt.leaves, attempt.pinned
                    return True
        return False

    def _add_near_misses(self, rule: Rule, plan: _Plan, rng: random.Random) -> None:
        """State a few facts that rival rules for the same decision test, so distractors are plausible."""
        rivals = [r for r in self.knowledge.producers(rule.conclusion.name) if r.id != rule.id]
        for _ in range(rng.randint(0, EXTRA_FACTS_MAX)):
            if not rivals:
                return
            rival = rng.choice(rivals)
            open_leaves = [leaf for leaf in leaves(rival.condition)
                           if leaf.subject not in plan.leaves and self.vocabulary.is_input(leaf.subject)]
            if open_leaves:
                leaf = rng.choice(open_leaves)
                plan.leaves[leaf.subject] = [leaf]

    # --- solving the constraints --------------------------------------------------

    def _solve(self, plan: _Plan, rng: random.Random) -> dict[str, Any] | None:
        facts: dict[str, Any] = {}
        # Facts compared with another fact go last, once that fact has a value.
        order = sorted(plan.leaves, key=lambda n: any(isinstance(t.operand, FactRef) for t in plan.leaves[n]))
        for name in order:
            for leaf in plan.leaves[name]:
                if isinstance(leaf.operand, FactRef) and leaf.operand.name not in facts:
                    ref = self.vocabulary.fact(leaf.operand.name)
                    facts[ref.name] = rng.choice(self.candidates(ref, [], facts, rng))
            spec = self.vocabulary.fact(name)
            tests = plan.leaves[name]
            fitting = [v for v in self.candidates(spec, tests, facts, rng)
                       if all(leaf_holds(t.op, v, _operand(t, facts)) for t in tests)]
            if not fitting:
                return None
            if spec.type == "list":  # people list a few items, not most of them
                smallest = min(len(v) for v in fitting)
                fitting = [v for v in fitting if len(v) <= smallest + 1]
            facts[name] = rng.choice(fitting)
        try:
            return {name: self.vocabulary.fact(name).check(plain(value)) for name, value in facts.items()}
        except ValueError:
            return None

    def candidates(self, spec: FactSpec, tests: list[Leaf], facts: dict[str, Any],
                    rng: random.Random) -> list[Any]:
        if spec.type == "choice":
            return list(spec.values)
        if spec.type == "bool":
            return [True, False]
        if spec.type == "list":
            names = list(spec.values)
            subsets = []
            for size in range(1, len(names) + 1):
                subsets.extend(itertools.combinations(names, size))
                if len(subsets) >= _MAX_LIST_CANDIDATES:
                    break
            return subsets
        low = int(spec.min) if spec.min is not None else 0
        high = int(spec.max) if spec.max is not None else low + 1000
        points = {low}
        for test in tests:
            x = _operand(test, facts)
            points.update({math.floor(x) - 1, math.floor(x), math.ceil(x), math.ceil(x) + 1})
        reach = max([low + 10, *(p * 3 for p in points)])
        points.update(rng.randint(low, min(high, reach)) for _ in range(5))
        return sorted(p for p in points if low <= p <= high)


def _operand(leaf: Leaf, facts: dict[str, Any]) -> Any:
    if isinstance(leaf.operand, FactRef):
        return facts[leaf.operand.name] * leaf.operand.times
    return leaf.operand



