"""The planner's state of every rule, carried from one answer to the next.

For each rule (and scope gate), given the values a consultation ended with and the facts that
will not be answered: its *ways* (the unanswered input facts that could make it true, each with
the fewest answers a way through it needs; None when it is decided, impossible or set aside),
the answers that could help it, the facts every way needs, and whether it is open (it could
still change the outcome). For each input fact: what the open rules waiting on it make it worth.

One answer changes few of these, so a step works out again only what it changed. The names whose
state moved since the last consultation (a value, a "don't know", a moot decision, a rule set
aside, a winner's rank, a chosen value) are found by comparing the two; the rules reading or
concluding them are worked out again in stratum order (producers before readers), and their
readers in turn only when what they hand on (ways, answers, required facts) changed; then only
the facts those rules wait on, or waited on, are valued again. A fact's worth is kept in parts,
one per target (decision, derived fact or warning) of the open rules waiting on it: a step works
out again the parts of the targets whose rules changed, or the whole fact in one pass over its
readers when most of it changed. When most open rules' ways changed (the first answered step
reworks hundreds of rules at 3,000, shifting the cost of every fact they wait on), every fact is
valued afresh in one pass over the open rules instead (_rebuild: each rule's tables looked up once,
not once per fact it waits on). The first step works out every rule; each later Planner on the
same rule base and settings starts from a copy of that first state, made once per process (and
kept on disk: state_cache.py).

What each part means is the planner's module docstring; this module only keeps it up to date.
"""

from __future__ import annotations

import heapq
import operator
from array import array
from collections.abc import Collection, Iterable, Mapping
from functools import partial
from itertools import accumulate, repeat
from math import fsum, isfinite
from typing import Any, NamedTuple

from advisor.collector import collector_paused
from advisor.engine.results import Consultation
from advisor.engine.settling import Settling
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import All, Condition, FactRef, Leaf, leaf_holds
from advisor.knowledge.rules import Rule
from advisor.knowledge.vocabulary import FactSpec

WARNING_WEIGHT = 0.3    # a warning matters, but less than a decision
CLOSING_WEIGHT = 0.25   # a rule an answer rules out, against one it settles
COLD = 0.15             # a rule none of whose tests holds yet, against one that follows earlier answers
GATE_WEIGHT = 0.1       # a warning's worth per decision it sets aside (a gate cuts branches)
# A step whose changed rules' ways are more than this share of those open before values every fact
# again in one pass over the open rules (RuleStates._rebuild), not fact by fact. Measured on the
# 3,000-rule interviews of bench/planner_steps.py (each step timed both ways, fastest of four):
# fact by fact is faster up to about 1.0 (the changed ways counted when closed and when opened),
# the rebuild beyond (the first answered steps: 60 against 110 ms at 1.16).
REBUILD_SHARE = 1.0

Ways = dict[str, int]  # input fact -> fewest answers (this one included) that make a condition true
SOME = object()  # stands for "some answers" to a list or number fact
_SOME = (SOME,)
_MISSING = object()
_NO_RANK = (-10**6, 0)
_NOTHING: frozenset[str] = frozenset()


def answer_space(spec: FactSpec) -> tuple[Any, ...]:
    """The answers a bool or choice fact can take (empty for list and number facts)."""
    if spec.type == "bool":
        return (True, False)
    if spec.type == "choice":
        return tuple(spec.values)
    return ()


def combine_all(parts: list[Ways]) -> Ways:
    """Every part must hold: a fact's way costs its own part's way plus the cheapest of the others."""
    if len(parts) == 1:
        return parts[0]  # ways are never changed once made: shared, not copied
    cheapest = [min(p.values(), default=0) for p in parts]
    total = sum(cheapest)
    extra = total - cheapest[0]
    result: Ways = {name: cost + extra for name, cost in parts[0].items()}
    for part, own in zip(parts[1:], cheapest[1:], strict=True):
        extra = total - own
        for name, cost in part.items():  # parts seldom share a fact: a membership test, not a lookup
            through = cost + extra
            if name not in result or through < result[name]:
                result[name] = through
    return result


def combine_any(parts: list[Ways]) -> Ways | None:
    """One part is enough: a fact's way is its cheapest in any part."""
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    result: Ways = dict(parts[0])
    for part in parts[1:]:
        for name, cost in part.items():
            if name not in result or cost < result[name]:
                result[name] = cost
    return result


class RuleState(NamedTuple):
    """One rule's standing after a consultation (never changed once made)."""

    ways: Ways | None                    # None: decided, impossible or set aside
    answers: dict[str, tuple[Any, ...]]  # unanswered bool/choice fact -> answers that could help
    required: frozenset[str]             # input facts every way of making it true needs
    open: bool                           # it could still change the outcome, and answers could make it fire
    weight: float                        # what settling it is worth
    reach: float                         # the weight, less when none of its tests holds yet (COLD)
    known: bool = False                  # its condition is true or false: no producer can change that

    def hands_on(self) -> tuple[Any, ...]:
        """What the rules reading this rule's conclusion take from it."""
        return (self.ways, self.answers, self.required)


class FactWorth(NamedTuple):
    worth: float              # before the guide-section and "don't know" factors
    readers: tuple[str, ...]  # the open rules waiting on the fact, in plan order


class Snapshot(NamedTuple):
    """What one consultation left for the next step to compare with."""

    values: Mapping[str, Any]
    unknowable: frozenset[str]
    moot: frozenset[str]
    set_aside: frozenset[str]
    conclusions: dict[str, Any]  # concluded name -> (chosen choices, winner's rank)


