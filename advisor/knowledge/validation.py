"""Validate the knowledge files with pydantic and build the plain knowledge objects.

Imported only when the knowledge base is (re)built, not when it comes from the cache.
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from advisor.errors import KnowledgeError
from advisor.knowledge import conditions
from advisor.knowledge.guide import Guide, Section, Unit
from advisor.knowledge.rules import Conclusion, Example, Rule, RuleExamples
from advisor.knowledge.scope import Incompatibility, ScopeEntry
from advisor.knowledge.vocabulary import DecisionSpec, FactSpec, FactType, Given, Vocabulary

RULE_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9][a-z0-9-]*$")
WarningKind = Literal["caution", "sources_disagree"]


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "document"
    return f"{field}: {err['msg']}"


# --- guide -------------------------------------------------------------------

class _SectionDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    number: int
    title: str


class _UnitDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str
    title: str
    section: str
    kind: Literal["content", "introduction", "exercise"] = "content"


class _GuideDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sections: list[_SectionDoc]
    units: list[_UnitDoc]


def build_guide(data: Any, where: str) -> Guide:
    try:
        doc = _GuideDoc.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(_first_error(exc), where=where) from None
    return Guide(tuple(Section(**s.model_dump()) for s in doc.sections),
                 tuple(Unit(**u.model_dump()) for u in doc.units))


# --- vocabulary --------------------------------------------------------------

class _GivenDoc(BaseModel):
    """`given: [{when: CONDITION, help: TEXT, labels: {value: label}}]` on a fact."""

    model_config = ConfigDict(extra="forbid")
    when: Any
    help: str = ""
    labels: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _says_something(self) -> _GivenDoc:
        if not self.help.strip() and not self.labels:
            raise ValueError("a given entry needs help, labels or both")
        return self


class _FactDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    type: FactType
    section: str
    question: str
    help: str
    values: dict[str, str] = Field(default_factory=dict)
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    derived: bool = False
    existing_setup: bool = False
    describes: str | None = None
    given: list[_GivenDoc] = Field(default_factory=list)

    @model_validator(mode="after")
    def _values_fit_type(self) -> _FactDoc:
        if self.type in ("choice", "list") and not self.values:
            raise ValueError(f"fact {self.name!r} of type {self.type} needs values")
        if self.type in ("bool", "number") and self.values:
            raise ValueError(f"fact {self.name!r} of type {self.type} takes no values")
        if self.describes is not None and not (self.existing_setup and self.type == "choice"):
            raise ValueError(f"fact {self.name!r}: only existing_setup choice facts describe a decision")
        return self


class _DecisionDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    section: str
    title: str
    choices: dict[str, str]
    multiple: bool = False


class _VocabularyDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    facts: list[_FactDoc]
    decisions: list[_DecisionDoc]

    @model_validator(mode="after")
    def _unique_names(self) -> _VocabularyDoc:
        names = [f.name for f in self.facts] + [d.name for d in self.decisions]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"names used twice in the vocabulary: {', '.join(duplicates)}")
        return self


def _one_line(text: str) -> str:
    """Help may be a folded YAML block; it is one line of text, like a rule's `because`."""
    return " ".join(text.split())


def _fact(doc: _FactDoc, given: tuple[Given, ...] = ()) -> FactSpec:
    return FactSpec(**{**doc.model_dump(exclude={"given"}), "help": _one_line(doc.help)}, given=given)


def _given(doc: _FactDoc, vocabulary: Vocabulary, where: str) -> tuple[Given, ...]:
    """A fact's `given` entries, checked: conditions on other input facts, labels of its own values."""
    if doc.given and doc.derived:
        raise KnowledgeError(f"{doc.name}: a derived fact is never asked, so it takes no given", where=where)
    entries = []
    for i, entry in enumerate(doc.given):
        at = f"{doc.name}: given[{i}]"
        try:
            condition = conditions.parse(entry.when, vocabulary)
        except ValueError as exc:
            raise KnowledgeError(f"{at}.when: {exc}", where=where) from None
        for name in sorted(conditions.subjects(condition)):
            if name == doc.name or not vocabulary.is_input(name):
                raise KnowledgeError(f"{at}.when: {name!r} is not another fact a user answers; a question "
                                     "can only follow earlier answers", where=where)
        unknown = [v for v in entry.labels if v not in doc.values]
        if unknown:
            raise KnowledgeError(f"{at}.labels: {unknown[0]!r} is not a value of {doc.name}", where=where,
                                 allowed=", ".join(doc.values) or "none (only choice and list facts have values)")
        entries.append(Given(condition, conditions.describe(condition), _one_line(entry.help),
                             {v: _one_line(label) for v, label in entry.labels.items()}))
    return tuple(entries)


