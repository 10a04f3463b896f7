"""The whole knowledge base, loaded and validated once per process."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from advisor.errors import AdvisorError, KnowledgeError
from advisor.knowledge.guide import Guide
from advisor.knowledge.rules import Rule, stratify
from advisor.knowledge.scope import Incompatibility, ScopeEntry, area_decisions, guards
from advisor.knowledge.vocabulary import Vocabulary
from advisor.paths import files_ending, rules_dir
from advisor.records import record
from advisor.yamlio import YamlDocument, parse_yaml, read_text_file

SPECIAL_FILES = ("guide.yaml", "vocabulary.yaml")
SCOPE_FILE = "scope.yaml"  # optional: which choices make which decisions moot (knowledge/scope.py)
EXAMPLES_SUFFIX = ".examples.yaml"  # rules/<area>.examples.yaml holds the examples of rules/<area>.yaml
EXAM_PREFIX = "exam-"  # rules/exam-*.yaml are exam outlines (advisor/drill/outline.py), not rules


def examples_file(rule_file: str) -> str:
    """The examples file paired with a rule file: sweep.yaml -> sweep.examples.yaml."""
    return rule_file.removesuffix(".yaml") + EXAMPLES_SUFFIX


def is_rule_file(name: str) -> bool:
    return (name not in SPECIAL_FILES and name != SCOPE_FILE and not name.endswith(EXAMPLES_SUFFIX)
            and not name.startswith(EXAM_PREFIX))


@record(frozen=True)
class KnowledgeBase:
    """The guide, the vocabulary, the rules and the scope, validated together."""

    guide: Guide
    vocabulary: Vocabulary
    rules: tuple[Rule, ...]
    areas: dict[str, str]  # area id -> title, in file order
    scope: tuple[ScopeEntry, ...] = ()  # rules/scope.yaml: what makes which decisions moot
    incompatible: tuple[Incompatibility, ...] = ()  # conditions that never hold together
    combined: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # decision -> choice -> names
    unranked: dict[str, str] = field(default_factory=dict)  # decision -> why its heuristics compete

    def scope_entry(self, entry_id: str) -> ScopeEntry | None:
        return next((e for e in self.scope if e.id == entry_id), None)

    def guards(self) -> dict[str, tuple[str, ...]]:
        """Rule id -> the scope entries that can set it aside (knowledge/scope.py `guards`)."""
        found = self.__dict__.get("_guards")
        if found is None:
            found = scope_guards(self.rules, self.scope, self.vocabulary)
            object.__setattr__(self, "_guards", found)
        return found

    def rule(self, rule_id: str) -> Rule | None:
        return self._index()[0].get(rule_id)

    def require_rule(self, rule_id: str) -> Rule:
        """The rule `rule_id`, which the caller knows is in the rule base (a fired or warning
        rule's id; KeyError if it is not): no Optional for the type checker to refuse."""
        rule = self.rule(rule_id)
        if rule is None:
            raise KeyError(f"no rule {rule_id!r} in the rule base")
        return rule

    def producers(self, name: str) -> tuple[Rule, ...]:
        """Rules that recommend the decision, or conclude the fact, called `name`."""
        return self._index()[1].get(name, ())

    def rules_in_area(self, area: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.area == area)

    def _index(self) -> tuple[dict[str, Rule], dict[str, tuple[Rule, ...]]]:
        index = self.__dict__.get("_by_id")
        if index is None:
            producers: dict[str, list[Rule]] = {}
            for rule in self.rules:
                if rule.conclusion.name is not None:
                    producers.setdefault(rule.conclusion.name, []).append(rule)
            index = ({r.id: r for r in self.rules}, {k: tuple(v) for k, v in producers.items()})
            object.__setattr__(self, "_by_id", index)
        return index

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("_by_id", "_guards")}


