"""Certainty: how strongly the rules that fired support each conclusion (MYCIN-style).

A firing's certainty is its rule's strength times the weakest certainty among the derived
values it matched (user facts count as certain). Several rules supporting the same choice
combine as positive certainty factors: cf1 + cf2 * (1 - cf1).
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


def combine(values: Iterable[float]) -> float:
    """MYCIN's combination of positive certainty factors: cf1 + cf2 * (1 - cf1)."""
    total = 0.0
    for value in values:
        total = total + value * (1 - total)
    return round(total, 4)