def build_vocabulary(data: Any, where: str, guide: Guide) -> Vocabulary:
    try:
        doc = _VocabularyDoc.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(_first_error(exc), where=where) from None
    plain_vocabulary = Vocabulary(tuple(_fact(f) for f in doc.facts),
                                  tuple(DecisionSpec(**d.model_dump()) for d in doc.decisions))
    # `given` conditions are parsed against the vocabulary they belong to
    vocabulary = Vocabulary(tuple(_fact(f, _given(f, plain_vocabulary, where)) for f in doc.facts),
                            plain_vocabulary.decisions)
    items: tuple[FactSpec | DecisionSpec, ...] = (*vocabulary.facts, *vocabulary.decisions)
    for item in items:
        if item.section not in guide.section_ids:
            raise KnowledgeError(f"{item.name}: unknown section {item.section!r}", where=where,
                                 allowed=", ".join(guide.section_ids))
    for fact in vocabulary.facts:
        if fact.describes is None:
            continue
        decision = vocabulary.decision(fact.describes)
        if decision is None:
            raise KnowledgeError(f"{fact.name}: describes unknown decision {fact.describes!r}", where=where)
        if not set(fact.values) & set(decision.choices):
            raise KnowledgeError(f"{fact.name}: none of its values is a choice of {decision.name}, "
                                 "which it describes", where=where, allowed=", ".join(decision.choices))
    return vocabulary


# --- rules -------------------------------------------------------------------

class WarnSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    message: str
    kind: WarningKind = "caution"
    withholds: tuple[str, ...] = ()  # decisions the message says the advisor does not pick here
    # Decisions where the guide lists the competing heuristics without ranking them: whatever
    # the advisor shows for them is marked contested while this warning fires.
    contests: tuple[str, ...] = ()


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