def read_sources(directory: Path) -> dict[str, str]:
    """The text of every knowledge file in `directory`, by file name."""
    if not directory.is_dir():
        raise KnowledgeError("the rules folder does not exist", where=str(directory))
    texts = {}
    for path in files_ending(directory, ".yaml"):
        # bounded and never blocking: a FIFO or /dev/zero named *.yaml is an error, not a hang
        texts[path.name] = read_text_file(path, "a knowledge YAML file", KnowledgeError)
    for name in SPECIAL_FILES:
        if name not in texts:
            raise KnowledgeError(f"missing {name}", where=str(directory))
    return texts


def _document(texts: dict[str, str], name: str) -> YamlDocument:
    try:
        return parse_yaml(texts[name], name)
    except AdvisorError as exc:
        raise KnowledgeError(exc.message, where=exc.where, line=exc.line) from None


def _data(texts: dict[str, str], name: str) -> object:
    return _document(texts, name).data


def build_knowledge(texts: dict[str, str]) -> KnowledgeBase:
    """Validate the knowledge files (pydantic) and build the knowledge base."""
    from advisor.knowledge import validation

    guide = validation.build_guide(_data(texts, "guide.yaml"), "guide.yaml")
    vocabulary = validation.build_vocabulary(_data(texts, "vocabulary.yaml"), "vocabulary.yaml", guide)
    rules: list[Rule] = []
    areas: dict[str, str] = {}
    seen: dict[str, str] = {}
    for name in sorted(texts):
        if name.endswith(EXAMPLES_SUFFIX) and name.removesuffix(EXAMPLES_SUFFIX) + ".yaml" not in texts:
            raise KnowledgeError(f"no rule file {name.removesuffix(EXAMPLES_SUFFIX)}.yaml to pair these "
                                 "examples with", where=name)
    for name in sorted(texts):
        if not is_rule_file(name):
            continue
        title, file_rules = validation.build_rule_file(Path(name), _data(texts, name), vocabulary, guide)
        if examples_file(name) in texts:
            examples = validation.build_examples(_document(texts, examples_file(name)), examples_file(name),
                                                 name, file_rules, vocabulary)
            file_rules = [replace(r, examples=examples[r.id]) if r.id in examples else r for r in file_rules]
        areas[Path(name).stem] = title
        for rule in file_rules:
            if rule.id in seen:
                raise KnowledgeError(f"duplicate rule id {rule.id!r} (also in {seen[rule.id]})", where=name)
            seen[rule.id] = name
            rules.append(rule)
    scope: tuple[ScopeEntry, ...] = ()
    incompatible: tuple[Incompatibility, ...] = ()
    combined: dict[str, dict[str, tuple[str, ...]]] = {}
    unranked: dict[str, str] = {}
    if SCOPE_FILE in texts:
        scope, incompatible, combined, unranked = validation.build_scope(_data(texts, SCOPE_FILE), SCOPE_FILE,
                                                                         vocabulary)
    known = {r.id for r in rules}
    for entry in scope:
        unknown = [r for r in entry.rules if r not in known]
        if unknown:
            raise KnowledgeError(f"rules: no rule {unknown[0]!r}", where=f"{SCOPE_FILE} {entry.id}")
    by_id = {e.id: e for e in scope}
    waits_on = {rule_id: frozenset().union(*(by_id[e].reads for e in entries))
                for rule_id, entries in scope_guards(rules, scope, vocabulary).items()}
    return KnowledgeBase(guide, vocabulary, tuple(stratify(rules, waits_on)), areas, scope, incompatible, combined,
                         unranked)


def scope_guards(rules: Sequence[Rule], scope: tuple[ScopeEntry, ...],
                 vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    decisions = frozenset(d.name for d in vocabulary.decisions)
    return guards(rules, scope, area_decisions(rules, decisions))


def load_from(directory: Path) -> KnowledgeBase:
    """Load and validate the knowledge base in `directory` (no cache)."""
    return build_knowledge(read_sources(directory))


@lru_cache(maxsize=1)
def load_knowledge() -> KnowledgeBase:
    """The shipped knowledge base (or $ADVISOR_RULES_DIR), once per process, via the cache."""
    from advisor.knowledge.cache import load_cached

    return load_cached(rules_dir())
