"""The advisor's matcher, plugged into experta through `KnowledgeEngine.__matcher__`.

experta stays the engine: its fact list, agenda, conflict-resolution strategy and rule
calls are unchanged; the matcher's job (experta's `Matcher` interface) is to tell the engine
which activations appear and disappear as facts are declared and retracted. experta's
stock matcher is a general Rete network in Python; its costs grow faster than the rules
(every fact visits every alpha branch, every rule's conflict-set node is polled after each
step, reset walks shared nodes once per path) and each token is copied at every node.

The advisor's conditions are simpler than what Rete serves: each test reads one fact (or
compares two number facts), there are no variables shared between patterns, and working
memory holds at most one fact per name. So matching is counting:

- every distinct test (name, operator, operand) is one shared alpha test; equality tests are
  found by hashing the fact's value, the others are evaluated once per fact;
- a rule's condition is put in disjunctive normal form (as experta does for OR); each branch
  counts its tests that hold, and is active exactly when all of them do;
- a declared fact satisfies its tests and bumps their branches' counts; a retracted one
  undoes that. Completed branches become experta Activations with the facts the Rete
  network would bind, handed to the RHS in condition order under one name (`matched`)
  rather than one binding each (`f0`, `f1`, ...): experta copies an activation's bindings
  twice on every firing.

The cost of a declaration is the tests on that one name plus the branches they complete, so
a consultation costs time proportional to the rules; reset is a handful of clears.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product
from operator import itemgetter
from typing import Any

from experta.abstract import Matcher
from experta.activation import Activation

from advisor.engine.memory import MATCHED, Datum, fact_to_fact, value_test
from advisor.knowledge.conditions import All, Condition, FactRef, Leaf

HOLDING_LIMIT = 100_000  # distinct (name, value) answers kept: numbers can take many values


def _found_by_hashing(value: Any) -> bool:
    return True


class _Test:
    """One alpha test, shared by every branch that makes it."""

    __slots__ = ("holds", "branches")

    def __init__(self, holds: Callable[[Any], bool]) -> None:
        # A value test: the fact's value -> bool. A comparison of two facts: facts by name ->
        # bool, False while either is missing. An equality test is found by hashing the value
        # and holds whenever it is found: its `holds` is never asked.
        self.holds = holds
        self.branches: list[_Branch] = []


class _Branch:
    """One conjunction of a rule's condition (in disjunctive normal form)."""

    __slots__ = ("rule", "tests", "need", "matched", "single", "pick")

    def __init__(self, rule: Any, tests: list[_Test], matched: tuple[str, ...]) -> None:
        self.rule = rule              # the experta Rule (its RHS and salience)
        self.tests = tests
        self.need = len(tests)
        self.matched = matched        # the fact the RHS receives for each binding, by name
        # Reading them from the facts by name without a Python call: one name directly, more
        # through itemgetter (which gives one name's fact bare, not in a tuple).
        self.single = matched[0] if len(matched) == 1 else None
        self.pick = itemgetter(*matched)


def _branches(condition: Condition) -> list[list[Leaf]]:
    """The condition in disjunctive normal form, each branch's leaves in condition order."""
    if isinstance(condition, Leaf):
        return [[condition]]
    parts = [_branches(part) for part in condition.parts]
    if isinstance(condition, All):
        return [[leaf for branch in combination for leaf in branch] for combination in product(*parts)]
    return [branch for part in parts for branch in part]


