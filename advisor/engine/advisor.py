"""Inference and trace: run the knowledge base on a scenario's facts, recording every firing.

One experta engine per process, compiled once. Each consultation `reset()`s it when it
starts (an engine is never trusted to have been left clean) and again when it ends (working
memory freed before the result is handed back). Rules fire by stratum, then rank
(advisor/engine/agenda.py), so producers fire before the rules that read what they produce.
When a rule concludes a value that outranks the one in working memory, the value is replaced
before anything reads it; the trace keeps every firing.

The finished consultation is assembled from three jobs, one module each: conflict settling
(conflicts.py: which firing stands, which is overruled or contested), certainty
(certainty.py) and what would settle the decisions left open (settling.py).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache, partial
from operator import attrgetter
from typing import Any

from advisor.collector import collector_paused
from advisor.engine import certainty, conflicts
from advisor.engine.compiler import build_engine_class
from advisor.engine.memory import new_datum
from advisor.engine.results import (
    USER,
    Consultation,
    Evidence,
    Firing,
    OpenDecision,
    Recommendation,
    RuleWarning,
    SetAside,
)
from advisor.engine.settling import Settling
from advisor.knowledge import KnowledgeBase, load_knowledge, scope
from advisor.knowledge.conditions import evaluate, leaves, subjects
from advisor.knowledge.rules import Rule
from advisor.knowledge.scope import ScopeEntry

_EVIDENCE = attrgetter("evidence")


class _Trace:
    """Everything a consultation records while experta runs. One per Advisor, its RHS
    callback from the start (no indirection per firing), emptied by `begin()`."""

    def __init__(self, read_names: frozenset[str], guards: dict[str, tuple[ScopeEntry, ...]],
                 by_sets: dict[str, dict[str, frozenset[str]]], refines: Any,
                 order: dict[str, dict[Any, int]]) -> None:
        self.read_names = read_names
        self.refines = refines  # (rule id, other rule id) -> the first is an exception to the second
        self.order = order  # name -> value -> its position in the vocabulary
        self.guards = guards  # rule id -> the scope entries that can set it aside
        self.by_sets = by_sets  # decision -> its combined choices: settled by conflicts.settle_by_sets
        self.datum = _Datums()
        self.begin()

    def begin(self, facts: dict[str, Any] | None = None) -> None:
        # New containers, not cleared ones: the previous consultation keeps its own.
        self.fired: list[Firing] = []
        self.live: dict[str, tuple[Any, Any]] = {}      # name -> (value, declared Datum or None)
        self.best_rank: dict[tuple[str, Any], tuple[int, int]] = {}
        self.seen: set[str] = set()
        self.facts = facts or {}
        self.in_scope: dict[str, bool] = {}  # scope entry id -> holds (settled before any rule it guards fires)
        self.tops: dict[str, tuple[int, dict[Any, str]]] = {}  # by-sets decision -> (top priority, proposals)
        self.unread: set[str] = set()  # contested values: shown, but nothing reads them
        self.ranked: dict[str, tuple[int, dict[Any, list[str]]]] = {}  # name -> (top priority, value -> rules)

    def lookup(self, name: str) -> Any:
        if name in self.facts:
            return self.facts[name]
        if name in self.unread:
            raise KeyError(name)
        return self.live[name][0]  # KeyError: unknown, as evaluate wants

    def record(self, engine: Any, rule: Rule, facts: Sequence[Any]) -> None:
        rule_id = rule.id
        seen = self.seen
        if rule_id in seen:  # an `any` condition can match through several branches
            return
        seen.add(rule_id)
        c = rule.conclusion
        kind, name, value = c.kind, c.name, c.value
        fired = self.fired
        # The scope entry that sets this firing aside, if one holds (most rules have entries
        # that can, and most firings find them settled already: looked up here, not in a call).
        # Rules are stratified after what decides their scope, so its condition is settled.
        for entry in self.guards.get(rule_id, ()):
            holds = self.in_scope.get(entry.id)
            if holds is None:
                holds = self.in_scope[entry.id] = evaluate(entry.condition, self.lookup) is True
            if holds:  # moot: traced, never declared, never recommended
                fired.append(Firing(len(fired) + 1, rule_id, kind, name, value, tuple(map(_EVIDENCE, facts)),
                                    "set_aside", f"set aside by {entry.id}: {entry.title}"))
                return
        fired.append(Firing(len(fired) + 1, rule_id, kind, name, value, tuple(map(_EVIDENCE, facts)),
                            "warning" if kind == "warn" else "applied"))
        if kind == "warn" or name is None:
            return
        if name in self.by_sets:
            self._record_by_sets(engine, rule, name, value)
        else:
            self._record_ranked(engine, rule, name, value)

    def _record_ranked(self, engine: Any, rule: Rule, name: str, value: Any) -> None:
        """The top priority decides; at equal priority a value stands when its rule refines
        every rival's (an exception to it), and otherwise the values are contested."""
        rule_id = rule.id
        key = (name, value)
        rank = (rule.priority, rule.specificity)  # rule.rank, without a property call per firing
        best_rank = self.best_rank
        best = best_rank.get(key)
        if best is None or rank > best:
            best_rank[key] = rank
        top = self.ranked.get(name)
        if top is None or rule.priority > top[0]:
            self.ranked[name] = (rule.priority, {value: [rule_id]})
            standing = value
        elif rule.priority < top[0]:
            return  # overruled by a higher priority
        else:
            top[1].setdefault(value, []).append(rule_id)
            if len(top[1]) == 1:
                return  # the same value again: it supports
            standing = self.standing(top[1])
        current = self.live.get(name)
        if standing is None:  # contested: shown (the first in the vocabulary's order), read by no rule
            if current is not None and current[1] is not None:
                engine.retract(current[1])
            self.live[name] = (self.first_in_order(name, self.ranked[name][1]), None)
            self.unread.add(name)
            return
        was_unread = name in self.unread
        self.unread.discard(name)
        if current is not None:
            if current[0] == standing and not was_unread:
                return
            if current[1] is not None:
                engine.retract(current[1])
        self._declare(engine, name, standing, self.ranked[name][1][standing][0])

    def first_in_order(self, name: str, proposals: Any) -> Any:
        """The proposal a contest shows: the first in the vocabulary's order, so the report does
        not depend on which rule happened to fire first."""
        # By position; values the vocabulary does not list come after every listed one, by repr.
        order = self.order.get(name, {})
        listed = [v for v in proposals if v in order]
        return min(listed, key=order.__getitem__) if listed else min(proposals, key=repr)

    def standing(self, proposals: dict[Any, list[str]]) -> Any:
        """Of the values proposed at the top priority, the one whose rules refine a rule of every
        other (an exception to it); None when no single one does: they are contested."""
        refines = self.refines
        found = [value for value, rules in proposals.items()
                 if all(any(refines(r, o) for r in rules for o in others)
                        for other, others in proposals.items() if other != value)]
        return found[0] if len(found) == 1 else None

    def _record_by_sets(self, engine: Any, rule: Rule, name: str, value: Any) -> None:
        """A decision whose vocabulary combines choices: heuristics of equal priority settle by
        what they all allow (conflicts.settle_by_sets), never by counting conditions."""
        top = self.tops.get(name)
        if top is None or rule.priority > top[0]:
            top = self.tops[name] = (rule.priority, {})
        elif rule.priority < top[0] or value in top[1]:
            return
        top[1][value] = rule.id
        winner, _ = conflicts.settle_by_sets(top[1], self.by_sets[name])
        current = self.live.get(name)
        if current is not None and current[0] == winner and name not in self.unread:
            return
        if current is not None and current[1] is not None:
            engine.retract(current[1])
        if winner is None:  # contested, nothing names them together: shown, but read by no rule
            self.live[name] = (self.first_in_order(name, top[1]), None)
            self.unread.add(name)
            return
        self.unread.discard(name)
        self._declare(engine, name, winner, top[1].get(winner, rule.id))

    def _declare(self, engine: Any, name: str, value: Any, origin: str) -> None:
        datum = None
        if name in self.read_names:  # only values some rule reads need to be in working memory
            datum = engine.declare(self.datum(name, value, origin))
        self.live[name] = (value, datum)


