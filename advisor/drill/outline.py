"""The exam outline (rules/exam-*.yaml): domains and their weights, the skills under each,
and which guide sections and decisions each skill covers, with the exam's wording for them.

Drills sample by the domain weights; stats and reports group answers by domain and skill.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from advisor.errors import AdvisorError
from advisor.paths import PACKAGE_DIR, SOURCE_TREE, rules_dir
from advisor.yamlio import parse_yaml, read_text_file

DEFAULT_EXAM = "dp100"
UNMAPPED_SKILL = "0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Distractor(_Model):
    """A wrong option beside a decision's own choices: free text, or another decision's choice."""

    label: str | None = None
    choice: str | None = None  # DECISION.CHOICE: that choice's label
    why: str
    source: str | None = None  # where `why` is stated, when not the question's own unit

    @model_validator(mode="after")
    def _one_of(self) -> Distractor:
        if (self.label is None) == (self.choice is None):
            raise ValueError("give either label or choice")
        return self


class Completion(_Model):
    file: str                      # sweep_job, compute or deployment (the files emit writes)
    field: str                     # dotted key of the blanked line, e.g. early_termination.type
    values: dict[str, str]         # choice -> the literal it puts there
    hide: tuple[str, ...] = ()     # dotted keys left out: they would name the answer
    distractors: dict[str, str] = Field(default_factory=dict)  # wrong literal -> why


class DecisionItem(_Model):
    stem: str
    labels: dict[str, str] = Field(default_factory=dict)  # choice -> the exam's wording of it
    distractors: tuple[Distractor, ...] = ()
    combined: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    completion: Completion | None = None


class Wording(_Model):
    """How a scenario states a fact, where the vocabulary's words would name an answer."""

    question: str | None = None
    values: dict[str, str] = Field(default_factory=dict)


class Ordering(_Model):
    id: str
    stem: str
    steps: tuple[str, ...] = Field(min_length=3)
    source: str


class Skill(_Model):
    id: str
    title: str
    sections: tuple[str, ...] = ()
    decisions: dict[str, DecisionItem] = Field(default_factory=dict)
    orderings: tuple[Ordering, ...] = ()


class Domain(_Model):
    number: int = Field(ge=1)
    title: str
    weight: tuple[float, float]
    skills: tuple[Skill, ...]

    @field_validator("weight")
    @classmethod
    def _range(cls, value: tuple[float, float]) -> tuple[float, float]:
        low, high = value
        if not 0 <= low <= high <= 100:
            raise ValueError("weight is [low, high] percent, 0 <= low <= high <= 100")
        return value

    @property
    def midpoint(self) -> float:
        return (self.weight[0] + self.weight[1]) / 2


class ExamOutline(_Model):
    exam: str
    title: str
    source: str
    passing_score: int = Field(700, ge=1, le=1000)
    wording: dict[str, Wording] = Field(default_factory=dict)
    domains: tuple[Domain, ...]

    @model_validator(mode="after")
    def _unique(self) -> ExamOutline:
        seen: dict[str, str] = {}
        for domain in self.domains:
            for skill in domain.skills:
                for name in [*skill.decisions, *(f"section {s}" for s in skill.sections)]:
                    if name in seen:
                        raise ValueError(f"{name} is mapped to skill {seen[name]} and to {skill.id}")
                    seen[name] = skill.id
        return self

    # --- lookups -----------------------------------------------------------------------------

    @property
    def skills(self) -> tuple[Skill, ...]:
        return tuple(s for d in self.domains for s in d.skills)

    def domain(self, number: int) -> Domain | None:
        return next((d for d in self.domains if d.number == number), None)

    def skill(self, skill_id: str) -> Skill | None:
        return next((s for s in self.skills if s.id == skill_id), None)

    def domain_of_skill(self, skill_id: str) -> int:
        return next((d.number for d in self.domains for s in d.skills if s.id == skill_id), 0)

    def skill_of(self, decision: str, section: str) -> str:
        """The skill covering a decision: where it is listed, else where its guide section is."""
        for skill in self.skills:
            if decision in skill.decisions:
                return skill.id
        for skill in self.skills:
            if section in skill.sections:
                return skill.id
        return UNMAPPED_SKILL

    def item(self, decision: str) -> DecisionItem | None:
        return next((s.decisions[decision] for s in self.skills if decision in s.decisions), None)

    def orderings(self) -> list[tuple[Skill, Ordering]]:
        return [(s, o) for s in self.skills for o in s.orderings]

    def weights(self) -> dict[int, float]:
        """Each domain's share of an exam: its weight's midpoint, normalised to sum to 1."""
        total = sum(d.midpoint for d in self.domains) or 1.0
        return {d.number: d.midpoint / total for d in self.domains}


def outline_path(exam: str = DEFAULT_EXAM) -> Path:
    """rules/exam-EXAM.yaml in the rule base in use, else the shipped one."""
    name = f"exam-{exam}.yaml"
    path = rules_dir() / name
    if path.is_file():
        return path
    packaged = PACKAGE_DIR / "_knowledge" / "rules" / name
    return packaged if packaged.is_file() else SOURCE_TREE / "rules" / name


def load_outline_file(path: Path) -> ExamOutline:
    document = parse_yaml(read_text_file(path, "an exam outline YAML file"), str(path))
    data: Any = document.data
    try:
        return ExamOutline.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise AdvisorError(f"invalid exam outline: {where}: {error['msg']}", where=str(path)) from None


@lru_cache(maxsize=4)
def load_outline(exam: str = DEFAULT_EXAM) -> ExamOutline:
    return load_outline_file(outline_path(exam))