class CountingMatcher(Matcher):
    """Activations by counting satisfied tests per branch (see the module docstring)."""

    def __init__(self, engine: Any) -> None:
        super().__init__(engine)
        self._equal: dict[str, dict[Any, list[_Test]]] = {}   # name -> value -> equality tests
        self._value: dict[str, list[_Test]] = {}              # name -> its other value tests
        self._pair: dict[str, list[_Test]] = {}               # name -> comparisons reading it
        self._build(engine.get_rules())
        self._facts: dict[str, Any] = {}                       # name -> the fact in working memory
        self._holding: set[_Test] = set()                       # the comparisons of two facts that hold
        self._counts: dict[_Branch, int] = {}
        self._active: dict[_Branch, Activation] = {}
        # (name, value's class, value) -> the value tests it satisfies: a property of the rules,
        # and the same values come back in every consultation (choices, booleans) and batch file.
        self._holding_of: dict[tuple[str, type, Any], tuple[_Test, ...]] = {}

    # --- building the index ------------------------------------------------------

    def _build(self, rules: list[Any]) -> None:
        shared: dict[tuple[Any, ...], _Test] = {}
        for rule in sorted(rules, key=lambda r: r.advisor_rule.order):
            for branch_leaves in _branches(rule.advisor_rule.condition):
                tests: list[_Test] = []
                matched: list[str] = []  # in condition order, as experta's Rete binds f0, f1, ...
                for leaf in branch_leaves:
                    test = self._test(leaf, shared)
                    if test not in tests:
                        tests.append(test)
                    matched.append(leaf.subject)
                    if isinstance(leaf.operand, FactRef):
                        matched.append(leaf.operand.name)
                branch = _Branch(rule, tests, tuple(matched))
                for test in tests:
                    test.branches.append(branch)

    def _test(self, leaf: Leaf, shared: dict[tuple[Any, ...], _Test]) -> _Test:
        operand = leaf.operand
        if isinstance(operand, FactRef):
            key: tuple[Any, ...] = (leaf.subject, leaf.op, "fact", operand.name, operand.times)
        else:
            key = (leaf.subject, leaf.op, type(operand).__name__, operand)
        test = shared.get(key)
        if test is not None:
            return test
        if isinstance(operand, FactRef):
            compare = fact_to_fact(leaf.op, operand.times)
            left, right = leaf.subject, operand.name
            test = _Test(lambda facts: left in facts and right in facts
                         and compare(facts[left]["value"], facts[right]["value"]))
            self._pair.setdefault(left, []).append(test)
            if right != left:
                self._pair.setdefault(right, []).append(test)
        elif leaf.op == "eq":
            test = _Test(_found_by_hashing)
            self._equal.setdefault(leaf.subject, {}).setdefault(operand, []).append(test)
        else:
            test = _Test(value_test(leaf.op, operand))
            self._value.setdefault(leaf.subject, []).append(test)
        shared[key] = test
        return test

    # --- experta's Matcher interface -------------------------------------------------

    def changes(self, adding: Any = None, deleting: Any = None) -> tuple[list[Activation], list[Activation]]:
        added: list[Activation] = []
        removed: list[Activation] = []
        for fact in deleting or ():
            self._retract(fact, removed)
        for fact in adding or ():
            self._declare(fact, added)
        return added, removed

    def can_match(self, name: str, value: Any) -> bool:
        """Whether a fact `name = value` could take part in any activation: it satisfies a
        value test, or a comparison of two facts reads `name`. One that can't needs no place
        in working memory (engine/advisor.py leaves such user facts out)."""
        return name in self._pair or bool(self._holding_kept(name, value))

    def reset(self) -> None:
        self._facts.clear()
        self._holding.clear()
        self._counts.clear()
        self._active.clear()

    # --- matching ---------------------------------------------------------------------

    def _declare(self, fact: Any, added: list[Activation]) -> None:
        name = fact.get("name") if isinstance(fact, Datum) else None
        if name is None:
            return  # experta's InitialFact: no condition reads it
        facts = self._facts
        if name in facts:
            raise ValueError(f"two facts named {name!r} in working memory")
        facts[name] = fact
        # No test reading `name` can hold yet: the name was not in working memory.
        value = fact["value"]
        key = (name, value.__class__, value)  # the class too: True == 1, but tests tell them apart
        try:
            holding = self._holding_of.get(key)
        except TypeError:  # an unhashable value: worked out each time (below)
            holding = None
        if holding is None:
            holding = self._holding_kept(name, value)
        # What _satisfy does for each, inline (~90 value tests hold in a consultation): a value
        # test is not kept in `_holding`, since the same (name, value) gives the same tests again
        # when the fact is retracted.
        counts = self._counts
        for test in holding:
            for branch in test.branches:
                reached = counts.get(branch, 0) + 1
                counts[branch] = reached
                if reached == branch.need:
                    self._activate(branch, added)
        pair = self._pair.get(name)
        if pair:
            for test in pair:
                if test.holds(facts):
                    self._satisfy(test, added)

    def _holding_kept(self, name: str, value: Any) -> tuple[_Test, ...]:
        """`_value_tests_holding`, kept per (name, value's class, value) as `_declare` keeps it
        (a user's new value is asked about by `can_match`, then declared: worked out once)."""
        key = (name, value.__class__, value)
        try:
            holding = self._holding_of.get(key)
        except TypeError:  # an unhashable value: worked out each time
            return self._value_tests_holding(name, value)
        if holding is None:
            holding = self._value_tests_holding(name, value)
            if len(self._holding_of) >= HOLDING_LIMIT:
                self._holding_of.clear()
            self._holding_of[key] = holding
        return holding

    def _value_tests_holding(self, name: str, value: Any) -> tuple[_Test, ...]:
        """The tests on `name` alone that `value` satisfies, in the order they are satisfied:
        equality tests (found by hashing), then the others (each asked)."""
        equal = self._equal.get(name)
        found: tuple[_Test, ...] = ()
        if equal:
            try:
                found = tuple(equal.get(value, ()))
            except TypeError:  # an unhashable value equals no operand of an equality test
                pass
        return found + tuple(test for test in self._value.get(name, ()) if test.holds(value))

    def _satisfy(self, test: _Test, added: list[Activation]) -> None:
        """A comparison of two facts now holds (value tests: `_declare`)."""
        self._holding.add(test)
        counts = self._counts
        for branch in test.branches:
            reached = counts.get(branch, 0) + 1
            counts[branch] = reached
            if reached == branch.need:
                self._activate(branch, added)

    def _activate(self, branch: _Branch, added: list[Activation]) -> None:
        facts = self._facts
        single = branch.single
        matched = (facts[single],) if single is not None else branch.pick(facts)
        # The matched facts travel in the context only: experta's run loop formats an
        # activation's `facts` for its log line on every firing, logged or not.
        activation = Activation(branch.rule, (), {MATCHED: matched})
        self._active[branch] = activation
        added.append(activation)

    def _retract(self, fact: Any, removed: list[Activation]) -> None:
        name = fact.get("name") if isinstance(fact, Datum) else None
        if name is None:
            return
        value = fact["value"]
        if self._facts.get(name) is not fact:
            return
        counts = self._counts
        pairs = [test for test in self._pair.get(name, ()) if test in self._holding]
        for test in pairs:
            self._holding.discard(test)
        for test in (*self._holding_kept(name, value), *pairs):
            for branch in test.branches:
                if counts[branch] == branch.need:
                    removed.append(self._active.pop(branch))
                counts[branch] -= 1
        del self._facts[name]
