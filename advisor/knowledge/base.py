"""The whole knowledge base, loaded and validated once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from advisor.errors import AdvisorError, KnowledgeError
from advisor.knowledge.guide import Guide
from advisor.knowledge.paths import rules_dir
from advisor.knowledge.rules import Rule, load_rule_file, stratify
from advisor.knowledge.vocabulary import Vocabulary
from advisor.yamlio import parse_yaml

SPECIAL_FILES = ("guide.yaml", "vocabulary.yaml")


@dataclass(frozen=True)
class KnowledgeBase:
    guide: Guide
    vocabulary: Vocabulary
    rules: tuple[Rule, ...]
    areas: dict[str, str]  # area id -> title, in file order

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def producers(self, name: str) -> tuple[Rule, ...]:
        """Rules that recommend the decision, or conclude the fact, called `name`."""
        index = self.__dict__.get("_producers")
        if index is None:
            index = {}
            for rule in self.rules:
                if rule.conclusion.name is not None:
                    index.setdefault(rule.conclusion.name, []).append(rule)
            index = {k: tuple(v) for k, v in index.items()}
            object.__setattr__(self, "_producers", index)
        return index.get(name, ())

    def rules_in_area(self, area: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.area == area)


def _read(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"cannot read: {exc}", where=str(path)) from None
    try:
        return parse_yaml(text, path.name).data
    except AdvisorError as exc:
        raise KnowledgeError(exc.message, where=exc.where, line=exc.line) from None


def _model(cls, data: object, where: str):
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise KnowledgeError(f"{field}: {err['msg']}", where=where) from None


def load_from(directory: Path) -> KnowledgeBase:
    if not directory.is_dir():
        raise KnowledgeError("the rules folder does not exist", where=str(directory))
    guide = _model(Guide, _read(directory / "guide.yaml"), "guide.yaml")
    vocabulary = _model(Vocabulary, _read(directory / "vocabulary.yaml"), "vocabulary.yaml")
    for item in (*vocabulary.facts, *vocabulary.decisions):
        if item.section not in guide.section_ids:
            raise KnowledgeError(f"{item.name}: unknown section {item.section!r}", where="vocabulary.yaml",
                                 allowed=", ".join(guide.section_ids))
    rules: list[Rule] = []
    areas: dict[str, str] = {}
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name in SPECIAL_FILES:
            continue
        title, file_rules = load_rule_file(path, _read(path), vocabulary, guide)
        areas[path.stem] = title
        for rule in file_rules:
            if rule.id in seen:
                raise KnowledgeError(f"duplicate rule id {rule.id!r} (also in {seen[rule.id]})",
                                     where=path.name)
            seen[rule.id] = path.name
            rules.append(rule)
    return KnowledgeBase(guide, vocabulary, tuple(stratify(rules)), areas)


@lru_cache(maxsize=1)
def load_knowledge() -> KnowledgeBase:
    """The shipped knowledge base (or $ADVISOR_RULES_DIR), loaded once per process."""
    return load_from(rules_dir())
