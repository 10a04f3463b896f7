"""Rules as plain data objects, and their stratification (which rule must fire first).

advisor/knowledge/validation.py builds them from rules/*.yaml with pydantic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field, replace
from functools import cached_property
from typing import Any, Literal

from advisor.errors import KnowledgeError
from advisor.knowledge import conditions
from advisor.knowledge.conditions import Condition
from advisor.records import record


@record(frozen=True)
class Conclusion:
    """What a rule concludes: a recommendation, a fact or a warning."""

    kind: Literal["recommend", "conclude", "warn"]
    name: str | None  # decision or fact name; None for warnings
    value: Any        # choice, fact value, or warning message
    warning_kind: str | None = None
    withholds: tuple[str, ...] = ()  # decisions a warning says the advisor leaves open here (lint checks it)
    contests: tuple[str, ...] = ()  # decisions whose heuristics the guide does not rank: marked contested

    def describe(self) -> str:
        if self.kind == "recommend":
            return f"recommend {self.name} = {self.value}"
        if self.kind == "conclude":
            value = str(self.value).lower() if isinstance(self.value, bool) else self.value
            return f"conclude {self.name} = {value}"
        return f"warn: {self.value}"


@record(frozen=True)
class Example:
    """Input facts (canonical values) on which a rule fires, or a near miss on which it doesn't."""

    facts: dict[str, Any] = field(compare=False)  # treat as read-only
    line: int | None = None  # in the rule file's examples file, for messages


@record(frozen=True)
class RuleExamples:
    """A rule's examples, kept beside it in rules/<area>.examples.yaml (like Semgrep's test files)."""

    fires: tuple[Example, ...] = ()
    does_not_fire: tuple[Example, ...] = ()
    file: str | None = None  # the examples file they come from

    def __bool__(self) -> bool:
        return bool(self.fires or self.does_not_fire)


NO_EXAMPLES = RuleExamples()


@record(frozen=True)
class Rule:
    """One rule of the knowledge base: when it fires, what it concludes, why and its source."""

    id: str
    title: str
    section: str
    area: str
    condition: Condition
    conclusion: Conclusion
    because: str
    source: str
    priority: int
    strength: float
    file: str
    stratum: int = 0
    order: int = 0  # position in the rule base: the last, deterministic tie-break
    examples: RuleExamples = field(default=NO_EXAMPLES, compare=False)
    ranked_by: tuple[str, ...] | None = None  # (quote, url): the sentence that ranks its priority

    @cached_property
    def specificity(self) -> int:
        """How many tests the condition makes; breaks ties between equal priorities."""
        return sum(1 for _ in conditions.leaves(self.condition))

    @property
    def rank(self) -> tuple[int, int]:
        return (self.priority, self.specificity)

    @cached_property
    def reads(self) -> frozenset[str]:
        return conditions.subjects(self.condition)


def stratify(rules: list[Rule], waits_on: Mapping[str, frozenset[str]] | None = None) -> list[Rule]:
    """Give each rule its stratum: one more than the deepest rule producing what it reads.

    Producers then fire before every consumer, so a decision a rule reads is already
    settled (including overrides by higher-ranked rules) when that rule fires. `waits_on`
    adds names a rule waits on without reading them: what decides whether its conclusion is
    in scope (knowledge/scope.py), settled before it fires.
    """
    waits_on = waits_on or {}
    producers: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.conclusion.name is not None:
            producers.setdefault(rule.conclusion.name, []).append(rule)
    strata: dict[str, int] = {}
    visiting: list[str] = []

    def stratum(rule: Rule) -> int:
        if rule.id in strata:
            return strata[rule.id]
        if rule.id in visiting:
            cycle = " -> ".join(visiting[visiting.index(rule.id):] + [rule.id])
            raise KnowledgeError(f"rules depend on each other in a cycle (through what they read, or what "
                                 f"decides their scope): {cycle}", where=rule.file)
        visiting.append(rule.id)
        deepest = -1
        for name in sorted(rule.reads | waits_on.get(rule.id, frozenset())):
            for producer in producers.get(name, ()):
                deepest = max(deepest, stratum(producer))
        visiting.pop()
        strata[rule.id] = deepest + 1
        return deepest + 1

    return [replace(rule, stratum=stratum(rule), order=index) for index, rule in enumerate(rules)]