class RuleStates:
    """Every rule's state and every fact's worth, updated one consultation at a time."""

    def __init__(self, knowledge: KnowledgeBase, in_scope: Iterable[Rule], gates: Mapping[str, Rule],
                 gate_cuts: Mapping[str, tuple[str, ...]], weights: Mapping[str, float]) -> None:
        self.knowledge = knowledge
        vocabulary = knowledge.vocabulary
        self.vocabulary = vocabulary
        self.gates = dict(gates)
        self.gate_cuts = gate_cuts
        self.weights = weights
        self.rules = tuple(knowledge.rules)
        self.by_id: dict[str, Rule] = {r.id: r for r in self.rules}
        self.by_id.update(self.gates)
        # Plan order: the rules in scope in rule-base order, then the gates.
        self.position = {r.id: i for i, r in enumerate((*in_scope, *self.gates.values()))}
        self.in_plan_order = tuple(self.position)  # the rules that can be open, in plan order
        self.inputs = vocabulary.input_names
        self.fact_order = tuple(f.name for f in vocabulary.input_facts)  # how a state on disk numbers them
        self.rule_order = tuple(self.by_id)
        self.spaces: dict[str, tuple[Any, ...]] = {f.name: answer_space(f) for f in vocabulary.input_facts}
        # Each answer's share of its fact's worth (a list or number fact's answers count as one: SOME).
        self.shares = {name: 1 / len(space) if space else 0.0 for name, space in self.spaces.items()}
        self.multiple = frozenset(d.name for d in vocabulary.decisions if d.multiple)
        self.readers_of: dict[str, list[str]] = {}     # name -> rules (and gates) whose condition reads it
        self.concluding: dict[str, list[str]] = {}     # name -> rules concluding it
        for rule in (*self.rules, *self.gates.values()):
            for name in rule.reads:
                self.readers_of.setdefault(name, []).append(rule.id)
            if rule.conclusion.name is not None:
                self.concluding.setdefault(rule.conclusion.name, []).append(rule.id)
        self.cutting: dict[str, list[str]] = {}        # decision -> gates whose worth counts it
        for gate_id, names in gate_cuts.items():
            if gate_id in self.gates:
                for name in names:
                    self.cutting.setdefault(name, []).append(gate_id)
        # What never changes: each rule's tests, target and (but for gates) weight; each test's
        # subjects and, on a yes/no or choice input fact, the answers that pass it. Worked out for
        # a rule when first needed (a first state read back from disk needs none), for every copy.
        self.static: dict[str, _Static] = _WhenAsked(self._static)
        self.tests: dict[int, _Test] = {}
        self.alike: dict[tuple[str, str, Any], _Test] = {}  # equal tests in different rules share one
        self.shared: dict[str, Any] = {}  # worked out when first needed, for every copy
        self._failing_memo: dict[tuple[str, Any], float] = {}  # for every copy
        self.rank = {r.id: (r.stratum, r.order) for r in self.rules}
        top = max((r.stratum for r in self.rules), default=0) + 1
        self.rank.update({gate_id: (top, i) for i, gate_id in enumerate(self.gates)})  # gates read anything: last
        # The state itself.
        self.states: dict[str, RuleState] = {}
        self.in_target: dict[str, set[str]] = {}    # target -> its open rules
        self.worth: dict[str, FactWorth] = {}       # input fact worth asking -> its worth
        self.readers: dict[str, set[str]] = {}      # input fact -> open rules whose ways include it
        # Each fact's worth in parts, one per target (kept so a step works out again only the targets
        # whose rules changed; see _value_fact): fact -> (target, answer) -> the best reach over cost x
        # the answer's share; fact -> target -> the closing worths summed.
        self.tops: dict[str, dict[tuple[str, Any], float]] = {}
        self.sums: dict[str, dict[str, float]] = {}
        # What the producers of a name hand on, kept from step to step until one of them changes
        # (see _through): name -> its producers' ids by value, and the values each test on it accepts;
        # name -> accepted values -> combined.
        self._groups: dict[str, tuple[dict[Any, tuple[str, ...]], dict[tuple[str, Any], tuple[Any, ...]]]] = {}
        self._combined: dict[str, dict[tuple[Any, ...], _Through | None]] = {}
        self.last: Snapshot | None = None
        self.filled: set[str] = set()  # facts whose tables (after restore) this copy has taken
        self.owned: set[str] | None = None  # facts whose tables this copy owns (None: all of them)

    # --- kept on disk (state_cache.py) --------------------------------------------

    def export(self) -> dict[str, Any]:
        """The state after an update as plain JSON data: what restore() reads back. Numbered, a column
        at a time, so that reading it back is a few passes in C: rules by their place in the rule base
        (then the gates), input facts by their place in the vocabulary, a helping answer by its bit in
        the fact's answers. Equal ways, answers and required facts are kept once, in a table, and each
        rule names its entry (ways: -1 for none): rules share them (a derived fact's readers its
        producers' ways), and reading back makes each once. The facts' readers and tables, and each
        target's open rules, are not kept: restore() and _fill() work them out from the rules' states."""
        facts = self.fact_order
        index = {name: i for i, name in enumerate(facts)}
        spaces = self.spaces
        columns: dict[str, list[Any]] = {key: [] for key in _COLUMNS}
        flags, weight, reach = columns["flags"], columns["weight"], columns["reach"]
        ways_ref, ways_len, ways_fact, ways_cost = (columns[k] for k in ("ways_ref", "ways_len", "ways_fact",
                                                                          "ways_cost"))
        answers_ref, answers_len, answers_fact, answers_mask = (
            columns[k] for k in ("answers_ref", "answers_len", "answers_fact", "answers_mask"))
        required_ref, required_len, required_fact = (columns[k] for k in ("required_ref", "required_len",
                                                                          "required_fact"))
        entries: tuple[dict[Any, int], dict[Any, int], dict[Any, int]] = ({}, {}, {})  # ways, answers, required
        for rule_id in self.rule_order:
            state = self.states[rule_id]
            flags.append(state.open + 2 * state.known)
            weight.append(state.weight)
            reach.append(state.reach)
            if state.ways is None:
                ways_ref.append(-1)
            else:
                key = tuple(state.ways.items())  # in its order: the order a step reads it in
                at = entries[0].get(key)
                if at is None:
                    at = entries[0][key] = len(ways_len)
                    ways_len.append(len(state.ways))
                    ways_fact.extend(index[name] for name in state.ways)
                    ways_cost.extend(state.ways.values())
                ways_ref.append(at)
            answers_key = tuple(state.answers.items())
            at = entries[1].get(answers_key)
            if at is None:
                at = entries[1][answers_key] = len(answers_len)
                answers_len.append(len(state.answers))
                for name, helping in state.answers.items():
                    mask = sum(1 << i for i, value in enumerate(spaces[name]) if value in helping)
                    _check(_helping(spaces[name], mask) == helping, name)  # in the answers' order, each once
                    answers_fact.append(index[name])
                    answers_mask.append(mask)
            answers_ref.append(at)
            at = entries[2].get(state.required)
            if at is None:
                at = entries[2][state.required] = len(required_len)
                required_len.append(len(state.required))
                required_fact.extend(sorted(index[name] for name in state.required))
            required_ref.append(at)
        worth = self.worth
        return {**columns, "worth": [worth[name].worth if name in worth else None for name in facts]}

    def restore(self, data: Mapping[str, Any], consultation: Consultation, settling: Settling) -> None:
        """Take the state export() wrote after `consultation` (checked: ValueError, TypeError or KeyError
        when a number, value or type is not one this rule base could have written)."""
        # Checked a column at a time (each check one pass in C): the first step of a process pays for this.
        facts, order = self.fact_order, self.rule_order
        last = len(facts) - 1
        _check(type(data) is dict and data.keys() == {*_COLUMNS, "worth"}, "columns")
        flags = _whole(data["flags"], len(order), 0, 3)
        weights, reaches = _floats(data["weight"], len(order)), _floats(data["reach"], len(order))
        # Each table (at most an entry a rule), then the rules' entries in it.
        ways_len = _whole(data["ways_len"], None, 0, len(facts), len(order))
        ways_fact = _whole(data["ways_fact"], sum(ways_len), 0, last)
        ways_cost = _whole(data["ways_cost"], len(ways_fact), 1, None)
        ways_ref = _whole(data["ways_ref"], len(order), -1, len(ways_len) - 1)
        answers_len = _whole(data["answers_len"], None, 0, len(facts), len(order))
        answers_fact = _whole(data["answers_fact"], sum(answers_len), 0, last)
        widest = max(map(len, self.spaces.values()), default=0)  # a mask has a bit for each answer of its fact
        answers_mask = _whole(data["answers_mask"], len(answers_fact), 0, (1 << widest) - 1)
        answers_ref = _whole(data["answers_ref"], len(order), 0, len(answers_len) - 1)
        required_len = _whole(data["required_len"], None, 0, len(facts), len(order))
        required_fact = _whole(data["required_fact"], sum(required_len), 0, last)
        required_ref = _whole(data["required_ref"], len(order), 0, len(required_len) - 1)
        pairs = self.shared.get("answer_pairs")
        if pairs is None:
            pairs = self.shared["answer_pairs"] = _WhenAsked(partial(self._answer_pair, widest))
        # Each column made in one pass in C: the ways' (name, cost) pairs; each helping answer's (name,
        # answers) pair, looked up by its fact and mask as one whole number (a mask no answers of its fact
        # could make: KeyError); then each table entry (a slice between running totals), and each rule's
        # entry (the ways' -1, past the last entry, is None).
        way_pairs = list(zip(map(facts.__getitem__, ways_fact), ways_cost, strict=True))
        codes = map(operator.add, map(operator.mul, answers_fact, repeat(1 << widest)), answers_mask)
        answer_pairs = list(map(pairs.__getitem__, codes))
        required_names = list(map(facts.__getitem__, required_fact))
        ways_table = [*map(dict, map(way_pairs.__getitem__, _slices(ways_len))), None]
        answers_table = list(map(dict, map(answer_pairs.__getitem__, _slices(answers_len))))
        required_table = list(map(frozenset, map(required_names.__getitem__, _slices(required_len))))
        states: dict[str, RuleState] = dict(zip(order, map(partial(tuple.__new__, RuleState), zip(
            map(ways_table.__getitem__, ways_ref), map(answers_table.__getitem__, answers_ref),
            map(required_table.__getitem__, required_ref), [flag & 1 == 1 for flag in flags], weights, reaches,
            [flag >= 2 for flag in flags], strict=True)), strict=True))
        # Only open rules are indexed: each target's, and the open rules waiting on each fact, in plan
        # order (each fact's readers, taken when a step first needs them).
        position, targets = self.position, self.targets
        self.in_target = {}
        waiting: dict[str, list[str]] = {name: [] for name in facts}
        for rule_id in sorted((r for r, state in states.items() if state.open and r in position),
                              key=position.__getitem__):
            rule_ways = states[rule_id].ways
            _check(bool(rule_ways), rule_id)  # an open rule waits on some fact
            target = targets[rule_id]
            members = self.in_target.get(target)
            if members is None:
                self.in_target[target] = {rule_id}
            else:
                members.add(rule_id)
            for name in rule_ways:  # type: ignore[union-attr]
                waiting[name].append(rule_id)
        waiting = {name: rules for name, rules in waiting.items() if rules}
        worth = data["worth"]
        _check(type(worth) is list and len(worth) == len(facts), "worth")
        self.worth = {name: FactWorth(value, tuple(waiting[name]))
                      for name, value in zip(facts, worth, strict=True) if value is not None}
        _check(self.worth.keys() == waiting.keys() - settling.unknowable and
               _numbers(w.worth for w in self.worth.values()), "worth")
        self.readers, self.tops, self.sums, self._groups, self._combined = {}, {}, {}, {}, {}
        self.shared.update(first=states, waiting=waiting, made={})
        self.states, self.owned = states, None
        self.values, self.settling = consultation.values, settling
        self.last = Snapshot(consultation.values, settling.unknowable, settling.moot, settling.set_aside_rules,
                             self._conclusions(consultation))

    def _answer_pair(self, widest: int, code: int) -> tuple[str, tuple[Any, ...]]:
        """A fact and the answers a mask stands for, from the fact's place and the mask as one number
        (place << widest | mask; KeyError: none of this fact's answers could make the mask)."""
        name = self.fact_order[code >> widest]
        mask = code & ((1 << widest) - 1)
        space = self.spaces[name]
        if not space or mask >> len(space):
            raise KeyError(name)
        return name, _helping(space, mask)

    def _static(self, rule_id: str) -> _Static:
        rule = self.by_id[rule_id]
        tests = _leaves_of(rule.condition)
        for leaf in tests:
            if id(leaf) not in self.tests:
                key = (leaf.subject, leaf.op, leaf.operand)  # what a Leaf's equality compares, hashed in C
                test = self.alike.get(key)
                if test is None:
                    test = self.alike[key] = self._test(leaf)
                self.tests[id(leaf)] = test
        weight = None if rule_id in self.gates else self._weight(rule, frozenset(), {})
        return _Static(tests, weight)

    @property
    def targets(self) -> dict[str, str]:
        """Each rule's (and gate's) target, worked out once for every copy: a step's indexes need only
        this of a rule, not its tests (_static), which a first state read back from disk has not made."""
        found = self.shared.get("targets")
        if found is None:
            by_id = self.by_id  # worked out for a rule when first asked: a first plan asks for the open ones
            found = self.shared["targets"] = _WhenAsked(lambda rule_id: target_of(by_id[rule_id]))
        return found

    @property
    def passing(self) -> dict[tuple[str, Any], tuple[str, ...]]:
        found = self.shared.get("passing")
        if found is None:
            found = self.shared["passing"] = _WhenAsked(self._passing)
        return found

    def _passing(self, key: tuple[str | None, Any]) -> tuple[str, ...]:
        """Whom a producer's change reaches: for the (name, value) it concludes, the readers with a
        test that value could pass (worked out when first asked, for every copy)."""
        name, value = key
        if name is None or name in self.inputs:
            return ()
        found = []
        for rule_id, tests in self._tests_on(name):
            for leaf in tests:
                if isinstance(leaf.operand, FactRef) or _holds(leaf, value):  # compared with another fact: any value
                    found.append(rule_id)
                    break
        return tuple(found)

    def _tests_on(self, name: str) -> list[tuple[str, tuple[Leaf, ...]]]:
        """The rules reading `name`, each with its tests on it (as subject or compared with): read from the
        conditions, not their worked-out tests (_static: most readers are never worked out)."""
        tests_on = self.shared.get("tests_on")
        if tests_on is None:
            tests_on = self.shared["tests_on"] = {}
        found = tests_on.get(name)
        if found is None:
            found = tests_on[name] = [
                (rule_id, tuple(leaf for leaf in _leaves_of(self.by_id[rule_id].condition) if leaf.subject == name or
                                (isinstance(leaf.operand, FactRef) and leaf.operand.name == name)))
                for rule_id in self.readers_of.get(name, ())]
        return found

    def _test(self, leaf: Leaf) -> _Test:
        operand = leaf.operand
        other = operand.name if isinstance(operand, FactRef) else None
        space = self.spaces.get(leaf.subject, ())
        helping = None
        if leaf.subject in self.inputs and other is None and space:
            helping = tuple(v for v in space if leaf_holds(leaf.op, v, operand))
        return _Test(leaf.subject, other, leaf.op, operand, helping)

    def _fill(self, name: str) -> None:
        """Take a fact's readers when a step first needs them, after a state read back from disk
        (restore): the first state's, once per process, shared until a copy changes them (see _own)."""
        if name in self.filled:
            return
        self.filled.add(name)
        waiting = self.shared.get("waiting", {}).get(name)
        if waiting is None:
            return
        made = self.shared["made"].get(name)
        if made is None:
            made = self.shared["made"][name] = set(waiting)
        self.readers[name] = made  # its parts are worked out when it is first valued (see _value_fact)

    def copy(self) -> RuleStates:
        """A copy to go on from (states and worths are immutable; the indexes are copied)."""
        other = object.__new__(RuleStates)
        other.__dict__.update(self.__dict__)
        other.states = dict(self.states)
        other.in_target = {t: set(s) for t, s in self.in_target.items()}
        other.worth = dict(self.worth)
        # Each fact's own tables are copied when first changed (most never are).
        other.readers, other.tops, other.sums = dict(self.readers), dict(self.tops), dict(self.sums)
        other.owned, other.filled = set(), set(self.filled)
        self.owned = set()  # what both hold now, neither changes in place
        # A name's memo is dropped (not changed) when one of its producers changes, so one still
        # shared holds for every copy sharing it: their producers are still the ones it was made from.
        other._groups, other._combined = dict(self._groups), dict(self._combined)
        return other

    # --- one step ------------------------------------------------------------

    def update(self, consultation: Consultation, settling: Settling) -> None:
        """Bring every state up to date with a new consultation (and its settling: what is moot,
        what will not be answered, which rules are set aside). The cyclic collector is paused meanwhile,
        as for a consultation (Advisor.consult): a step makes tens of thousands of small objects, none
        of them garbage in a reference cycle, and the collector's passes over them could only find nothing."""
        with collector_paused():
            self._update(consultation, settling)

    def _update(self, consultation: Consultation, settling: Settling) -> None:
        values = consultation.values
        snapshot = Snapshot(values, settling.unknowable, settling.moot, settling.set_aside_rules,
                            self._conclusions(consultation))
        self.values, self.settling, self.snapshot = values, settling, snapshot
        self.unknowable = snapshot.unknowable
        self.chosen = snapshot.conclusions
        if self.last is None:
            full, only_open, touched = set(self.by_id), set(), set(self.inputs)
        else:
            full, only_open, touched = self._dirty(self.last, snapshot)
        self.states = dict(self.states)  # a plan handed out keeps the states it was made from
        targets: set[str] = set()  # whose count of open rules changed
        moved: set[str] = set()  # facts whose open rules changed
        parts: set[tuple[str, str]] = set()  # (fact, target) whose rules waiting on the fact changed
        pending = [(*self.rank[r], r) for r in full | only_open]
        heapq.heapify(pending)
        queued = full | only_open
        changes: list[tuple[str, RuleState | None, RuleState]] = []
        while pending:
            rule_id = heapq.heappop(pending)[2]
            rule = self.by_id[rule_id]
            old = self.states.get(rule_id)
            if rule_id in full or old is None:
                new = self._work_out(rule)
            else:  # only what its conclusion stands against changed: whether it could still change it
                new = old._replace(open=bool(old.ways) and rule_id in self.position and self._could_change(rule))
            if old == new:
                continue
            self.states[rule_id] = new
            changes.append((rule_id, old, new))
            if old is None or old.hands_on() != new.hands_on():
                self._groups.pop(rule.conclusion.name, None)  # type: ignore[arg-type]
                self._combined.pop(rule.conclusion.name, None)  # type: ignore[arg-type]
                for reader in self.passing[(rule.conclusion.name, rule.conclusion.value)]:
                    state = self.states.get(reader)
                    if state is not None and state.known:  # a decided rule stays so
                        continue
                    full.add(reader)
                    if reader not in queued:
                        queued.add(reader)
                        heapq.heappush(pending, (*self.rank[reader], reader))
        self.last = snapshot
        if self._most_changed(changes):
            self._rebuild()
            return
        for rule_id, old, new in changes:
            self._reindex(rule_id, old, new, touched, targets, moved, parts)
        for target in targets:  # its count changes what closing each of its rules is worth
            for rule_id in self.in_target.get(target, ()):
                touched.update(self.states[rule_id].required)
        self._value_facts(touched, parts, moved)

    def _most_changed(self, changes: list[tuple[str, RuleState | None, RuleState]]) -> bool:
        """Whether the open rules' ways that changed are more than REBUILD_SHARE of those kept: then every
        fact is valued again in one pass over the open rules (_rebuild), cheaper than moving each
        changed rule in the indexes and valuing each fact from its readers. (A first state always is.)"""
        kept = sum(len(w.readers) for w in self.worth.values())
        changed = 0
        for _, old, new in changes:
            if old is not None and old.open:
                changed += len(old.ways)  # type: ignore[arg-type]
            if new.open:
                changed += len(new.ways)  # type: ignore[arg-type]
        return not kept or changed > REBUILD_SHARE * kept

    def _rebuild(self) -> None:
        """The indexes (each target's open rules, the open rules waiting on each fact) and every fact's
        worth with its parts, worked out afresh in one pass over the open rules in plan order: what
        _value_fact works out fact by fact, rule by rule (each rule's tables looked up once). A rule's
        reach over cost is scaled by its answers' share as it is read, so each (target, answer) keeps its
        best at once: the same best as scaling the best (a product's rounding keeps the order)."""
        states, targets, shares, failing_memo = self.states, self.targets, self.shares, self._failing_memo
        in_target: dict[str, set[str]] = {}
        # Every input fact's tables made empty first: one lookup a pair, no miss to handle.
        readers: dict[str, list[str]] = {name: [] for name in self.fact_order}
        tops: dict[str, dict[tuple[str, Any], float]] = {name: {} for name in self.fact_order}
        closes: dict[str, dict[str, list[float]]] = {}
        for rule_id in self.in_plan_order:
            state = states.get(rule_id)
            if state is None or not state.open:
                continue
            target = targets[rule_id]
            members = in_target.get(target)
            if members is None:
                in_target[target] = {rule_id}
            else:
                members.add(rule_id)
            reach, answers, ways = state.reach, state.answers, state.ways
            for name, cost in ways.items():  # type: ignore[union-attr]
                readers[name].append(rule_id)
                fact_tops = tops[name]
                helping = answers.get(name)
                if helping is None:  # any answer
                    key = (target, SOME)
                    value = reach / cost * 0.5
                    have = fact_tops.setdefault(key, value)
                    if value > have:
                        fact_tops[key] = value
                    continue
                value = reach / cost * shares[name]
                for answer in helping:
                    key = (target, answer)
                    have = fact_tops.setdefault(key, value)
                    if value > have:
                        fact_tops[key] = value
            for name in state.required:  # every way needs it: an answer can rule the rule out
                if name not in ways:  # type: ignore[operator]
                    continue
                helping = answers.get(name)
                failing = failing_memo.get((name, helping))
                if failing is None:
                    failing = self._failing(name, helping)
                fact_closes = closes.get(name)
                if fact_closes is None:
                    fact_closes = closes[name] = {}
                closing = state.weight * failing
                have_closes = fact_closes.get(target)
                if have_closes is None:
                    fact_closes[target] = [closing]
                else:
                    have_closes.append(closing)
        self._take_rebuilt(in_target, readers, tops, closes)

    def _take_rebuilt(self, in_target: dict[str, set[str]], readers: dict[str, list[str]],
                      tops: dict[str, dict[tuple[str, Any], float]], closes: dict[str, dict[str, list[float]]]) -> None:
        """Each fact's readers, parts and worth from what _rebuild gathered."""
        unknowable = self.unknowable
        self.in_target = in_target
        self.readers = {}
        self.owned, self.filled = None, set(self.fact_order)  # every table is this copy's own, and taken
        self.tops, self.sums, self.worth = {}, {}, {}
        for name, rules in readers.items():
            if not rules:
                continue
            self.readers[name] = set(rules)
            if name in unknowable:
                continue
            fact_tops = self.tops[name] = tops[name]
            sums = self.sums[name] = {target: fsum(values) for target, values in closes.get(name, {}).items()}
            worth = fsum(fact_tops.values()) + \
                CLOSING_WEIGHT * fsum(total / len(in_target[target]) for target, total in sums.items())
            self.worth[name] = FactWorth(worth, tuple(rules))

    def _value_facts(self, touched: set[str], parts: set[tuple[str, str]], moved: set[str]) -> None:
        """Value again the facts a step touched, with the parts of their worth it changed."""
        readers = self.readers
        if 2 * len(parts) > sum(len(readers.get(name, ())) for name in touched):
            for name in touched:  # most facts change much: each worked out in one pass over its readers
                self._value_fact(name, None, name in moved)
            return
        changed: dict[str, list[str]] = {}
        for name, target in parts:
            found = changed.get(name)
            if found is None:
                changed[name] = [target]
            else:
                found.append(target)
        for name in touched:
            self._value_fact(name, changed.get(name, ()), name in moved)

    def _reindex(self, rule_id: str, old: RuleState | None, new: RuleState, touched: set[str],
                 targets: set[str], moved: set[str], parts: set[tuple[str, str]]) -> None:
        """Move a rule whose state changed in the indexes: open rules by target, and the open rules
        waiting on each fact."""
        target = self.targets[rule_id]
        if old is not None and old.open and new.open and old.reach == new.reach and old.weight == new.weight:
            # Still open, worth the same: only the facts whose way, answers or need changed.
            before, after = old.ways or {}, new.ways or {}
            # Compared a whole table at a time (in C): most of a long chain's facts keep their way.
            changed = {name for name, _ in before.items() ^ after.items()}
            if old.answers != new.answers:
                changed.update(name for name, _ in old.answers.items() ^ new.answers.items()
                               if name in before or name in after)
            changed.update(old.required ^ new.required)
            if changed:
                touched.update(changed)
                parts.update(zip(changed, repeat(target)))
                self._move(rule_id, [name for name in changed if name not in after], False, moved)
                self._move(rule_id, [name for name in changed if name not in before], True, moved)
            return
        for state, add in ((old, False), (new, True)):
            if state is None or not state.open:
                continue
            members = self.in_target.setdefault(target, set())
            if add:
                members.add(rule_id)
            else:
                members.discard(rule_id)
            if state.ways:
                touched.update(state.ways)
                parts.update(zip(state.ways, repeat(target)))
                self._move(rule_id, state.ways, add, moved)
        if (old is not None and old.open) != new.open:
            targets.add(target)

    def _move(self, rule_id: str, names: Iterable[str], add: bool, moved: set[str]) -> None:
        """Add an open rule to (or take it from) the readers of each fact of `names`."""
        owned, filled, all_readers = self.owned, self.filled, self.readers
        moved.update(names)
        if not filled.issuperset(names) or (owned is not None and not owned.issuperset(names)):
            for name in names:  # each fact's readers taken (after restore) and made this copy's own once
                if name not in filled:
                    self._fill(name)
                if owned is not None and name not in owned:
                    self._own(name)
        if not add:
            for name in names:
                all_readers[name].discard(rule_id)
            return
        for name in names:
            readers = all_readers.get(name)
            if readers is None:
                all_readers[name] = {rule_id}
            else:
                readers.add(rule_id)

    def _own(self, name: str) -> None:
        """Make a fact's tables this copy's own to change (they are shared with the state it was copied from)."""
        self.owned.add(name)  # type: ignore[union-attr]
        self.readers[name] = set(self.readers.get(name, ()))
        if name in self.tops:
            self.tops[name], self.sums[name] = dict(self.tops[name]), dict(self.sums[name])

    def _failing(self, name: str, helping: tuple[Any, ...] | None) -> float:
        """The share of a fact's answers that rule out a rule helped by `helping` (None: by any)."""
        found = self._failing_memo.get((name, helping))
        if found is None:
            found = self._failing_memo[(name, helping)] = self._failing_share(name, helping)
        return found

    def _failing_share(self, name: str, helping: tuple[Any, ...] | None) -> float:
        space = self.spaces.get(name, ())
        if not space:
            return 0.5  # a list or a number: some answers rule it out
        return sum(1 for v in space if v not in (helping if helping is not None else space)) / len(space)

    def _conclusions(self, consultation: Consultation) -> dict[str, Any]:
        """For each concluded name: the choices standing (several-choice decisions) and the rank of
        the highest firing that concluded its value (one pass over the firings)."""
        values = consultation.values
        ranks: dict[str, tuple[int, int]] = {}
        for f in consultation.fired:
            if f.name in values and f.value == values[f.name] and f.status in ("applied", "supporting"):
                rank = self.by_id[f.rule_id].rank
                if rank > ranks.get(f.name, _NO_RANK):  # type: ignore[arg-type]
                    ranks[f.name] = rank  # type: ignore[index]
        chosen: dict[str, list[str]] = {}
        for rec in consultation.recommendations:
            if rec.decision in self.multiple:
                chosen.setdefault(rec.decision, []).append(rec.choice)
        return {name: (tuple(chosen.get(name, ())), ranks.get(name, _NO_RANK))
                for name in self.concluding if name in ranks or name in chosen}

    def _dirty(self, last: Snapshot, now: Snapshot) -> tuple[set[str], set[str], set[str]]:
        """After what changed: the rules to work out again, those of which only whether they could
        still change their conclusion may have changed, and the facts to value again."""
        moved = {n for n in last.values.keys() | now.values.keys()
                 if last.values.get(n, _MISSING) != now.values.get(n, _MISSING)}
        unanswerable = last.unknowable ^ now.unknowable
        full: set[str] = set(last.set_aside ^ now.set_aside)
        for name in moved | unanswerable:
            full.update(self.readers_of.get(name, ()))
        for name in moved | (last.moot ^ now.moot):
            full.update(self.cutting.get(name, ()))
        only_open: set[str] = set()
        for name in moved | {n for n in last.conclusions.keys() | now.conclusions.keys()
                             if last.conclusions.get(n) != now.conclusions.get(n)}:
            only_open.update(self.concluding.get(name, ()))
        return full, only_open - full, set(unanswerable & self.inputs)

    # --- one rule --------------------------------------------------------------

    def target(self, rule: Rule) -> str:
        return self.targets[rule.id]

    def _work_out(self, rule: Rule) -> RuleState:
        static = self.static[rule.id]
        tests, values = self.tests, self.values
        truths: dict[int, bool | None] = {}
        for leaf in static.tests:  # each test's truth with the values so far (None: not known yet)
            test = tests[id(leaf)]
            subject, other = test.subject, test.other
            if subject not in values:
                truths[id(leaf)] = None
            elif other is None:
                truths[id(leaf)] = leaf_holds(test.op, values[subject], test.operand)
            elif other not in values:
                truths[id(leaf)] = None
            else:
                truths[id(leaf)] = leaf_holds(test.op, values[subject], values[other] * test.operand.times)
        truth = self._truth(rule.condition, truths)
        if truth is None:
            ways, required = self._condition(rule.condition, truths)
        else:  # decided by the answers so far: its ways need not be worked out (they are none)
            ways, required = ({} if truth else None), _NOTHING
        known = False
        if not ways or rule.id in self.snapshot.set_aside:  # decided, impossible or set aside
            # Nothing reads what such a rule could settle: no ways, answers or required facts.
            known = ways == {} or truth is not None
            ways, answers, required = None, {}, _NOTHING
        else:
            answers = self._answers(static.tests, truths)
        is_open = bool(ways) and rule.id in self.position and self._could_change(rule)
        weight = static.weight if static.weight is not None else \
            self._weight(rule, self.snapshot.moot, self.values)
        reach = weight if True in truths.values() else weight * COLD
        return RuleState(ways, answers, required, is_open, weight, reach, known)

    def _could_change(self, rule: Rule) -> bool:
        """Whether firing it would change something: a warning, an open decision, a value it outranks
        or ties with (an equal priority can contest a value, or settle with it by sets)."""
        conclusion = rule.conclusion
        if conclusion.kind == "warn":
            return True
        name = conclusion.name
        assert name is not None
        chosen, rank = self.chosen.get(name, ((), _NO_RANK))
        if name in self.multiple:
            return conclusion.value not in chosen
        if name not in self.values:
            # An open decision; a derived fact matters only through the rules that read it.
            return conclusion.kind == "recommend"
        return self.values[name] != conclusion.value and rule.priority >= rank[0]

    def _weight(self, rule: Rule, moot: frozenset[str], values: Mapping[str, Any]) -> float:
        conclusion = rule.conclusion
        if conclusion.kind == "warn":
            # A scope gate cuts the questions of the decisions it sets aside: worth more the more it cuts.
            cut = sum(1 for name in self.gate_cuts.get(rule.id, ()) if name not in values and name not in moot)
            return WARNING_WEIGHT + GATE_WEIGHT * cut
        return self.weights.get(conclusion.name or "", 1.0)

    def _condition(self, condition: Condition, truths: dict[int, bool | None]) -> tuple[Ways | None, frozenset[str]]:
        """The condition's ways (None: false or impossible; empty: true) and the input facts every
        way needs (empty once its truth is known)."""
        if isinstance(condition, Leaf):
            return self._leaf(condition, truths[id(condition)])
        results = [self._leaf(part, truths[id(part)]) if type(part) is Leaf else self._condition(part, truths)
                   for part in condition.parts]
        ways: Ways | None
        found: list[Ways] = []  # the parts' ways that are not empty (all) or not None (any)
        needs: list[frozenset[str]] = []  # the required facts of the parts that are not impossible
        if isinstance(condition, All):
            ways = {}
            for part_ways, part_needs in results:
                if part_ways is None:
                    ways = None
                    continue
                if part_ways:
                    found.append(part_ways)
                needs.append(part_needs)
            if ways is not None and found:
                ways = combine_all(found)
            required = frozenset().union(*needs)
        else:
            true = False
            for part_ways, part_needs in results:
                if part_ways is not None:
                    true = true or not part_ways
                    found.append(part_ways)
                    needs.append(part_needs)
            ways = {} if true else combine_any(found)
            required = frozenset.intersection(*needs) if needs else frozenset()
        if ways == {} or (ways is None and self._truth(condition, truths) is not None):
            return ways, frozenset()  # decided: nothing is required any more
        return ways, required

    @staticmethod
    def _truth(condition: Condition, truths: dict[int, bool | None]) -> bool | None:
        """Kleene truth of a condition from its tests' truths."""
        if isinstance(condition, Leaf):
            return truths[id(condition)]
        decisive = not isinstance(condition, All)
        unknown = False
        for part in condition.parts:
            result = RuleStates._truth(part, truths)
            if result is None:
                unknown = True
            elif result == decisive:
                return decisive
        return None if unknown else not decisive

    def _leaf(self, leaf: Leaf, truth: bool | None) -> tuple[Ways | None, frozenset[str]]:
        if truth is not None:
            return ({} if truth else None), _NOTHING
        test = self.tests[id(leaf)]
        values = self.values
        if test.other is None or test.other in values:
            if test.subject in self.inputs:  # the commonest test: one unanswered input fact
                subject = test.subject
                if subject in self.unknowable:
                    return None, frozenset((subject,))
                return self._single(subject)
            unknown: tuple[str, ...] = (test.subject,)
        elif test.subject in values:
            unknown = (test.other,)
        else:
            unknown = (test.subject, test.other)
        per_name: list[Ways] = []
        required: set[str] = set()
        possible = True
        for name in unknown:
            if name in self.inputs:
                required.add(name)
                if name in self.unknowable:
                    possible = False
                else:
                    per_name.append({name: 1})
                continue
            through = self._through(name, leaf)
            if through is not None:
                required |= through.required
                per_name.append(through.ways)
            else:
                possible = False
        return (combine_all(per_name) if possible else None), frozenset(required)

    def _answers(self, tests: tuple[Leaf, ...], truths: dict[int, bool | None]) -> dict[str, tuple[Any, ...]]:
        """For each unanswered bool or choice fact the rule waits on: the answers that could help it,
        passing a test in its condition or in the condition of a producer it waits on."""
        found: dict[str, tuple[Any, ...]] = {}
        merged: dict[str, set[Any]] = {}
        for leaf in tests:
            if truths[id(leaf)] is not None:
                continue
            test = self.tests[id(leaf)]
            subject = test.subject
            if subject in self.inputs:
                if test.helping is not None:
                    _merge(found, merged, subject, test.helping)
                continue
            through = self._through(subject, leaf)
            if through is not None:
                _merge_all(found, merged, through.answers)
        for name, helping in merged.items():
            found[name] = tuple(v for v in self.spaces[name] if v in helping)
        return found

    def _through(self, name: str, leaf: Leaf) -> _Through | None:
        """What the producers helpful to `leaf` hand on together (None: there are none): worked out
        once per step for each set of values a test accepts, and shared by every reader."""
        groups, chosen_by_test = self._producer_groups(name)
        if leaf.subject != name or isinstance(leaf.operand, FactRef):
            chosen = tuple(groups)
        else:
            test = (leaf.op, leaf.operand)  # equal tests in many readers choose alike
            found_chosen = chosen_by_test.get(test)
            if found_chosen is None:
                found_chosen = chosen_by_test[test] = tuple(v for v in groups if _holds(leaf, v))
            chosen = found_chosen
        combined = self._combined.get(name)
        if combined is None:
            combined = self._combined[name] = {}
        elif chosen in combined:
            return combined[chosen]
        states = [self.states[p] for v in chosen for p in groups[v]]
        result = None
        if len(states) == 1:  # its answers as they are (never changed once made: shared)
            state = states[0]
            result = _Through(state.ways, state.required, state.answers)  # type: ignore[arg-type]
        elif states:
            found: dict[str, tuple[Any, ...]] = {}
            merged: dict[str, set[Any]] = {}
            for state in states:
                _merge_all(found, merged, state.answers)
            for fact, helping in merged.items():
                found[fact] = tuple(v for v in self.spaces[fact] if v in helping)
            result = _Through(combine_any([s.ways for s in states]),  # type: ignore[arg-type,misc]
                              frozenset.intersection(*(s.required for s in states)), found)
        combined[chosen] = result
        return result

    def _producer_groups(self, name: str) -> tuple[dict[Any, tuple[str, ...]], dict[tuple[str, Any], tuple[Any, ...]]]:
        """The producers of `name` that could still fire, by the value they conclude, and (filled by
        _through) the values each test on `name` accepts among them."""
        found = self._groups.get(name)
        if found is None:
            states, by_id = self.states, self.by_id
            collect: dict[Any, list[str]] = {}
            for producer_id in self.concluding.get(name, ()):
                if states[producer_id].ways is not None:
                    collect.setdefault(by_id[producer_id].conclusion.value, []).append(producer_id)
            found = self._groups[name] = ({v: tuple(ids) for v, ids in collect.items()}, {})
        return found

    # --- one fact ----------------------------------------------------------------

    def _single(self, name: str) -> tuple[Ways, frozenset[str]]:
        """An unanswered input fact's own ways and need (never changed once made: shared)."""
        single = self.shared.get("single")
        if single is None:
            single = self.shared["single"] = {}
        found = single.get(name)
        if found is None:
            found = single[name] = ({name: 1}, frozenset((name,)))
        return found

    def _value_fact(self, name: str, changed: Collection[str] | None = None, moved: bool = True) -> None:
        """What the open rules waiting on `name` make it worth (see the planner's docstring): for each
        (target, answer), the best reach over cost of a rule for it, each answer counting its share of
        the answers; plus the closing worth of the rules every way of which needs it (its weight times
        the share of answers that rule it out), each target's divided by its open rules. Summed exactly
        (fsum), so the same answers give the same worth whatever came before. The parts of the targets
        `changed` (whose rules waiting on it changed; None: any) are worked out again, or all of them
        in one pass over its readers when that is cheaper. `moved`: its readers may have changed (else
        they are the ones it had, in that order)."""
        self._fill(name)
        readers = self.readers.get(name)
        if not readers or name in self.unknowable:
            self.worth.pop(name, None)
            self.tops.pop(name, None)  # worked out afresh when it is worth asking again
            self.sums.pop(name, None)
            return
        tops = self.tops.get(name)
        in_target = self.in_target
        if tops is None or changed is None or \
                2 * sum(len(in_target.get(target, ())) for target in changed) > len(readers):
            if self.owned is not None and name not in self.owned:
                self._own(name)
            tops, sums = self.tops[name], self.sums[name] = self._parts(name, readers, self.states)
        else:
            if changed and self.owned is not None and name not in self.owned:
                self._own(name)
                tops = self.tops[name]
            sums = self.sums[name]
            for target in changed:
                self._part(name, target, tops, sums)
        worth = fsum(tops.values()) + \
            CLOSING_WEIGHT * fsum(total / len(in_target[target]) for target, total in sums.items())
        old = self.worth.get(name)
        if old is not None and not moved:
            ordered = old.readers
        else:
            ordered = tuple(sorted(readers, key=self.position.__getitem__))
        self.worth[name] = FactWorth(worth, ordered)

    def _parts(self, name: str, readers: Iterable[str], states: Mapping[str, RuleState]) -> tuple[
            dict[tuple[str, Any], float], dict[str, float]]:
        """Every target's part of a fact's worth, from the open rules waiting on it (one pass)."""
        targets, failing = self.targets, self._failing
        best: dict[tuple[str, Any], float] = {}
        closes: dict[str, list[float]] = {}
        for rule_id in readers:
            state = states[rule_id]
            target = targets[rule_id]
            value = state.reach / state.ways[name]  # type: ignore[index]
            helping = state.answers.get(name)
            for answer in helping if helping is not None else _SOME:
                key = (target, answer)
                found = best.get(key)
                if found is None or value > found:
                    best[key] = value
            if name in state.required:
                found_closes = closes.get(target)
                closing = state.weight * failing(name, helping)
                if found_closes is None:
                    closes[target] = [closing]
                else:
                    found_closes.append(closing)
        space = self.spaces.get(name)
        share = 1 / len(space) if space else 0.0
        return ({key: value * (0.5 if key[1] is SOME else share) for key, value in best.items()},
                {target: fsum(values) for target, values in closes.items()})

    def _part(self, name: str, target: str, tops: dict[tuple[str, Any], float], sums: dict[str, float]) -> None:
        """One target's part of a fact's worth, worked out again from the target's open rules."""
        space = self.spaces.get(name, ())
        for answer in space:
            tops.pop((target, answer), None)
        tops.pop((target, SOME), None)
        sums.pop(target, None)
        states = self.states
        best: dict[Any, float] = {}
        closing: list[float] = []
        for rule_id in self.in_target.get(target, ()):
            state = states[rule_id]
            cost = state.ways.get(name)  # type: ignore[union-attr]  # an open rule has ways
            if cost is None:
                continue
            value = state.reach / cost
            helping = state.answers.get(name)
            for answer in helping if helping is not None else _SOME:
                found = best.get(answer)
                if found is None or value > found:
                    best[answer] = value
            if name in state.required:
                closing.append(state.weight * self._failing(name, helping))
        share = 1 / len(space) if space else 0.0
        for answer, value in best.items():
            tops[(target, answer)] = value * (0.5 if answer is SOME else share)
        if closing:
            sums[target] = fsum(closing)