def traced_datum(name: str, value: Any, origin: str) -> Any:
    """A Datum carrying the Evidence the trace reports for it: made once, shared by every
    firing that matches it."""
    datum = new_datum(name, value, origin)
    datum.evidence = Evidence(name, datum["value"], origin)
    return datum


class _Datums:
    """Traced datums (`traced_datum`), kept from one consultation to the next.

    A datum depends only on its name, value and origin, and the same ones come back in every
    consultation (a rule's conclusion) or batch file (a user's answer), so each is made once.
    Sharing one across consultations is safe: a consultation declares a (name, value, origin)
    at most once at a time (experta refuses a fact equal to one in working memory), experta
    renumbers a datum (`__factid__`) each time it is declared, and a consultation's result
    keeps the datum's Evidence (immutable), never the datum.
    """

    LIMIT = 100_000  # distinct (name, value, origin) kept: numbers can take many values

    def __init__(self) -> None:
        self._made: dict[tuple[Any, ...], Any] = {}
        self._inert: set[tuple[Any, ...]] = set()  # user (name, class, value, origin) no test can match
        # Whether some test can match `name = value`: the engine's matcher says (Advisor sets it).
        self.matches: Callable[[str, Any], bool] = lambda name, value: True

    def __call__(self, name: str, value: Any, origin: str) -> Any:
        key = (name, value.__class__, value, origin)  # the class too: True == 1, but they differ
        try:
            datum = self._made.get(key)
        except TypeError:  # an unhashable value: made from nothing each time
            return traced_datum(name, value, origin)
        if datum is None:
            if len(self._made) >= self.LIMIT:
                self._made.clear()
            datum = self._made[key] = traced_datum(name, value, origin)
        return datum

    def given(self, facts: dict[str, Any], names: list[str]) -> list[Any]:
        """The user's datums for `names` (`facts[name]` each), as calling this for each would
        give them, in one call rather than one a fact (~80 in a scenario file); less those
        `matches` says no test can match (a value no rule's condition tests for, of a fact no
        comparison reads: a quarter of a generated file's facts). Declaring one would
        activate nothing, and experta numbers facts in declaration order, so leaving it out
        changes no activation's place on the agenda (tests/test_engine_inert_facts.py)."""
        made, inert = self._made, self._inert
        found = []
        for name in names:
            value = facts[name]
            key = (name, value.__class__, value, USER)
            try:
                datum = made.get(key)
            except TypeError:  # unhashable: declared, as before
                found.append(self(name, value, USER))
                continue
            if datum is None:
                if key in inert:
                    continue
                if not self.matches(name, value):
                    if len(inert) >= self.LIMIT:
                        inert.clear()
                    inert.add(key)
                    continue
                datum = self(name, value, USER)
            found.append(datum)
        return found


