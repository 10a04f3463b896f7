"""Which study guide units the rule base cites (`advisor rules coverage --units`).

A content unit (not an introduction or an exercise) that no rule cites is a part of the guide
neither consultations nor drills can reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from advisor.knowledge.base import KnowledgeBase
from advisor.knowledge.guide import Unit


@dataclass(frozen=True)
class UnitCitations:
    unit: Unit
    rules: tuple[str, ...]  # ids of the rules citing it, in rule-base order


@dataclass(frozen=True)
class UnitCoverage:
    units: tuple[UnitCitations, ...]  # every content unit, in guide order

    @property
    def uncited(self) -> tuple[Unit, ...]:
        return tuple(u.unit for u in self.units if not u.rules)

    @property
    def cited_count(self) -> int:
        return sum(1 for u in self.units if u.rules)

    def as_json(self) -> dict[str, Any]:
        return {
            "summary": {"content_units": len(self.units), "cited": self.cited_count,
                        "uncited": len(self.uncited)},
            "units": [{"url": u.unit.url, "title": u.unit.title, "section": u.unit.section,
                       "rules": list(u.rules)} for u in self.units],
        }


def unit_coverage(knowledge: KnowledgeBase) -> UnitCoverage:
    citing: dict[str, list[str]] = {}
    for rule in knowledge.rules:
        citing.setdefault(rule.source, []).append(rule.id)
    return UnitCoverage(tuple(UnitCitations(u, tuple(citing.get(u.url, ())))
                              for u in knowledge.guide.content_units))
