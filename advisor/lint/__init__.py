"""`advisor rules lint`: verify the rule base itself, the way a linter checks code.

`lint_rules(directory)` returns a LintReport; it never prints. See docs/lint.md.
"""

from __future__ import annotations

import re
from pathlib import Path

from advisor.azureml.fixtures import examples_beside
from advisor.errors import KnowledgeError
from advisor.knowledge.base import load_from
from advisor.lint.checks import run_checks
from advisor.lint.findings import CHECKS, LintFinding, LintReport, sort_findings
from advisor.lint.scan import (
    RawRule,
    companion_texts,
    default_guide_text,
    duplicate_ids,
    guide_text_urls,
    guide_units,
    placeholders,
    scan_rules,
    unknown_sources,
)

RULE_WHERE = re.compile(r"^(?P<file>\S+) rule (?P<id>\S+)$")  # how the loader names a rule

__all__ = ["CHECKS", "LintFinding", "LintReport", "lint_rules"]


def lint_rules(directory: Path, guide_text: Path | None = None) -> LintReport:
    """Lint the rule base in `directory`; `guide_text` defaults to ../shared/dp100-study-guide.md.

    A companion dp100-language-models.md beside the guide text adds its URLs."""
    directory = Path(directory)
    raw_rules = scan_rules(directory) if directory.is_dir() else []
    guide_text = guide_text or (default_guide_text(directory) if directory.is_dir() else None)
    text_urls = guide_text_urls(guide_text) if guide_text is not None else None
    if guide_text is not None and text_urls is not None:
        for companion in companion_texts(guide_text):  # domain 4's sources count as guide text
            text_urls |= guide_text_urls(companion)
    findings: list[LintFinding] = [
        *duplicate_ids(raw_rules),
        *unknown_sources(raw_rules, guide_units(directory), text_urls, guide_text),
        *placeholders(raw_rules),
    ]
    try:
        knowledge = load_from(directory)
    except KnowledgeError as exc:
        allowed = f" (allowed: {exc.allowed})" if exc.allowed else ""
        rule = _rule_named_by(exc, raw_rules)
        findings.append(LintFinding(
            "load-error",
            (f"{rule.id}: " if rule else "") + f"{exc.message}{allowed}; the semantic checks were skipped",
            rules=(rule.id,) if rule else (), file=rule.file if rule else exc.where,
            line=exc.line or (rule.line if rule else None)))
        return LintReport(directory, len(raw_rules), False, sort_findings(findings), guide_text)
    where = {r.id: (r.file, r.line) for r in raw_rules}
    findings.extend(run_checks(knowledge, where, examples_beside(directory)))
    return LintReport(directory, len(knowledge.rules), True, sort_findings(findings), guide_text)


def _rule_named_by(exc: KnowledgeError, raw_rules: list[RawRule]) -> RawRule | None:
    """The loader names a rule as "<file> rule <id>": find it, for its line."""
    match = RULE_WHERE.match(exc.where or "")
    if match is None:
        return None
    return next((r for r in raw_rules if r.file == match["file"] and r.id == match["id"]), None)
