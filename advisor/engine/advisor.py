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
from collections.abc import Sequence
from functools import lru_cache, partial
from operator import attrgetter
from typing import Any

from advisor.engine import certainty, conflicts
from advisor.engine.compiler import build_engine_class
from advisor.engine.memory import new_datum
from advisor.engine.results import USER, Consultation, Evidence, Firing, OpenDecision, RuleWarning
from advisor.engine.settling import Settling
from advisor.knowledge import KnowledgeBase, load_knowledge
from advisor.knowledge.rules import Rule

_EVIDENCE = attrgetter("evidence")


class _Trace:
    """Everything a consultation records while experta runs. One per Advisor, its RHS
    callback from the start (no indirection per firing), emptied by `begin()`."""

    def __init__(self, read_names: frozenset[str]) -> None:
        self.read_names = read_names
        self.begin()

    def begin(self) -> None:
        # New containers, not cleared ones: the previous consultation keeps its own.
        self.fired: list[Firing] = []
        self.live: dict[str, tuple[Any, Any]] = {}      # name -> (value, declared Datum or None)
        self.best_rank: dict[tuple[str, Any], tuple[int, int]] = {}
        self.seen: set[str] = set()

    def record(self, engine: Any, rule: Rule, facts: Sequence[Any]) -> None:
        rule_id = rule.id
        seen = self.seen
        if rule_id in seen:  # an `any` condition can match through several branches
            return
        seen.add(rule_id)
        c = rule.conclusion
        kind, name, value = c.kind, c.name, c.value
        fired = self.fired
        fired.append(Firing(len(fired) + 1, rule_id, kind, name, value, tuple(map(_EVIDENCE, facts)),
                            "warning" if kind == "warn" else "applied"))
        if kind == "warn" or name is None:
            return
        key = (name, value)
        rank = (rule.priority, rule.specificity)  # rule.rank, without a property call per firing
        best_rank = self.best_rank
        best = best_rank.get(key)
        if best is None or rank > best:
            best_rank[key] = rank
        current = self.live.get(name)
        if current is None:
            self._declare(engine, name, value, rule_id)
        elif current[0] != value and best_rank[key] > best_rank[(name, current[0])]:
            if current[1] is not None:
                engine.retract(current[1])
            self._declare(engine, name, value, rule_id)

    def _declare(self, engine: Any, name: str, value: Any, origin: str) -> None:
        datum = None
        if name in self.read_names:  # only values some rule reads need to be in working memory
            datum = engine.declare(traced_datum(name, value, origin))
        self.live[name] = (value, datum)


def traced_datum(name: str, value: Any, origin: str) -> Any:
    """A Datum carrying the Evidence the trace reports for it: made once, shared by every
    firing that matches it."""
    datum = new_datum(name, value, origin)
    datum.evidence = Evidence(name, datum["value"], origin)
    return datum


class Advisor:
    """The knowledge base compiled into one reusable experta engine."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self._rules = {r.id: r for r in knowledge.rules}
        self._strength = certainty.strengths(knowledge.rules)
        self._fact_order = knowledge.vocabulary.fact_order
        self._trace = _Trace(frozenset().union(*(r.reads for r in knowledge.rules)))
        engine_class = build_engine_class(knowledge.rules, self._trace.record)
        self._engine = engine_class()

    def consult(self, facts: dict[str, Any]) -> Consultation:
        """Run the rules on already-validated user facts (canonical values).

        The cyclic garbage collector is paused meanwhile. A consultation makes thousands of
        containers (activations, firings, evidence), alive until it ends, and none of them in a
        reference cycle (tests/test_engine.py checks): reference counting frees them all, and
        the collector's passes over them, several per consultation at scale, find nothing.
        At 3,000 rules: a few per cent less CPU per consultation, the collection it leaves behind
        counted (bench/scale.py); ~10% less over a batch that keeps its results, as `evaluate`
        does, whose collections would otherwise walk the growing results again and again.
        """
        trace, engine = self._trace, self._engine
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            trace.begin()
            engine.reset()
            # One declare call: experta recomputes activations once, not once per fact.
            engine.declare(*(traced_datum(name, facts[name], USER)
                             for name in sorted(facts, key=self._fact_order.__getitem__)))
            engine.run()
            return self._finish(dict(facts), trace)
        finally:
            # Working memory (facts, activations, the trace's tables) is freed now rather than
            # at the next consultation, so the collector, back on, has only the result to walk.
            # (The reset above stays: an engine is never trusted to have been left clean.)
            trace.begin()
            engine.reset()
            if paused:
                gc.enable()

    # --- turning the trace into a consultation --------------------------------

    def _finish(self, facts: dict[str, Any], trace: _Trace) -> Consultation:
        vocabulary = self.knowledge.vocabulary
        by_value: dict[tuple[str, Any], list[Firing]] = {}
        for firing in trace.fired:
            if firing.name is not None:
                by_value.setdefault((firing.name, firing.value), []).append(firing)
        grouped = conflicts.by_name(by_value)

        contests: list[RuleWarning] = []
        winners: dict[str, Any] = {name: value for name, (value, _) in trace.live.items()}
        for name, winner in winners.items():
            spec = vocabulary.decision(name)
            if spec is not None and spec.multiple:
                continue  # several choices may stand together
            contests.extend(conflicts.settle(name, winner, grouped[name], trace.best_rank))
        certainty.propagate(trace.fired, self._strength)

        derived = {name: Evidence(name, value, by_value[(name, value)][0].rule_id)
                   for name, value in winners.items() if vocabulary.fact(name) is not None}
        unranked = {name for f in trace.fired if f.kind == "warn"
                    for name in self._rules[f.rule_id].conclusion.contests}
        recommendations = conflicts.recommendations(vocabulary, winners, grouped, unranked)
        warnings = [RuleWarning(f.rule_id, f.value, self._rules[f.rule_id].conclusion.warning_kind or "caution")
                    for f in trace.fired if f.kind == "warn"] + contests
        values = dict(facts)
        values.update({name: value for name, value in winners.items()
                       if not getattr(vocabulary.decision(name), "multiple", False)})
        decided = {r.decision for r in recommendations}
        find_open = partial(_open_decisions, self.knowledge, values, decided)
        return Consultation(facts, derived, recommendations, warnings, trace.fired, find_open, values)


def _open_decisions(knowledge: KnowledgeBase, values: dict[str, Any], decided: set[str]) -> list[OpenDecision]:
    return Settling(knowledge, values).open_decisions(decided)


@lru_cache(maxsize=1)
def get_advisor() -> Advisor:
    """The process-wide advisor for the shipped knowledge base.

    It lives as long as the process, and so does everything loaded before it (modules, the
    knowledge base, the compiled engine: tens of thousands of objects). They are moved out of
    the cyclic garbage collector's walks (`gc.freeze`), which otherwise revisit them in every
    full collection and once more at exit: a one-scenario consult spends ~40 ms less CPU,
    and a batch or an interactive session no longer pays for them again and again.
    """
    advisor = Advisor(load_knowledge())
    gc.freeze()
    return advisor
