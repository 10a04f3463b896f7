"""What working memory holds and how one test reads it, shared by the advisor's matcher and
the compiler's experta patterns (experta's stock Rete path, which the tests and the benchmark
use): fact classes, binding names, and each leaf's test on values."""

from __future__ import annotations

import logging
import operator
from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import count
from typing import Any

from experta import Fact, watchers
from experta.conditionalelement import ConditionalElement
from experta.factlist import FactList
from experta.utils import freeze

from advisor.knowledge.conditions import Condition, FactRef, Leaf, leaf_holds

BINDING_PREFIX = "f"  # on the stock path, Rete binds each matched fact as f0, f1, ... in condition order
MATCHED = "matched"   # the counting matcher binds them all, in that order, under this one
                      # name: what compiler._MatchedRule passes to the action, and the agenda reads


class Datum(Fact):
    """One fact or decision value in working memory: name, value, origin ("user" or a rule id)."""

    evidence: Any = None  # what the advisor's trace reports for it (engine/advisor.py)
    # (class, name, value, origin): set by `new_datum`, whose datums hold those three keys and
    # no other, so two of them are the same fact exactly when their identities are equal.
    identity: Any = None

    def __str__(self) -> str:
        # experta's run loop formats every firing's facts for its log line, logged or not:
        # the same text as Fact's, read without its __factid__ property.
        factid = self.get("__factid__")
        return f"<Undeclared Fact> {self!r}" if factid is None else f"<f-{factid}>"

    # experta asks these two of every fact it is given to declare; the same answers as Fact's,
    # from a loop rather than a generator each.
    def has_field_constraints(self) -> bool:
        if self.identity is not None:  # name and origin are strings: only the value could be one
            return isinstance(self["value"], ConditionalElement)
        for value in self.values():
            if isinstance(value, ConditionalElement):
                return True
        return False

    def has_nested_accessor(self) -> bool:
        if self.identity is not None:  # keys name, value and origin (and experta's __factid__)
            return False
        for key in self:
            if "__" in str(key).strip("_"):  # what Fact writes as strip("__")
                return True
        return False


_DATUM_CLASSES: dict[str, type[Datum]] = {}


def datum_class(name: str) -> type[Datum]:
    """One Fact class per fact name. On experta's stock Rete path (tests and benchmark) the
    network tests a fact's exact type before anything else, so each fact only travels down its
    own patterns instead of every pattern's tests."""
    cls = _DATUM_CLASSES.get(name)
    if cls is None:
        cls = _DATUM_CLASSES[name] = type(f"Datum_{name}", (Datum,), {})
    return cls


_FROZEN_AS_THEY_ARE = frozenset({str, int, float, bool, tuple, type(None)})


def new_datum(name: str, value: Any, origin: str) -> Datum:
    """What `datum_class(name)(name=name, value=value, origin=origin)` makes, without Fact's
    general constructor (a Python call per key, and a property read each): the three keys go
    straight into the dict, the value frozen as Fact.__setitem__ would (one is made per fact
    declared, hundreds per consultation at scale)."""
    cls = datum_class(name)
    # freeze returns these as they are (they are hashable); asked of it, it takes four Python
    # calls (a singledispatch lookup, then an abstract-class check) for every new value.
    frozen = value if value.__class__ in _FROZEN_AS_THEY_ARE else freeze(value)
    return datum_from(cls, {"name": name, "value": frozen, "origin": origin}, (cls, name, frozen, origin))


def datum_from(cls: type[Datum], keys: dict[str, Any], identity: tuple[Any, ...]) -> Datum:
    """A new Datum of `cls` holding `keys` (name, value frozen, origin) and its `identity`: for
    callers that keep those parts and make the same datum again (engine/advisor.py)."""
    datum = dict.__new__(cls)
    dict.update(datum, keys)
    datum._Fact__defaults = {}  # what Fact.__init__ sets last (read only for declared fields: none)
    datum.identity = identity
    # experta asks both questions of every fact declared (two Python calls each, ~80 user facts a
    # consultation); for this datum the answers are known now, so it answers them in C: `bool()`
    # is False. A value that is a conditional element keeps the class's check (which says so).
    datum.has_nested_accessor = bool  # type: ignore[method-assign]
    if not isinstance(keys["value"], ConditionalElement):
        datum.has_field_constraints = bool  # type: ignore[method-assign]
    return datum


_FACTS_WATCHER = watchers.FACTS
assert not Datum.__fields__, "WorkingMemory.declare skips validate: a Datum declares no fields"