def _holds(leaf: Leaf, value: Any) -> bool:
    try:
        return leaf_holds(leaf.op, value, leaf.operand)
    except TypeError:
        return False


def _leaves_of(condition: Condition) -> tuple[Leaf, ...]:
    """A condition's tests in order, as leaves() gives them, without a generator per part."""
    if type(condition) is Leaf:
        return (condition,)
    found: list[Leaf] = []
    _gather_leaves(condition, found)
    return tuple(found)


def _gather_leaves(condition: Condition, found: list[Leaf]) -> None:
    for part in condition.parts:  # type: ignore[union-attr]
        if type(part) is Leaf:
            found.append(part)
        else:
            _gather_leaves(part, found)


def target_of(rule: Rule) -> str:
    """What settling the rule settles: its decision or derived fact; a warning is its own."""
    return rule.id if rule.conclusion.kind == "warn" else rule.conclusion.name or rule.id


class _WhenAsked(dict):  # type: ignore[type-arg]
    """A dict whose missing entries are worked out (and kept) when first asked for."""

    def __init__(self, work_out: Any) -> None:
        super().__init__()
        self.work_out = work_out

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.work_out(key)
        return value


class _Test(NamedTuple):
    subject: str
    other: str | None                  # the fact a FactRef operand compares with
    op: str
    operand: Any
    helping: tuple[Any, ...] | None    # on a yes/no or choice input fact: the answers that pass


