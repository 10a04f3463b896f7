"""Review existing Azure ML YAML: its settings become facts, the whole rule base runs on them,
and every warning it raises is a finding, with the rule, its reason, the guide's link and the
lines of the settings behind it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.azureml.documents import read_document
from advisor.azureml.facts import read_facts
from advisor.engine.advisor import Advisor
from advisor.engine.results import Consultation, Firing


@dataclass(frozen=True)
class FactRead:
    name: str
    value: Any
    line: int | None   # None: not from a line of the file
    origin: str        # "file", "default", "not in the file" or "command line"


@dataclass(frozen=True)
class Finding:
    rule_id: str
    kind: str
    message: str
    because: str
    source: str
    line: int | None
    facts: tuple[FactRead, ...]


@dataclass(frozen=True)
class FileReview:
    path: str
    kind: str
    title: str
    facts: tuple[FactRead, ...]
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]


def review_file(path: str | Path, advisor: Advisor, context: dict[str, Any] | None = None) -> FileReview:
    """Review one file; raises AdvisorError when it can't be read as Azure ML YAML."""
    document = read_document(path)
    read = read_facts(document, advisor.knowledge.vocabulary)
    facts = dict(read.facts)
    notes = list(read.notes)
    origins = dict(read.origins)
    for name, value in (context or {}).items():
        if name in facts and facts[name] != value:
            notes.append(f"{name}: the command line's {value!r} replaces the file's {facts[name]!r}")
        facts[name] = value
        origins[name] = "command line"
    consultation = advisor.consult(facts)
    lines = {n: (read.lines.get(n) if origins[n] != "command line" else None) for n in facts}
    reads = {n: FactRead(n, v, lines[n], origins[n]) for n, v in facts.items()}
    findings = tuple(_finding(w, consultation, advisor, reads) for w in consultation.warnings)
    return FileReview(document.path, document.kind, document.title, tuple(reads.values()),
                      tuple(sorted(findings, key=lambda f: (f.line or 0, f.rule_id))), tuple(notes))


def _user_facts(firing: Firing, consultation: Consultation, seen: set[str]) -> list[str]:
    """The given facts behind a firing, through the rules that concluded its premises."""
    names: list[str] = []
    by_rule = {f.rule_id: f for f in consultation.fired}
    for evidence in firing.matched:
        if evidence.from_user:
            names.append(evidence.name)
        elif evidence.origin in by_rule and evidence.origin not in seen:
            names.extend(_user_facts(by_rule[evidence.origin], consultation, seen | {evidence.origin}))
    return list(dict.fromkeys(names))


def _finding(warning: Any, consultation: Consultation, advisor: Advisor, reads: dict[str, FactRead]) -> Finding:
    rule = advisor.knowledge.rule(warning.rule_id)
    assert rule is not None
    firing = next(f for f in consultation.fired if f.rule_id == warning.rule_id)
    behind = tuple(reads[n] for n in _user_facts(firing, consultation, {firing.rule_id}) if n in reads)
    lines = [f.line for f in behind if f.line]
    return Finding(warning.rule_id, warning.kind, " ".join(warning.message.split()), rule.because, rule.source,
                   min(lines) if lines else None, behind)