class Advisor:
    """The knowledge base compiled into one reusable experta engine."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self._rules = {r.id: r for r in knowledge.rules}
        self._strength = certainty.strengths(knowledge.rules)
        self._fact_order = knowledge.vocabulary.fact_order
        self._existing_setup = frozenset(f.name for f in knowledge.vocabulary.input_facts if f.existing_setup)
        # What _finish asks of each concluded name, worked out once rather than per consultation.
        self._several = frozenset(d.name for d in knowledge.vocabulary.decisions if d.multiple)
        self._fact_names = frozenset(f.name for f in knowledge.vocabulary.facts)
        entries = {e.id: e for e in knowledge.scope}
        self._priority = {r.id: r.priority for r in knowledge.rules}
        self._tests = {r.id: frozenset(leaves(r.condition)) for r in knowledge.rules}
        self._refinements: dict[tuple[str, str], bool] = {}
        self._by_sets = {name: {c: frozenset(chosen) for c, chosen in combos.items()}
                         for name, combos in knowledge.combined.items()}
        self._trace = _Trace(frozenset().union(*(r.reads for r in knowledge.rules)),
                             {rule_id: tuple(entries[e] for e in ids) for rule_id, ids in knowledge.guards().items()},
                             self._by_sets, self._refines,
                             {name: {v: i for i, v in enumerate(knowledge.vocabulary.values_of(name) or ())}
                              for name in {r.conclusion.name for r in knowledge.rules if r.conclusion.name}})
        engine_class = build_engine_class(knowledge.rules, self._trace.record)
        self._engine = engine_class()
        self._trace.datum.matches = self._engine.matcher.can_match

    def consult(self, facts: dict[str, Any], unknowable: Collection[str] | None = None) -> Consultation:
        """Run the rules on already-validated user facts (canonical values). `unknowable`: facts
        that will not be answered, which open decisions then do not wait on. By default, a design
        (no fact about an existing setup given) withholds the existing-setup facts, as the
        questionnaire does: a design's open decisions never wait on a setup it does not have.

        The cyclic garbage collector is paused meanwhile. A consultation makes thousands of
        containers (activations, firings, evidence), alive until it ends, and none of them in a
        reference cycle (tests/test_engine.py checks): reference counting frees them all, and
        the collector's passes over them, several per consultation at scale, find nothing.
        At 3,000 rules: a few per cent less CPU per consultation, the collection it leaves behind
        counted (bench/scale.py); ~10% less over a batch that keeps its results, as `evaluate`
        does, whose collections would otherwise walk the growing results again and again.
        """
        if unknowable is None:
            unknowable = () if self._existing_setup.intersection(facts) else self._existing_setup
        trace, engine = self._trace, self._engine
        with collector_paused():
            try:
                trace.begin(facts)
                engine.reset()
                # One declare call: experta recomputes activations once, not once per fact.
                engine.declare(*trace.datum.given(facts, sorted(facts, key=self._fact_order.__getitem__)))
                engine.run()
                return self._finish(dict(facts), trace, unknowable)
            finally:
                # Working memory (facts, activations, the trace's tables) is freed now rather than
                # at the next consultation, so the collector, back on, has only the result to walk.
                # (The reset above stays: an engine is never trusted to have been left clean.)
                trace.begin()
                engine.reset()

    # --- turning the trace into a consultation --------------------------------

    def _finish(self, facts: dict[str, Any], trace: _Trace, unknowable: Collection[str]) -> Consultation:
        vocabulary = self.knowledge.vocabulary
        by_value: dict[tuple[str, Any], list[Firing]] = {}
        for firing in trace.fired:
            if firing.name is not None and firing.status != "set_aside":  # moot: settles nothing
                by_value.setdefault((firing.name, firing.value), []).append(firing)
        grouped = conflicts.by_name(by_value)

        contests: list[RuleWarning] = []
        winners: dict[str, Any] = {name: value for name, (value, _) in trace.live.items()}
        unranked: set[str] = set()
        several = self._several
        for name, winner in winners.items():
            if name in several:
                continue  # several choices may stand together
            if name in self._by_sets:
                winners[name], contest = conflicts.settle_sets(name, grouped[name], self._by_sets[name],
                                                               self._priority, winner)
                if contest:
                    unranked.add(name)
                    contests.extend(contest)
                continue
            contests.extend(conflicts.settle(name, winner, grouped[name], trace.best_rank, self._refines))
        certainty.propagate(trace.fired, self._strength)

        derived = {name: Evidence(name, value, by_value[(name, value)][0].rule_id)
                   for name, value in winners.items() if name in self._fact_names}
        unranked |= {name for f in trace.fired if f.kind == "warn"
                     for name in self._rules[f.rule_id].conclusion.contests}
        recommendations = conflicts.recommendations(vocabulary, winners, grouped, unranked,
                                                    partial(certainty.footprints, trace.fired), self._by_sets)
        warnings = [RuleWarning(f.rule_id, f.value, self._rules[f.rule_id].conclusion.warning_kind or "caution")
                    for f in trace.fired if f.kind == "warn" and f.status != "set_aside"] + contests
        values = dict(facts)
        values.update({name: value for name, value in winners.items()
                       if name not in several and name not in trace.unread})
        recommendations, warnings = self._keep_compatible(recommendations, warnings, values)
        set_aside = self._set_aside(values, trace.fired)
        decided = {r.decision for r in recommendations}
        find_open = partial(_open_decisions, self.knowledge, values, decided, frozenset(unknowable))
        return Consultation(facts, derived, recommendations, warnings, trace.fired, find_open, values,
                            set_aside)

    def _refines(self, rule_id: str, other_id: str) -> bool:
        """The rule is an exception to the other: each of the other's tests is implied by one of
        its own (managed_online implies managed or Kubernetes online), and it tests more.
        A property of the rule base: worked out once per pair."""
        pair = (rule_id, other_id)
        known = self._refinements.get(pair)
        if known is None:
            mine, theirs = self._tests[rule_id], self._tests[other_id]
            known = self._refinements[pair] = len(mine) > len(theirs) and all(
                any(leaf_implies(a, b) for a in mine) for b in theirs)
        return known

    def _set_aside(self, values: dict[str, Any], fired: list[Firing]) -> list[SetAside]:
        """The scope entries that hold, each with the firings it set aside."""
        result = []
        for entry in scope.holding(self.knowledge.scope, values.__getitem__):
            mark = f"set aside by {entry.id}:"
            rules = tuple(f.rule_id for f in fired if f.status == "set_aside" and f.note.startswith(mark))
            result.append(SetAside(entry.id, entry.decisions, entry.facts, rules))
        return result

    def _keep_compatible(self, recommendations: list[Recommendation], warnings: list[RuleWarning],
                         values: dict[str, Any]) -> tuple[list[Recommendation], list[RuleWarning]]:
        """Never recommend choices declared incompatible (knowledge/scope.py): where all of an
        incompatibility's conditions hold, the decisions its last condition reads are withheld,
        with a warning. `advisor rules lint` proves this never happens with the shipped rules."""
        for pair in self.knowledge.incompatible:
            if not all(evaluate(c, values.__getitem__) is True for c in pair.conditions):
                continue
            withheld = subjects(pair.conditions[-1])
            for rec in [r for r in recommendations if r.decision in withheld]:
                recommendations.remove(rec)
                values.pop(rec.decision, None)
                warnings.append(RuleWarning(
                    rec.rules[0], f"{rec.decision} = {rec.choice} withheld: {pair.title} ({pair.id}: "
                    f"{pair.because})", "caution"))
        return recommendations, warnings


def leaf_implies(a: Any, b: Any) -> bool:
    """Whenever test `a` holds, so does test `b` (same fact; eq, in, ne and not_in compared)."""
    if a == b:
        return True
    if a.subject != b.subject:
        return False
    held = {a.operand} if a.op == "eq" else set(a.operand) if a.op == "in" else None
    if held is None:
        return False
    if b.op == "eq":
        return held == {b.operand}
    if b.op == "in":
        return held <= set(b.operand)
    if b.op == "ne":
        return b.operand not in held
    if b.op == "not_in":
        return not held & set(b.operand)
    return False


def _open_decisions(knowledge: KnowledgeBase, values: dict[str, Any], decided: set[str],
                    unknowable: frozenset[str]) -> list[OpenDecision]:
    return Settling(knowledge, values, unknowable).open_decisions(decided)


@lru_cache(maxsize=1)
def get_advisor() -> Advisor:
    """The process-wide advisor for the shipped knowledge base.

    It lives as long as the process, and so does everything loaded before it (modules, the
    knowledge base, the compiled engine: tens of thousands of objects). They are moved out of
    the cyclic garbage collector's walks (`gc.freeze`), which otherwise revisit them in every
    full collection and once more at exit: a one-scenario consult spends ~40 ms less CPU,
    and a batch or an interactive session no longer pays for them again and again.
    The collector is paused while the engine is built (the knowledge cache pauses it while it
    decodes): nothing either makes is garbage in a reference cycle (tests/test_engine.py
    checks), so the collector's passes over the young objects could only find nothing.
    """
    knowledge = load_knowledge()
    with collector_paused():
        advisor = Advisor(knowledge)
    gc.freeze()
    return advisor