class _Through(NamedTuple):
    ways: Ways
    required: frozenset[str]
    answers: dict[str, tuple[Any, ...]]


class _Static(NamedTuple):
    tests: tuple[Leaf, ...]
    weight: float | None  # None: a gate's, which changes with what is moot


def _merge_all(found: dict[str, tuple[Any, ...]], merged: dict[str, set[Any]],
               answers: Mapping[str, tuple[Any, ...]]) -> None:
    """_merge for each fact of `answers` (one call for a source's facts)."""
    if not found:  # the first source: taken as it is (in C)
        found.update(answers)
        return
    for name, helping in answers.items():
        if name not in found:
            found[name] = helping
            continue
        have = found[name]
        if have is not helping and have != helping:
            more = merged.get(name)
            if more is None:
                merged[name] = {*have, *helping}
            else:
                more.update(helping)


def _merge(found: dict[str, tuple[Any, ...]], merged: dict[str, set[Any]], name: str,
           answers: tuple[Any, ...]) -> None:
    """Add answers that help: one source's tuple as it is, several sources' union (ordered later)."""
    if name in merged:
        merged[name].update(answers)
    elif name in found:
        if found[name] != answers:
            merged[name] = {*found[name], *answers}
    else:
        found[name] = answers


# --- a state on disk ------------------------------------------------------------------------

