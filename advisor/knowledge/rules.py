"""Rules as data: one YAML file per area in `rules/`, validated with pydantic."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from advisor.errors import KnowledgeError
from advisor.knowledge import conditions
from advisor.knowledge.conditions import Condition
from advisor.knowledge.guide import Guide
from advisor.knowledge.vocabulary import Vocabulary

RULE_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9][a-z0-9-]*$")
WarningKind = Literal["caution", "sources_disagree"]


class WarnSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    message: str
    kind: WarningKind = "caution"


class ThenSpec(BaseModel):
    """Exactly one of: recommend a decision's choice, conclude a derived fact, or warn."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    recommend: dict[str, str] | None = None
    conclude: dict[str, Any] | None = None
    warn: WarnSpec | None = None

    @field_validator("warn", mode="before")
    @classmethod
    def _plain_warning(cls, value: Any) -> Any:
        return {"message": value} if isinstance(value, str) else value


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    section: str
    when: Any
    then: ThenSpec
    because: str
    source: str
    priority: int = Field(default=0, ge=-50, le=50)
    strength: float = Field(default=0.8, gt=0, le=1)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError("ids look like area.short-name (lower case, e.g. compute.gpu-for-deep-learning)")
        return value


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    rules: list[dict[str, Any]]


@dataclass(frozen=True)
class Conclusion:
    kind: Literal["recommend", "conclude", "warn"]
    name: str | None  # decision or fact name; None for warnings
    value: Any        # choice, fact value, or warning message
    warning_kind: str | None = None

    def describe(self) -> str:
        if self.kind == "recommend":
            return f"recommend {self.name} = {self.value}"
        if self.kind == "conclude":
            value = str(self.value).lower() if isinstance(self.value, bool) else self.value
            return f"conclude {self.name} = {value}"
        return f"warn: {self.value}"


@dataclass(frozen=True)
class Rule:
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

    @property
    def specificity(self) -> int:
        """How many tests the condition makes; breaks ties between equal priorities."""
        return sum(1 for _ in conditions.leaves(self.condition))

    @property
    def rank(self) -> tuple[int, int]:
        return (self.priority, self.specificity)

    @property
    def salience(self) -> int:
        """experta salience: earlier strata first, then priority, then specificity."""
        return -self.stratum * 100_000 + self.priority * 1_000 + self.specificity

    @property
    def reads(self) -> frozenset[str]:
        return conditions.subjects(self.condition)


def _conclusion(spec: ThenSpec, vocabulary: Vocabulary) -> Conclusion:
    given = [k for k in ("recommend", "conclude", "warn") if getattr(spec, k) is not None]
    if len(given) != 1:
        raise ValueError("`then` needs exactly one of recommend, conclude or warn")
    if spec.warn is not None:
        return Conclusion("warn", None, spec.warn.message, spec.warn.kind)
    if spec.recommend is not None:
        if len(spec.recommend) != 1:
            raise ValueError("`recommend` names one decision and one choice")
        name, choice = next(iter(spec.recommend.items()))
        decision = vocabulary.decision(name)
        if decision is None:
            raise ValueError(f"unknown decision {name!r}")
        if choice not in decision.choices:
            raise ValueError(f"{name}: unknown choice {choice!r} (allowed: {', '.join(decision.choices)})")
        return Conclusion("recommend", name, choice)
    assert spec.conclude is not None
    if len(spec.conclude) != 1:
        raise ValueError("`conclude` names one derived fact and one value")
    name, value = next(iter(spec.conclude.items()))
    fact = vocabulary.fact(name)
    if fact is None:
        raise ValueError(f"unknown fact {name!r}")
    if not fact.derived:
        raise ValueError(f"fact {name!r} is stated by users; rules may only conclude derived facts")
    if fact.type == "list":
        raise ValueError(f"fact {name!r} is a list; rules conclude single values")
    try:
        value = fact.check(value)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None
    return Conclusion("conclude", name, value)


def parse_rule(raw: Any, *, area: str, file: str, vocabulary: Vocabulary, guide: Guide) -> Rule:
    """Validate one rule mapping; raise KnowledgeError naming the file and rule."""
    rule_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
    where = f"{file} rule {rule_id}"
    if not isinstance(raw, dict):
        raise KnowledgeError(f"each rule must be a mapping, got {raw!r}", where=file)
    try:
        spec = RuleSpec.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "rule"
        raise KnowledgeError(f"{field}: {err['msg']}", where=where) from None
    if not spec.id.startswith(area + "."):
        raise KnowledgeError(f"id must start with the file's area {area + '.'!r}", where=where)
    if spec.section not in guide.section_ids:
        raise KnowledgeError(f"unknown section {spec.section!r}", where=where,
                             allowed=", ".join(guide.section_ids))
    if guide.unit(spec.source) is None:
        raise KnowledgeError(f"source {spec.source!r} is not a unit URL of the study guide", where=where)
    try:
        condition = conditions.parse(spec.when, vocabulary)
        conclusion = _conclusion(spec.then, vocabulary)
    except ValueError as exc:
        raise KnowledgeError(str(exc), where=where) from None
    return Rule(id=spec.id, title=spec.title, section=spec.section, area=area, condition=condition,
                conclusion=conclusion, because=" ".join(spec.because.split()), source=spec.source,
                priority=spec.priority, strength=spec.strength, file=file)


def load_rule_file(path: Path, raw: Any, vocabulary: Vocabulary, guide: Guide) -> tuple[str, list[Rule]]:
    try:
        parsed = RuleFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "file"
        raise KnowledgeError(f"{field}: {err['msg']}", where=path.name) from None
    area = path.stem
    return parsed.title, [parse_rule(r, area=area, file=path.name, vocabulary=vocabulary, guide=guide)
                          for r in parsed.rules]


def stratify(rules: list[Rule]) -> list[Rule]:
    """Give each rule its stratum: one more than the deepest rule producing what it reads.

    Producers then fire before every consumer, so a decision a rule reads is already
    settled (including overrides by higher-ranked rules) when that rule fires.
    """
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
            raise KnowledgeError(f"rules depend on each other in a cycle: {cycle}", where=rule.file)
        visiting.append(rule.id)
        deepest = -1
        for name in sorted(rule.reads):
            for producer in producers.get(name, ()):
                deepest = max(deepest, stratum(producer))
        visiting.pop()
        strata[rule.id] = deepest + 1
        return deepest + 1

    return [Rule(**{**rule.__dict__, "stratum": stratum(rule)}) for rule in rules]
