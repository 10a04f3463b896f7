"""What would settle this: the unanswered input facts that could still decide a value.

The one implementation behind the report's open decisions, why-not's "facts that could
settle it" and the questionnaire's planner (which question next, and WHY it is asked).

Given the values known at the end of a consultation (user facts, derived facts and
single-choice decisions, `Consultation.values`):

- a rule whose condition is already true or false waits on nothing (None);
- an unknown rule *needs* the unanswered input facts its condition reads, and for each
  derived fact or decision it reads, the needs of the still-unknown producers whose value
  could make that test true. A test nothing can make true makes its `all` impossible
  (None), and an `any` is possible while one branch is. An input answered "don't know"
  (`unknowable`) stays unknown: a test on it can never become true.

Linear time: the rule graph has no cycle (rules are stratified), and every answer is
memoised, so each leaf of a rule's condition is evaluated (or its facts looked up) once, each
rule's needs are computed once, and each (name, value) pair's producers are combined once. The cost grows with the rules
and their tests, never with the number of paths through the chains.

API (stable; `Settling(knowledge, values, unknowable)`):
    truth(rule)                   the rule's condition now: True, False or None (unknown)
    rule_needs(rule)              input facts that could make it true; None if none can
    condition_needs(condition)    the same for any part of a rule's condition
    helpful_producers(name, leaf) unknown producers of `name` that could make `leaf` true
    open_decisions(decided)       undecided decisions and the facts that could settle them
    waiting(roots)                for WHY: input fact -> rule waiting on it -> the root
                                  rules (of `roots`) it serves
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from advisor.engine.results import OpenDecision
from advisor.knowledge import KnowledgeBase, scope
from advisor.knowledge.conditions import All, Condition, FactRef, Leaf, evaluate, leaf_holds
from advisor.knowledge.rules import Rule

Needs = frozenset[str] | None  # None: nothing can make it true any more

_NOTHING: frozenset[str] = frozenset()
_UNSET: Any = object()  # not computed yet (None is an answer)


class Settling:
    """One settling pass over the rule graph for one set of known values."""

    def __init__(self, knowledge: KnowledgeBase, values: Mapping[str, Any],
                 unknowable: Collection[str] = ()) -> None:
        self.knowledge = knowledge
        self.vocabulary = knowledge.vocabulary
        self.values = values
        self.unknowable = frozenset(unknowable)
        self._truth: dict[str, bool | None] = {}
        self._rule_needs: dict[str, Needs] = {}
        self._condition_needs: dict[int, Needs] = {}
        self._value_needs: dict[tuple[str, Any], frozenset[str]] = {}
        self._candidates: dict[str, dict[Any, tuple[Rule, ...]]] = {}
        self._order = self.vocabulary.fact_order
        self._inputs = self.vocabulary.input_names
        self._lookup = values.__getitem__  # raises KeyError for an unknown value, as evaluate wants
        self._singles: dict[str, frozenset[str]] = {}  # {name}, made once per input fact
        # Scope (knowledge/scope.py): rules the choices so far set aside wait on nothing, so
        # nothing is asked for them and the decisions they would settle are not open.
        holding = {e.id for e in scope.holding(knowledge.scope, self._lookup)}
        self.moot = scope.moot_names(e for e in knowledge.scope if e.id in holding)
        self.set_aside_rules = frozenset(rule_id for rule_id, ids in knowledge.guards().items()
                                         if holding.intersection(ids)) if holding else frozenset()
        if self.moot:  # a moot question is as good as unanswerable
            self.unknowable = self.unknowable | {n for n in self.moot if n in self._inputs}

    def is_input(self, name: str) -> bool:
        return name in self._inputs

    # --- truth and needs -----------------------------------------------------

    def truth(self, rule: Rule) -> bool | None:
        known: bool | None = self._truth.get(rule.id, _UNSET)
        if known is _UNSET:
            known = self._truth[rule.id] = self._condition_truth(rule.condition)
        return known

    def _condition_truth(self, condition: Condition) -> bool | None:
        """`evaluate(condition, values)`: the same Kleene logic, with each leaf's facts looked
        up before it is evaluated rather than an exception raised and caught for each unknown
        one (most leaves are unknown in a consultation with few facts)."""
        if isinstance(condition, Leaf):
            return self._leaf_truth(condition)
        decisive = not isinstance(condition, All)
        unknown = False
        for part in condition.parts:
            result = self._condition_truth(part)
            if result is None:
                unknown = True
            elif result == decisive:
                return decisive
        return None if unknown else not decisive

    def _leaf_truth(self, leaf: Leaf) -> bool | None:
        values = self.values
        if leaf.subject not in values or (isinstance(leaf.operand, FactRef) and leaf.operand.name not in values):
            return None
        return evaluate(leaf, self._lookup)

    def _leaf_state(self, leaf: Leaf) -> Needs:
        """A leaf's needs (see condition_needs), not memoised: a leaf is reached from its own
        condition only, and its costly part (the producers behind a derived fact) is. The
        hottest step of the search: a known leaf is evaluated, an unknown one's facts are
        found here rather than through `_leaf_truth` and `unknown_subjects` again."""
        values = self.values
        subject, operand = leaf.subject, leaf.operand
        other = operand.name if isinstance(operand, FactRef) else None
        if subject in values:
            if other is None:  # evaluate()'s own step for a leaf on a known value
                return _NOTHING if leaf_holds(leaf.op, values[subject], operand) else None
            if other in values:
                return _NOTHING if evaluate(leaf, self._lookup) else None
            return self._needs_of(leaf, (other,))
        if other is None or other in values:
            if subject in self._inputs:  # the commonest leaf: one unanswered input fact
                return None if subject in self.unknowable else self._single(subject)
            return self._needs_of(leaf, (subject,))
        return self._needs_of(leaf, (subject, other))

    def rule_needs(self, rule: Rule) -> Needs:
        """Unanswered input facts that could make the rule true; None if it never can be
        (or is already decided: true or false)."""
        memo = self._rule_needs
        needs: Needs = memo.get(rule.id, _UNSET)
        if needs is _UNSET:
            if rule.id in self.set_aside_rules:
                memo[rule.id] = None
                return None
            memo[rule.id] = None  # a cycle (impossible once stratified) needs nothing
            # A rule's own condition is reached through its rule (memoised here) or by WHY's
            # walk, which asks condition_needs: computed directly, and kept for that walk.
            condition = rule.condition
            state = self._condition_needs[id(condition)] = self._compute_condition_needs(condition)
            # Empty needs mean the condition is already true: decided, so waiting on nothing.
            needs = memo[rule.id] = state or None
        return needs

    def condition_needs(self, condition: Condition) -> Needs:
        key = id(condition)  # conditions live as long as the knowledge base: ids are stable
        needs: Needs = self._condition_needs.get(key, _UNSET)
        if needs is _UNSET:
            needs = self._condition_needs[key] = self._compute_condition_needs(condition)
        return needs

    def _compute_condition_needs(self, condition: Condition) -> Needs:
        # Only leaves are evaluated: a part's needs already say its truth (empty: true;
        # None: false or impossible; otherwise unknown), so an `all` or `any` combines them.
        # The union is built as the parts come (most needs are one or two facts).
        if isinstance(condition, Leaf):
            return self._leaf_state(condition)
        result: frozenset[str] = _NOTHING
        if isinstance(condition, All):
            for part in condition.parts:
                needs = self._leaf_state(part) if isinstance(part, Leaf) else self.condition_needs(part)
                if needs is None:  # one part false or impossible: so is the whole
                    return None
                if needs and not needs <= result:
                    result = result | needs
            return result
        possible = False
        for part in condition.parts:
            needs = self._leaf_state(part) if isinstance(part, Leaf) else self.condition_needs(part)
            if needs is not None:
                if not needs:  # one branch already true
                    return _NOTHING
                possible = True
                if not needs <= result:
                    result = result | needs
        return result if possible else None

    def unknown_subjects(self, leaf: Leaf) -> list[str]:
        values = self.values
        unknown = [] if leaf.subject in values else [leaf.subject]
        if isinstance(leaf.operand, FactRef) and leaf.operand.name not in values:
            unknown.append(leaf.operand.name)
        return unknown

    def _needs_of(self, leaf: Leaf, unknown: tuple[str, ...]) -> Needs:
        """What could make `leaf` true, given the names it reads that are unknown."""
        needed: list[frozenset[str]] = []
        for name in unknown:
            if name in self._inputs:
                if name in self.unknowable:
                    return None
                needed.append(self._single(name))
                continue
            useful = self._useful_values(name, leaf)
            if not useful:
                return None
            needed.append(_union(self._value_needs_of(name, value) for value in useful))
        return _union(needed)

    def _single(self, name: str) -> frozenset[str]:
        single = self._singles.get(name)
        if single is None:
            single = self._singles[name] = frozenset((name,))
        return single

    # --- producers, grouped by the value they would conclude ---------------------

    def _by_value(self, name: str) -> dict[Any, tuple[Rule, ...]]:
        """Producers of `name` that unanswered facts could still make true, by the value they
        conclude (in rule order). Those already decided, true or false, and those nothing can
        make true any more, have no needs and are left out: every rule of a group has needs."""
        grouped = self._candidates.get(name)
        if grouped is None:
            collect: dict[Any, list[Rule]] = {}
            for rule in self.knowledge.producers(name):
                if self.rule_needs(rule) is not None:
                    collect.setdefault(rule.conclusion.value, []).append(rule)
            grouped = self._candidates[name] = {v: tuple(rs) for v, rs in collect.items()}
        return grouped

    def _useful_values(self, name: str, leaf: Leaf) -> list[Any]:
        """The values of `name` some unknown producer could conclude that make `leaf` true."""
        values = list(self._by_value(name))
        if leaf.subject != name or isinstance(leaf.operand, FactRef):
            return values  # a compared-with fact: any value may do
        return [v for v in values if _holds(leaf, v)]

    def _value_needs_of(self, name: str, value: Any) -> frozenset[str]:
        """What could make some producer of `name = value` true (never empty: the group holds
        only producers with needs)."""
        key = (name, value)
        needs = self._value_needs.get(key)
        if needs is None:
            needs = self._value_needs[key] = _union(self.rule_needs(rule)  # never None here
                                                    for rule in self._by_value(name)[value])
        return needs

    def helpful_producers(self, name: str, leaf: Leaf) -> tuple[Rule, ...]:
        """Unknown producers of `name` that could make `leaf` true, in rule-base order."""
        found = [rule for value in self._useful_values(name, leaf) for rule in self._by_value(name)[value]]
        return tuple(sorted(found, key=lambda r: r.order))

    # --- the answers -------------------------------------------------------------

    def ordered(self, names: Iterable[str]) -> tuple[str, ...]:
        """Input fact names (what needs hold) in vocabulary order (the questionnaire's order)."""
        return tuple(sorted(names, key=self._order.__getitem__))

    def decision_needs(self, name: str) -> Needs:
        """Input facts that could settle decision `name` to some choice; None if none can."""
        values = self._by_value(name)
        return _union(self._value_needs_of(name, value) for value in values) if values else None

    def open_decisions(self, decided: Collection[str]) -> list[OpenDecision]:
        """Each decision not in `decided` that unanswered facts could still settle, with them."""
        result = []
        for spec in self.vocabulary.decisions:
            if spec.name in decided or spec.name in self.moot:
                continue
            needs = self.decision_needs(spec.name)
            if needs:
                result.append(OpenDecision(spec.name, self.ordered(needs)))
        return result

    def waiting(self, roots: Iterable[Rule]) -> dict[str, dict[str, frozenset[str]]]:
        """Who waits on which unanswered input fact (MYCIN's WHY).

        For each input fact: each rule whose condition tests it while that test could still
        matter, mapped to the roots it works for (the root rules themselves map to the other
        roots they feed, usually none). Rules are visited in reverse stratum order, so each
        rule is expanded once, after every rule that reads what it produces.
        """
        serves: dict[str, set[str]] = {}
        rules: dict[str, Rule] = {}
        for root in roots:
            if self.rule_needs(root) is None:
                continue
            rules[root.id] = root
            serves.setdefault(root.id, set()).add(root.id)
        waiting: dict[str, dict[str, set[str]]] = {}
        # Highest stratum first: a producer is expanded after every reader that found it.
        pending = [(-r.stratum, r.order, r.id) for r in rules.values()]
        heapq.heapify(pending)
        while pending:
            rule = rules[heapq.heappop(pending)[2]]
            mine = serves[rule.id]

            def visit_leaf(leaf: Leaf, rule: Rule = rule, mine: set[str] = mine) -> None:
                for name in self.unknown_subjects(leaf):
                    if self.is_input(name):
                        waiting.setdefault(name, {}).setdefault(rule.id, set()).update(mine - {rule.id})
                        continue
                    for producer in self.helpful_producers(name, leaf):
                        if producer.id not in rules:
                            rules[producer.id] = producer
                            serves[producer.id] = set()
                            heapq.heappush(pending, (-producer.stratum, producer.order, producer.id))
                        serves[producer.id] |= mine

            self._open_leaves(rule.condition, visit_leaf)
        return {name: {rule_id: frozenset(roots_) for rule_id, roots_ in readers.items()}
                for name, readers in waiting.items()}

    def _open_leaves(self, condition: Condition, visit: Callable[[Leaf], None]) -> None:
        """The leaves of `condition` still undecided, inside parts that can still be true."""
        if not self.condition_needs(condition):  # None: false or impossible; empty: true
            return
        if isinstance(condition, Leaf):
            visit(condition)
            return
        for part in condition.parts:
            self._open_leaves(part, visit)


def _holds(leaf: Leaf, value: Any) -> bool:
    try:
        return leaf_holds(leaf.op, value, leaf.operand)
    except TypeError:
        return False


def _union(parts: Iterable[frozenset[str] | None]) -> frozenset[str]:
    """The union of the parts (a None part, nothing needed or possible, adds nothing)."""
    result: frozenset[str] = _NOTHING
    for part in parts:
        if part and not part <= result:
            result = result | part
    return result
