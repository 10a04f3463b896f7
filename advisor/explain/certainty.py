"""How certain a recommendation is, rule by rule.

The engine (advisor/engine/advisor.py) gives each firing a certainty: the rule's strength
times the weakest of its premises (a fact the user gave counts 1.0; a concluded fact counts
the certainty of the firing that concluded it). A recommendation supported by several rules
combines its independent evidence as MYCIN does, cf = cf1 + cf2 * (1 - cf1): rules resting on
shared user facts count once, at the strongest (engine/certainty.py, docs/explain.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from advisor.engine.certainty import combine_evidence, footprints
from advisor.engine.results import WEAK_CERTAINTY, Consultation
from advisor.knowledge import KnowledgeBase

LIVE = ("applied", "supporting")


@dataclass(frozen=True)
class Premise:
    name: str
    value: Any
    origin: str          # "user" or the rule that concluded it
    certainty: float


@dataclass(frozen=True)
class Support:
    """One rule behind a recommendation and the certainty its firing carries."""

    rule_id: str
    strength: float
    premises: tuple[Premise, ...]
    certainty: float     # strength x the weakest premise

    @property
    def weakest(self) -> float:
        return min((p.certainty for p in self.premises), default=1.0)


@dataclass(frozen=True)
class CertaintyExplanation:
    decision: str
    choice: str
    supports: tuple[Support, ...]
    running: tuple[float, ...]   # the combined certainty after each support
    certainty: float
    weak: bool
    contested: bool


def firing_certainties(consultation: Consultation) -> dict[str, float]:
    return {f.rule_id: f.certainty for f in consultation.fired if f.status in LIVE}


def explain_certainty(consultation: Consultation, knowledge: KnowledgeBase,
                      decision: str, choice: str) -> CertaintyExplanation:
    known = firing_certainties(consultation)
    recommendation = next((r for r in consultation.recommendations
                           if r.decision == decision and r.choice == choice), None)
    backing = set(recommendation.rules) if recommendation else set()
    supports, firings = [], []
    for firing in consultation.fired:
        # the recommendation's own rules (a combined choice, Azure ML or Databricks, may back Azure ML)
        if firing.name != decision or firing.status not in LIVE or not (
                firing.value == choice or firing.rule_id in backing):
            continue
        firings.append(firing)
        rule = knowledge.rule(firing.rule_id)
        assert rule is not None
        premises = tuple(Premise(e.name, e.value, e.origin, 1.0 if e.from_user else known.get(e.origin, 1.0))
                         for e in firing.matched)
        supports.append(Support(firing.rule_id, rule.strength, premises, firing.certainty))
    # One fact is one piece of evidence (engine/certainty.py): the same model, support by support.
    prints = footprints(consultation.fired)
    running = [combine_evidence(firings[:i + 1], prints) for i in range(len(firings))]
    total = running[-1] if running else 0.0
    certainty = recommendation.certainty if recommendation else total
    contested = recommendation.contested if recommendation else False
    return CertaintyExplanation(decision, choice, tuple(supports), tuple(running), certainty,
                                certainty < WEAK_CERTAINTY, contested)
