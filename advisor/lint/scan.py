"""A tolerant first pass over the raw rule files: ids, sources and their lines.

It runs before the real loader, which stops at the first problem, so the lint can list
every duplicate id and every unknown source with its line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from advisor.errors import AdvisorError
from advisor.knowledge.base import is_rule_file
from advisor.knowledge.scaffold import PLACEHOLDER
from advisor.lint.findings import LintFinding
from advisor.yamlio import parse_yaml, read_text_file

URL = re.compile(r"https?://[^\s)\]<>\"'|`]+")
GUIDE_TEXT = Path("shared") / "dp100-study-guide.md"
# The companion source of the exam's fourth domain (language models), in the same form.
COMPANION_TEXTS = ("dp100-language-models.md",)


@dataclass(frozen=True)
class RawRule:
    id: str
    file: str
    line: int | None
    source: str | None
    source_line: int | None
    placeholders: tuple[str, ...] = ()  # keys still holding a `rules new` TODO


def _document(path: Path):
    try:
        return parse_yaml(path.read_text(encoding="utf-8"), path.name)
    except (OSError, UnicodeDecodeError, AdvisorError):
        return None  # the loader reports it


def scan_rules(directory: Path) -> list[RawRule]:
    found = []
    for path in sorted(directory.glob("*.yaml")):
        if not is_rule_file(path.name):
            continue
        doc = _document(path)
        items = doc.data.get("rules") if doc is not None and isinstance(doc.data, dict) else None
        for index, item in enumerate(items if isinstance(items, list) else ()):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            source = item.get("source")
            todo = tuple(k for k in ("title", "because") if PLACEHOLDER in str(item.get(k, "")))
            if index == 0 and PLACEHOLDER in str(doc.data.get("title", "")):
                todo = ("the file's title", *todo)
            found.append(RawRule(item["id"], path.name, doc.line("rules", index),
                                 source if isinstance(source, str) else None,
                                 doc.line("rules", index, "source"), todo))
    return found


def guide_units(directory: Path) -> set[str] | None:
    doc = _document(directory / "guide.yaml")
    units = doc.data.get("units") if doc is not None and isinstance(doc.data, dict) else None
    if not isinstance(units, list):
        return None
    return {u["url"] for u in units if isinstance(u, dict) and isinstance(u.get("url"), str)}


def default_guide_text(directory: Path) -> Path | None:
    """The repository's sibling ../shared/dp100-study-guide.md, when there is one."""
    candidate = directory.resolve().parent.parent / GUIDE_TEXT
    return candidate if candidate.is_file() else None


def companion_texts(guide_text: Path) -> list[Path]:
    """The companion sources in the study guide text's folder (dp100-language-models.md)."""
    return [guide_text.parent / name for name in COMPANION_TEXTS if (guide_text.parent / name).is_file()]


def guide_text_urls(path: Path) -> set[str]:
    # Bounded (1 MB; the guide is 60 KB): a 10 GB file was read whole, a MemoryError traceback.
    text = read_text_file(path, "the study guide text (Markdown)")
    return {url.rstrip(".,;:") for url in URL.findall(text)}


def duplicate_ids(raw_rules: list[RawRule]) -> list[LintFinding]:
    by_id: dict[str, list[RawRule]] = {}
    for rule in raw_rules:
        by_id.setdefault(rule.id, []).append(rule)
    findings = []
    for rule_id, copies in by_id.items():
        if len(copies) < 2:
            continue
        places = ", ".join(f"{c.file}:{c.line}" for c in copies)
        findings.append(LintFinding("duplicate-id", f"{rule_id} is defined {len(copies)} times ({places})",
                                    rules=(rule_id,), file=copies[1].file, line=copies[1].line))
    return findings


def unknown_sources(raw_rules: list[RawRule], units: set[str] | None,
                    text_urls: set[str] | None, text_path: Path | None) -> list[LintFinding]:
    findings = []
    for rule in raw_rules:
        if rule.source is None:
            continue
        if units is not None and rule.source not in units:
            message = f"source {rule.source} is not a unit in guide.yaml"
        elif text_urls is not None and rule.source not in text_urls:
            message = f"source {rule.source} does not appear in the study guide text ({text_path})"
        else:
            continue
        findings.append(LintFinding("source-not-in-guide", message, rules=(rule.id,),
                                    file=rule.file, line=rule.source_line or rule.line))
    return findings


def placeholders(raw_rules: list[RawRule]) -> list[LintFinding]:
    """Text `advisor rules new` left to fill in (the loader catches the rest)."""
    return [LintFinding("placeholder", f"{rule.id}: fill in the {PLACEHOLDER} in {', '.join(rule.placeholders)}",
                        rules=(rule.id,), file=rule.file, line=rule.line)
            for rule in raw_rules if rule.placeholders]