class RankedBy(BaseModel):
    """The sentence that ranks this rule's priority above its rivals', and where it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    quote: str = Field(min_length=10)
    url: str = Field(pattern=r"^https://")


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
    ranked_by: RankedBy | None = None

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


def _conclusion(spec: ThenSpec, vocabulary: Vocabulary) -> Conclusion:
    given = [k for k in ("recommend", "conclude", "warn") if getattr(spec, k) is not None]
    if len(given) != 1:
        raise ValueError("`then` needs exactly one of recommend, conclude or warn")
    if spec.warn is not None:
        return _warning(spec.warn, vocabulary)
    if spec.recommend is not None:
        return _recommendation(spec.recommend, vocabulary)
    assert spec.conclude is not None
    return _derivation(spec.conclude, vocabulary)


def _warning(warn: WarnSpec, vocabulary: Vocabulary) -> Conclusion:
    for key in ("withholds", "contests"):
        for name in getattr(warn, key):
            if vocabulary.decision(name) is None:
                raise ValueError(f"warn.{key}: unknown decision {name!r}")
    return Conclusion("warn", None, " ".join(warn.message.split()), warn.kind,
                      tuple(warn.withholds), tuple(warn.contests))


def _recommendation(recommend: dict[str, str], vocabulary: Vocabulary) -> Conclusion:
    if len(recommend) != 1:
        raise ValueError("`recommend` names one decision and one choice")
    name, choice = next(iter(recommend.items()))
    decision = vocabulary.decision(name)
    if decision is None:
        raise ValueError(f"unknown decision {name!r}")
    if choice not in decision.choices:
        raise ValueError(f"{name}: unknown choice {choice!r} (allowed: {', '.join(decision.choices)})")
    return Conclusion("recommend", name, choice)


def _derivation(conclude: dict[str, Any], vocabulary: Vocabulary) -> Conclusion:
    if len(conclude) != 1:
        raise ValueError("`conclude` names one derived fact and one value")
    name, value = next(iter(conclude.items()))
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
                priority=spec.priority, strength=spec.strength, file=file,
                ranked_by=(" ".join(spec.ranked_by.quote.split()), spec.ranked_by.url) if spec.ranked_by else None)


def build_rule_file(path: Path, raw: Any, vocabulary: Vocabulary, guide: Guide) -> tuple[str, list[Rule]]:
    try:
        parsed = RuleFile.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeError(_first_error(exc), where=path.name) from None
    area = path.stem
    return parsed.title, [parse_rule(r, area=area, file=path.name, vocabulary=vocabulary, guide=guide)
                          for r in parsed.rules]



# --- scope (rules/scope.yaml) ---------------------------------------------------

class _ScopeDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^scope\.[a-z0-9][a-z0-9-]*$")
    title: str
    when: Any
    decisions: list[str] = Field(default_factory=list)
    facts: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    because: str
    source: str = Field(pattern=r"^https://")


class _IncompatibleDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^incompatible\.[a-z0-9][a-z0-9-]*$")
    title: str
    all: list[Any] = Field(min_length=2)
    because: str
    source: str = Field(pattern=r"^https://")


class _ScopeFileDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scope: list[_ScopeDoc] = Field(default_factory=list)
    incompatible: list[_IncompatibleDoc] = Field(default_factory=list)
    combined: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    unranked: dict[str, str] = Field(default_factory=dict)


def build_scope(data: Any, where: str, vocabulary: Vocabulary) -> tuple[
        tuple[ScopeEntry, ...], tuple[Incompatibility, ...], dict[str, dict[str, tuple[str, ...]]], dict[str, str]]:
    """Validate rules/scope.yaml: conditions in the rules' language, known decisions and input
    facts, no entry whose condition reads what it makes moot."""
    try:
        doc = _ScopeFileDoc.model_validate(data or {})
    except ValidationError as exc:
        raise KnowledgeError(_first_error(exc), where=where) from None
    ids = [e.id for e in doc.scope] + [i.id for i in doc.incompatible]
    if len(set(ids)) != len(ids):
        raise KnowledgeError("ids used twice in " + where, where=where)
    entries = tuple(_scope_entry(item, f"{where} {item.id}", vocabulary) for item in doc.scope)
    pairs = tuple(_incompatibility(item, f"{where} {item.id}", vocabulary) for item in doc.incompatible)
    for name in doc.unranked:
        if vocabulary.decision(name) is None:
            raise KnowledgeError(f"unranked: unknown decision {name!r}", where=where)
    return entries, pairs, {name: _combined(name, combos, f"{where} combined", vocabulary)
                            for name, combos in doc.combined.items()}, {
        name: _one_line(why) for name, why in doc.unranked.items()}


def _combined(name: str, combos: dict[str, list[str]], at: str, vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    """`combined: {decision: {choice: [choices it names together]}}`, checked."""
    decision = vocabulary.decision(name)
    if decision is None or decision.multiple:
        raise KnowledgeError(f"{name!r} is not a single-choice decision", where=at)
    for choice, members in combos.items():
        unknown = [c for c in (choice, *members) if c not in decision.choices]
        if unknown or len(members) < 2 or choice in members:
            raise KnowledgeError(f"{name}.{choice}: a combined choice names two or more other choices of "
                                 f"{name}", where=at, allowed=", ".join(decision.choices))
    return {choice: tuple(members) for choice, members in combos.items()}


def _scope_entry(item: _ScopeDoc, at: str, vocabulary: Vocabulary) -> ScopeEntry:
    try:
        condition = conditions.parse(item.when, vocabulary)
    except ValueError as exc:
        raise KnowledgeError(f"when: {exc}", where=at) from None
    for name in item.decisions:
        if vocabulary.decision(name) is None:
            raise KnowledgeError(f"decisions: unknown decision {name!r}", where=at)
    for name in item.facts:
        if not vocabulary.is_input(name):
            raise KnowledgeError(f"facts: {name!r} is not a fact a user answers", where=at)
    if not item.decisions and not item.facts and not item.rules:
        raise KnowledgeError("a scope entry makes at least one decision, fact or rule moot", where=at)
    # deeper circles (A moots what B reads, B what A reads) fail stratification
    circular = sorted(conditions.subjects(condition) & {*item.decisions, *item.facts})
    if circular:
        raise KnowledgeError(f"its condition reads {', '.join(circular)}, which it makes moot: "
                             "a choice cannot decide its own scope", where=at)
    return ScopeEntry(item.id, item.title, condition, conditions.describe(condition),
                      tuple(item.decisions), tuple(item.facts), _one_line(item.because), item.source,
                      tuple(item.rules))


def _incompatibility(item: _IncompatibleDoc, at: str, vocabulary: Vocabulary) -> Incompatibility:
    try:
        parts = tuple(conditions.parse(c, vocabulary) for c in item.all)
    except ValueError as exc:
        raise KnowledgeError(f"all: {exc}", where=at) from None
    if not any(vocabulary.decision(n) is not None for p in parts for n in conditions.subjects(p)):
        raise KnowledgeError("an incompatibility names at least one decision (the engine withholds it)", where=at)
    return Incompatibility(item.id, item.title, parts, tuple(conditions.describe(p) for p in parts),
                           _one_line(item.because), item.source)


# --- rule examples (rules/<area>.examples.yaml) ---------------------------------

EXPECTATIONS = ("fires", "does_not_fire")


def build_examples(doc: Any, file: str, rule_file: str, rules: list[Rule],
                   vocabulary: Vocabulary) -> dict[str, RuleExamples]:
    """Validate an examples file against the rules of its rule file; raise KnowledgeError
    naming the file, the rule and the line."""
    data = doc.data
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KnowledgeError(f"must map rule ids of {rule_file} to their examples, "
                             f"got {type(data).__name__}", where=file)
    ids = {r.id for r in rules}
    result: dict[str, RuleExamples] = {}
    for rule_id, body in data.items():
        where = f"{file} rule {rule_id}"
        line = doc.line(rule_id)
        if rule_id not in ids:
            close = get_close_matches(str(rule_id), sorted(ids), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise KnowledgeError(f"no rule {rule_id!r} in {rule_file}{hint}; examples live beside "
                                 "their rule's file", where=where, line=line)
        if not isinstance(body, dict) or not body:
            raise KnowledgeError(f"needs a mapping with {' and/or '.join(EXPECTATIONS)}", where=where, line=line)
        unknown = [k for k in body if k not in EXPECTATIONS]
        if unknown:
            raise KnowledgeError(f"unknown key {unknown[0]!r}", where=where, line=doc.line(rule_id, unknown[0]),
                                 allowed=", ".join(EXPECTATIONS))
        lists: dict[str, tuple[Example, ...]] = {}
        for expectation in EXPECTATIONS:
            items = body.get(expectation, [])
            if not isinstance(items, list):
                raise KnowledgeError(f"{expectation} must be a list of examples (mappings of input facts)",
                                     where=where, line=doc.line(rule_id, expectation))
            lists[expectation] = tuple(
                Example(_example_facts(facts, where, doc.line(rule_id, expectation, i), vocabulary),
                        doc.line(rule_id, expectation, i))
                for i, facts in enumerate(items))
        result[rule_id] = RuleExamples(lists["fires"], lists["does_not_fire"], file)
    return result


def _example_facts(facts: Any, where: str, line: int | None, vocabulary: Vocabulary) -> dict[str, Any]:
    if not isinstance(facts, dict) or not facts:
        raise KnowledgeError(f"an example is a non-empty mapping of input facts, got {facts!r}",
                             where=where, line=line)
    canonical = {}
    for name, value in facts.items():
        spec = vocabulary.fact(name)
        if spec is None:
            if vocabulary.decision(name) is not None:
                problem = "is a decision, which rules recommend; give the input facts that lead to it"
            else:
                close = get_close_matches(str(name), [f.name for f in vocabulary.input_facts], n=3)
                problem = "is not in vocabulary.yaml" + (f" (did you mean {', '.join(close)}?)" if close else "")
            raise KnowledgeError(f"example fact {name!r} {problem}", where=where, line=line)
        if spec.derived:
            raise KnowledgeError(f"example fact {name!r} is derived (only rules conclude it); "
                                 "give the input facts that lead to it", where=where, line=line)
        try:
            canonical[name] = spec.check(value)
        except ValueError as exc:
            raise KnowledgeError(f"example fact {name}: {exc}", where=where, line=line) from None
    return canonical
