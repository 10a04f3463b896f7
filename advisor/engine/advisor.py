"""Run the knowledge base on a scenario's facts and trace every firing.

One experta engine per process, compiled once and `reset()` per consultation.
When rules disagree on a decision (or a derived fact), the higher-ranked rule wins:
priority first, then specificity (the number of tests in its condition). Rules fire by
stratum (producers before the rules that read what they produce), so an override always
happens before anything reads the overridden value. Equal ranks are a contest: the first
stays, both are kept and a warning says so. Nothing is overwritten silently.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from advisor.engine.compiler import build_engine_class, matched_facts, new_datum
from advisor.engine.results import (
    USER,
    Alternative,
    Consultation,
    Evidence,
    Firing,
    OpenDecision,
    Recommendation,
    Warning,
)
from advisor.knowledge import KnowledgeBase, load_knowledge
from advisor.knowledge.conditions import FactRef, Leaf, evaluate, leaf_holds, leaves
from advisor.knowledge.rules import Rule


class _Trace:
    """Everything one consultation records while experta runs."""

    def __init__(self, read_names: frozenset[str]) -> None:
        self.read_names = read_names
        self.fired: list[Firing] = []
        self.live: dict[str, tuple[Any, Any]] = {}      # name -> (value, declared Datum or None)
        self.best_rank: dict[tuple[str, Any], tuple[int, int]] = {}
        self.seen: set[str] = set()

    def record(self, engine: Any, rule: Rule, bindings: dict[str, Any]) -> None:
        if rule.id in self.seen:  # an `any` condition can match through several branches
            return
        self.seen.add(rule.id)
        matched = tuple(Evidence(d["name"], d["value"], d["origin"]) for d in matched_facts(bindings))
        c = rule.conclusion
        firing = Firing(len(self.fired) + 1, rule.id, c.kind, c.name, c.value, matched,
                        status="warning" if c.kind == "warn" else "applied")
        self.fired.append(firing)
        if c.kind == "warn" or c.name is None:
            return
        key = (c.name, c.value)
        self.best_rank[key] = max(self.best_rank.get(key, rule.rank), rule.rank)
        current = self.live.get(c.name)
        if current is None:
            self._declare(engine, c.name, c.value, rule.id)
        elif current[0] != c.value and self.best_rank[key] > self.best_rank[(c.name, current[0])]:
            if current[1] is not None:
                engine.retract(current[1])
            self._declare(engine, c.name, c.value, rule.id)

    def _declare(self, engine: Any, name: str, value: Any, origin: str) -> None:
        datum = None
        if name in self.read_names:  # only values some rule reads need to be in working memory
            datum = engine.declare(new_datum(name, value, origin))
        self.live[name] = (value, datum)


class Advisor:
    """The knowledge base compiled into one reusable experta engine."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self._rules = {r.id: r for r in knowledge.rules}
        self._read_names = frozenset().union(*(r.reads for r in knowledge.rules))
        self._trace: _Trace | None = None
        engine_class = build_engine_class(knowledge.rules, self._on_fire)
        self._engine = engine_class()

    def _on_fire(self, engine: Any, rule: Rule, bindings: dict[str, Any]) -> None:
        assert self._trace is not None
        self._trace.record(engine, rule, bindings)

    def consult(self, facts: dict[str, Any]) -> Consultation:
        """Run the rules on already-validated user facts (canonical values)."""
        trace = _Trace(self._read_names)
        self._trace = trace
        engine = self._engine
        engine.reset()
        order = [f.name for f in self.knowledge.vocabulary.facts]
        # One declare call: experta recomputes activations once, not once per fact.
        engine.declare(*(new_datum(name, facts[name], USER) for name in sorted(facts, key=order.index)))
        try:
            engine.run()
        finally:
            self._trace = None
        return self._finish(dict(facts), trace)

    # --- turning the trace into a consultation --------------------------------

    def _finish(self, facts: dict[str, Any], trace: _Trace) -> Consultation:
        vocabulary = self.knowledge.vocabulary
        by_value: dict[tuple[str, Any], list[Firing]] = {}
        for firing in trace.fired:
            if firing.name is not None:
                by_value.setdefault((firing.name, firing.value), []).append(firing)

        warnings: list[Warning] = []
        winners: dict[str, Any] = {name: value for name, (value, _) in trace.live.items()}
        for name in winners:
            spec = vocabulary.decision(name)
            if spec is not None and spec.multiple:
                continue  # several choices may stand together
            self._settle(name, winners[name], by_value, trace, warnings)

        certainty: dict[str, float] = {}
        for firing in trace.fired:  # firing order: premises are settled before conclusions
            premise = min((certainty.get(e.origin, 1.0) for e in firing.matched if not e.from_user),
                          default=1.0)
            firing.certainty = round(self._rules[firing.rule_id].strength * premise, 4)
            if firing.status in ("applied", "supporting"):
                certainty[firing.rule_id] = firing.certainty

        derived = {name: Evidence(name, value, by_value[(name, value)][0].rule_id)
                   for name, value in winners.items() if vocabulary.fact(name) is not None}
        recommendations = self._recommendations(winners, by_value)
        warnings = [Warning(f.rule_id, f.value, self._rules[f.rule_id].conclusion.warning_kind or "caution")
                    for f in trace.fired if f.kind == "warn"] + warnings
        values = dict(facts)
        values.update({name: value for name, value in winners.items()
                       if not getattr(vocabulary.decision(name), "multiple", False)})
        consultation = Consultation(facts, derived, recommendations, warnings, trace.fired,
                                    self._open_decisions(values, recommendations), values)
        consultation._by_value = by_value
        return consultation

    def _settle(self, name: str, winner: Any, by_value: dict[tuple[str, Any], list[Firing]],
                trace: _Trace, warnings: list[Warning]) -> None:
        win_rank = trace.best_rank[(name, winner)]
        win_rules = [f.rule_id for f in by_value[(name, winner)]]
        for firing in by_value[(name, winner)]:
            firing.status = "applied" if firing is by_value[(name, winner)][0] else "supporting"
        for (other_name, value), firings in by_value.items():
            if other_name != name or value == winner:
                continue
            rank = trace.best_rank[(name, value)]
            if rank == win_rank:
                note = (f"contested: {', '.join(f.rule_id for f in firings)} ({value}) and "
                        f"{', '.join(win_rules)} ({winner}) have the same priority and specificity; "
                        f"{winner} was reached first")
                status = "contested"
                warnings.append(Warning(firings[0].rule_id, f"{name}: {note}", "contested",
                                        tuple(win_rules)))
            else:
                status = "overruled"
                note = f"overruled by {win_rules[0]}: {_why_higher(win_rank, rank)}"
            for firing in firings:
                firing.status, firing.note = status, note

    def _recommendations(self, winners: dict[str, Any],
                         by_value: dict[tuple[str, Any], list[Firing]]) -> list[Recommendation]:
        result = []
        for spec in self.knowledge.vocabulary.decisions:
            if spec.name not in winners:
                continue
            choices = [c for c in spec.choices if (spec.name, c) in by_value]
            if not spec.multiple:
                choices = [winners[spec.name]]
            for choice in choices:
                supporting = [f for f in by_value[(spec.name, choice)] if f.status in ("applied", "supporting")]
                losers = [(value, fs) for (n, value), fs in by_value.items()
                          if n == spec.name and value != choice and not spec.multiple]
                alternatives = tuple(Alternative(value, tuple(f.rule_id for f in fs), fs[0].note)
                                     for value, fs in losers)
                result.append(Recommendation(
                    decision=spec.name, choice=choice,
                    rules=tuple(f.rule_id for f in supporting),
                    certainty=_combine(f.certainty for f in supporting),
                    contested=any(f.status == "contested" for _, fs in losers for f in fs),
                    alternatives=alternatives))
        return result

    def _open_decisions(self, known: dict[str, Any], recommendations: list[Recommendation]) -> list[OpenDecision]:
        decided = {r.decision for r in recommendations}
        vocabulary = self.knowledge.vocabulary

        def lookup(name: str) -> Any:
            return known[name]

        def waiting_on(name: str, wanted: tuple[Leaf, ...], seen: frozenset[str]) -> list[str] | None:
            """Input facts not given that could still settle `name` to a value the `wanted`
            tests accept (any value when empty); None if nothing can."""
            collected: list[str] = []
            possible = False
            for rule in self.knowledge.producers(name):
                value = rule.conclusion.value
                if rule.id in seen or evaluate(rule.condition, lookup) is not None:
                    continue
                if wanted and not any(leaf_holds(t.op, value, t.operand) for t in wanted):
                    continue
                needs: list[str] | None = []
                for read in sorted(rule.reads - known.keys()):
                    fact = vocabulary.fact(read)
                    if fact is not None and not fact.derived:
                        needs.append(read)
                        continue
                    tests = tuple(t for t in leaves(rule.condition)
                                  if t.subject == read and not isinstance(t.operand, FactRef))
                    deeper = waiting_on(read, tests, seen | {rule.id})
                    if deeper is None:
                        needs = None
                        break
                    needs.extend(deeper)
                if needs is not None:
                    possible = True
                    collected.extend(needs)
            return collected if possible else None

        result = []
        for spec in vocabulary.decisions:
            if spec.name in decided:
                continue
            waiting = waiting_on(spec.name, (), frozenset())
            if waiting:
                result.append(OpenDecision(spec.name, tuple(dict.fromkeys(waiting))))
        return result


def _why_higher(winner: tuple[int, int], loser: tuple[int, int]) -> str:
    if winner[0] != loser[0]:
        return f"higher priority ({winner[0]} over {loser[0]})"
    return f"more specific ({winner[1]} conditions over {loser[1]})"


def _combine(values: Any) -> float:
    """MYCIN's combination of positive certainty factors: cf1 + cf2 * (1 - cf1)."""
    total = 0.0
    for value in values:
        total = total + value * (1 - total)
    return round(total, 4)


@lru_cache(maxsize=1)
def get_advisor() -> Advisor:
    """The process-wide advisor for the shipped knowledge base."""
    return Advisor(load_knowledge())
