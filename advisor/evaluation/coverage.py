"""Rule coverage: which rules a set of scenarios makes fire, and which never fire."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.evaluation.results import EvaluationRun, ScenarioResult
from advisor.knowledge import KnowledgeBase


@dataclass(frozen=True)
class RuleCoverage:
    rule_id: str
    area: str
    scenarios: int  # how many scenarios made it fire (any outcome: applied, overruled, warning...)


@dataclass(frozen=True)
class Coverage:
    rules: tuple[RuleCoverage, ...]      # every rule, in rule-base order
    scenarios: int                       # scenarios that ran
    errors: tuple[ScenarioResult, ...]   # files that could not be evaluated

    @property
    def fired(self) -> tuple[RuleCoverage, ...]:
        return tuple(r for r in self.rules if r.scenarios)

    @property
    def never_fired(self) -> tuple[RuleCoverage, ...]:
        return tuple(r for r in self.rules if not r.scenarios)

    @property
    def percent(self) -> float:
        return round(100 * len(self.fired) / len(self.rules), 1) if self.rules else 100.0


def measure(run: EvaluationRun, knowledge: KnowledgeBase) -> Coverage:
    counts: dict[str, int] = {}
    ran = [r for r in run.results if r.status != "error"]
    for result in ran:
        for rule_id in result.fired:
            counts[rule_id] = counts.get(rule_id, 0) + 1
    rules = tuple(RuleCoverage(rule.id, rule.area, counts.get(rule.id, 0)) for rule in knowledge.rules)
    return Coverage(rules, len(ran), tuple(r for r in run.results if r.status == "error"))