_COLUMNS = ("flags", "weight", "reach", "ways_ref", "ways_len", "ways_fact", "ways_cost", "answers_ref",
            "answers_len", "answers_fact", "answers_mask", "required_ref", "required_len", "required_fact")
# How each column is kept on disk (state_cache.py packs it): an array of whole numbers ("q": of 1, 2,
# 4 or 8 bytes, type code b, h, i or q) or of doubles ("d"); restore() takes each as such an array.
COLUMN_CODES = {key: "d" if key in ("weight", "reach") else "q" for key in _COLUMNS}


def _helping(space: tuple[Any, ...], mask: int) -> tuple[Any, ...]:
    """The answers of `space` whose bits are set in `mask`, in the answers' order."""
    return tuple(value for i, value in enumerate(space) if mask >> i & 1)


def _slices(counts: Iterable[int]) -> list[slice]:
    """Consecutive slices of the given lengths."""
    ends = list(accumulate(counts))
    return list(map(slice, [0, *ends[:-1]], ends))


def _whole(value: Any, length: int | None, low: int, high: int | None, most: int | None = None) -> array[int]:
    """An array of `length` (None: at most `most`) whole numbers (state_cache.py unpacks a column into
    one) from `low` to `high` (None: no bound); each check one pass in C."""
    _check(type(value) is array and value.typecode in "bhiq" and
           (len(value) == length if length is not None else most is None or len(value) <= most) and
           (not value or (min(value) >= low and (high is None or max(value) <= high))), "numbers")
    return value


def _floats(value: Any, length: int) -> array[float]:
    """An array of `length` finite numbers (state_cache.py unpacks a column into one)."""
    _check(type(value) is array and value.typecode == "d" and len(value) == length and all(map(isfinite, value)),
           "numbers")
    return value


def _check(ok: bool, what: Any) -> None:
    if not ok:
        raise ValueError(f"not a planner state: {what!r:.80}")


def _numbers(values: Iterable[Any]) -> bool:
    values = tuple(values)
    return set(map(type, values)) <= {float} and all(map(isfinite, values))