class WorkingMemory(FactList):
    """experta's fact list, telling facts made by `new_datum` apart by their identity: the
    same answer as experta's (a frozenset of the class and every non-special key and value,
    built for each fact declared and again when it is retracted), kept on the datum."""

    def __init__(self) -> None:
        super().__init__()
        # experta counts each fact's copies in a Counter, whose __missing__ is a Python call for
        # every new fact; a defaultdict answers the same in C (the list only adds, subtracts, pops).
        self.reference_counter: defaultdict[Any, int] = defaultdict(int)
        # Whether the FACTS watcher logs, asked once a working memory (two a consultation) rather
        # than once a fact declared: nothing a consultation runs turns experta's watchers on or off.
        self.logs_facts = _FACTS_WATCHER.isEnabledFor(logging.INFO)

    @staticmethod
    def _get_fact_id(fact: Any) -> Any:
        identity = getattr(fact, "identity", None)
        return identity if identity is not None else FactList._get_fact_id(fact)

    def declare(self, fact: Any) -> Any:
        """experta's FactList.declare for a datum made by `new_datum` (every fact a consultation
        declares but experta's initial fact), in fewer Python calls: such a datum is a Fact
        declaring no fields (so `validate` checks nothing), its identity is at hand, its id is
        set as Fact's `__factid__` setter sets it, and the log line is formatted only when the
        FACTS watcher logs (as `logging` would decide when the working memory was made)."""
        identity = fact.identity if isinstance(fact, Datum) else None
        if identity is None:
            return super().declare(fact)
        counter = self.reference_counter
        if self.duplication or identity not in counter:
            index: int = self.last_index  # type: ignore[has-type]
            dict.__setitem__(fact, "__factid__", index)
            self[index] = fact
            self.last_index = index + 1
            self.added.append(fact)
            counter[identity] += 1
            if self.logs_facts:
                _FACTS_WATCHER.info(" ==> %s: %r", fact, fact)
            return fact
        return None


def numbered_leaves(condition: Condition, ids: Iterator[int]) -> Iterator[tuple[Leaf, int, int | None]]:
    """Each leaf with the binding numbers the compiler gives its patterns (depth first:
    `f{k}` for the fact tested, and `f{k+1}` for the compared-with fact of a comparison)."""
    if isinstance(condition, Leaf):
        first = next(ids)
        second = next(ids) if isinstance(condition.operand, FactRef) else None
        yield condition, first, second
        return
    for part in condition.parts:
        yield from numbered_leaves(part, ids)


def binding_keys(condition: Condition) -> tuple[str, ...]:
    """The RHS keyword of every fact the condition's patterns bind, in condition order."""
    return tuple(f"{BINDING_PREFIX}{k}" for _, first, second in numbered_leaves(condition, count())
                 for k in (first, second) if k is not None)


def value_test(op: str, operand: Any) -> Callable[[Any], bool]:
    """A leaf's test on one value (not `eq`, which is matched by equality or hashing)."""
    # On the stock Rete path (tests and benchmark), experta's alpha network may test a value
    # before testing the fact's name, so the test sees other facts' values too: it must
    # answer False, not raise, for them. (The counting matcher only gives it the fact's own.)
    wants_list = op.startswith("contains")
    compare = _COMPARISONS.get(op)
    if compare is not None:  # one C call, not leaf_holds' chain of operator names
        def holds_compared(value: Any) -> bool:
            if isinstance(value, tuple):
                return False
            try:
                return compare(value, operand)
            except TypeError:
                return False
        return holds_compared
    if op in _SET_TESTS:
        try:
            wanted = frozenset(operand)
        except TypeError:  # leaf_holds' set(operand) would raise at every call: left to it
            wanted = None
        if wanted is not None:
            method, negated = _SET_TESTS[op]

            def holds_set(value: Any) -> bool:
                if not isinstance(value, tuple):
                    return False
                try:
                    return method(set(value), wanted) is not negated
                except TypeError:
                    return False
            return holds_set

    def holds(value: Any) -> bool:
        if wants_list != isinstance(value, tuple):
            return False
        try:
            return leaf_holds(op, value, operand)
        except TypeError:
            return False
    return holds


# What leaf_holds does for these operators, as one call (a value test of a number or a choice).
_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "ne": operator.ne, "gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le}
# And for the list operators, on the value's set and the operand's (made once): (method, negated).
_SET_TESTS: dict[str, tuple[Callable[[set[Any], frozenset[Any]], bool], bool]] = {
    "contains_any": (set.isdisjoint, True), "contains_none": (set.isdisjoint, False),
    "contains_only": (set.issubset, False), "contains_other_than": (set.issubset, True)}


def fact_to_fact(op: str, times: float) -> Callable[[Any, Any], bool]:
    """A comparison of one number fact with another, scaled: `left op right * times`."""
    def holds(left: Any, right: Any) -> bool:
        try:
            return leaf_holds(op, left, right * times)
        except TypeError:
            return False
    return holds
