"""Certainty: how strongly the rules that fired support each conclusion (MYCIN-style).

A firing's certainty is its rule's strength times the weakest certainty among the derived
values it matched (user facts count as certain). One fact is one piece of evidence: rules
supporting the same choice from overlapping user facts (their footprints, through derived
facts too) count once, at the strongest; only independent pieces combine, as positive
certainty factors: cf1 + cf2 * (1 - cf1). See docs/explain.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from advisor.engine.results import USER, Firing
from advisor.knowledge.rules import Rule

STANDING = ("applied", "supporting")  # firings whose conclusion stands


def strengths(rules: Iterable[Rule]) -> dict[str, tuple[float, float]]:
    """Each rule's strength, as it is and as a certainty (4 places): what `propagate` reads."""
    return {rule.id: (rule.strength, round(rule.strength, 4)) for rule in rules}


def propagate(fired: Iterable[Firing], strength: Mapping[str, tuple[float, float]]) -> None:
    """Give each firing its certainty, in firing order (premises are settled before conclusions):
    round(strength x premise, 4).

    `strength` is `strengths(rules)`: a firing on certain premises (most of them) takes its
    rule's rounded strength, which is what rounding strength x 1.0 gives; an uncertain premise
    multiplies the strength as it is, rounded once."""
    standing: dict[str, float] = {}
    for firing in fired:
        premise = 1.0
        for evidence in firing.matched:
            origin = evidence.origin
            if origin != USER:
                held = standing.get(origin, 1.0)
                if held < premise:
                    premise = held
        exact, rounded = strength[firing.rule_id]
        certainty = rounded if premise == 1.0 else round(exact * premise, 4)
        firing.certainty = certainty
        if firing.status in STANDING:
            standing[firing.rule_id] = certainty


def footprints(fired: Iterable[Firing]) -> dict[int, frozenset[str]]:
    """Each firing's footprint (by firing order): the user facts its conclusion rests on, read
    directly or through the derived facts and decisions it matched."""
    by_rule: dict[str, frozenset[str]] = {}
    result: dict[int, frozenset[str]] = {}
    for firing in fired:
        names: set[str] = set()
        for evidence in firing.matched:
            if evidence.origin == USER:
                names.add(evidence.name)
            else:
                names |= by_rule.get(evidence.origin, frozenset())
        result[firing.order] = frozenset(names)
        by_rule.setdefault(firing.rule_id, result[firing.order])
    return result


def evidence_groups(firings: Iterable[Firing], footprint: Mapping[int, frozenset[str]]) -> list[list[Firing]]:
    """The firings in groups of dependent evidence: two firings whose footprints share a user
    fact (directly, or through a chain of firings that do) are one piece of evidence."""
    groups: list[tuple[set[str], list[Firing]]] = []
    for firing in firings:
        facts, members = set(footprint.get(firing.order, ())), [firing]
        kept = []
        for group in groups:
            if group[0] & facts:
                facts |= group[0]
                members = group[1] + members
            else:
                kept.append(group)
        groups = [*kept, (facts, members)]
    return [members for _, members in groups]


def combine_evidence(firings: Iterable[Firing], footprint: Mapping[int, frozenset[str]]) -> float:
    """Certainty from independent evidence only: each group of firings resting on shared user
    facts counts once, at its strongest firing; the groups combine as MYCIN's factors."""
    return combine(max(f.certainty for f in group) for group in evidence_groups(firings, footprint))


def combine(values: Iterable[float]) -> float:
    """MYCIN's combination of positive certainty factors: cf1 + cf2 * (1 - cf1)."""
    total = 0.0
    for value in values:
        total = total + value * (1 - total)
    return round(total, 4)
