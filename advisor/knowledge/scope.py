"""Scope: which choices and facts make which decisions moot, declared once (rules/scope.yaml).

A scope entry says: when CONDITION holds (the rules' condition language, on facts, derived
facts and decisions), these decisions do not apply and these questions need no answer. A
prebuilt model needs no training compute; an AutoML job needs no sweep; a model trained in
Databricks needs no Azure ML compute cluster. Every reader takes it from here: the engine
(a moot decision is never recommended, never listed open), the planner (no question that only
serves moot decisions), the report (says once what was set aside and why), the diagram,
`emit` and the drills.

An incompatibility says two conditions cannot hold together (a Databricks-trained model and
an Azure ML compute target for that training): the engine never recommends both, and
`advisor rules lint` proves it over the fact space or prints a scenario where both hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from advisor.knowledge.conditions import Condition, evaluate, subjects
from advisor.records import record


@record(frozen=True)
class ScopeEntry:
    """A choice that makes decisions, facts and rules moot while its condition holds."""

    id: str
    title: str
    condition: Condition
    when: str                    # the condition in words
    decisions: tuple[str, ...]   # made moot: never recommended, asked, drawn, emitted or drilled
    facts: tuple[str, ...]       # input facts made moot: never asked
    because: str
    source: str
    rules: tuple[str, ...] = ()  # rules whose question it makes moot (the service for training your own)

    @property
    def reads(self) -> frozenset[str]:
        return subjects(self.condition)


@record(frozen=True)
class Incompatibility:
    """Conditions that never hold together in a consultation's outcome."""

    id: str
    title: str
    conditions: tuple[Condition, ...]  # never all true at once in a consultation's outcome
    when: tuple[str, ...]              # each condition in words
    because: str
    source: str

    @property
    def reads(self) -> frozenset[str]:
        return frozenset().union(*(subjects(c) for c in self.conditions))


def holding(entries: Iterable[ScopeEntry], lookup: Callable[[str], Any]) -> tuple[ScopeEntry, ...]:
    """The entries whose condition is true (three-valued: unknown is not true)."""
    return tuple(e for e in entries if evaluate(e.condition, lookup) is True)


def moot_names(entries: Iterable[ScopeEntry]) -> frozenset[str]:
    """Decisions and facts the given (holding) entries make moot."""
    return frozenset(n for e in entries for n in (*e.decisions, *e.facts))


def guards(rules: Iterable[Any], entries: Iterable[ScopeEntry],
           area_decisions: Mapping[str, frozenset[str]]) -> dict[str, tuple[str, ...]]:
    """For each rule an entry can set aside: the ids of those entries.

    A rule is set aside with an entry when it recommends one of the entry's decisions, or when
    it is a warning about them: it withholds or contests one, reads one of its decisions or
    facts, or belongs to an area all of whose decisions the entry makes moot (the sweep area's
    cautions go with the sweep)."""
    moots = [(entry, frozenset(entry.decisions) | frozenset(entry.facts)) for entry in entries]  # once each
    result: dict[str, tuple[str, ...]] = {}
    for rule in rules:
        conclusion = rule.conclusion
        kind = conclusion.kind
        if kind == "warn":
            named = {*conclusion.withholds, *conclusion.contests}
            reads = rule.reads
            area = area_decisions.get(rule.area, frozenset())
        found = []
        for entry, moot in moots:
            if rule.id in entry.rules:
                hit = True
            elif kind == "recommend":
                hit = conclusion.name in moot
            elif kind == "warn":
                hit = not moot.isdisjoint(named) or not moot.isdisjoint(reads) or (bool(area) and area <= moot)
            else:
                hit = False
            if hit:
                found.append(entry.id)
        if found:
            result[rule.id] = tuple(found)
    return result


def area_decisions(rules: Iterable[Any], decision_names: frozenset[str]) -> dict[str, frozenset[str]]:
    """The decisions each area's rules recommend."""
    found: dict[str, set[str]] = {}
    for rule in rules:
        if rule.conclusion.name in decision_names:
            found.setdefault(rule.area, set()).add(rule.conclusion.name)
    return {area: frozenset(names) for area, names in found.items()}
