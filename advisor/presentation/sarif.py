"""`advisor review` results as SARIF 2.1.0, the format GitHub code scanning uploads.

Every rule that gave a result is described once in the driver (its title, why, the guide's
unit and link as help); each finding is a result with the file, line and a level from the
rule's certainty; suppressed findings are results with a `suppressions` entry (GitHub shows
them as dismissed), so nothing is dropped; unreadable files are tool notifications."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import advisor
from advisor.azureml.collect import ReviewRun
from advisor.azureml.review import ReviewFinding
from advisor.presentation.escape.json import json_document

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"high": "error", "medium": "warning", "low": "note"}
INFORMATION_URI = "https://learn.microsoft.com/en-gb/credentials/certifications/resources/study-guides/dp-100"


def repository_root(start: Path | None = None) -> Path:
    """The repository's root (the nearest folder up holding .git), which GitHub code scanning
    resolves SARIF paths against; the working folder when there is none."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def artifact_uri(path: str, root: Path | None = None) -> str:
    """A relative, percent-encoded URI for a file: relative to the repository root when the
    file is below it, whatever folder the review ran from."""
    candidate = Path(path)
    try:
        candidate = candidate.resolve().relative_to((root or repository_root()).resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        pass
    return quote(candidate.as_posix(), safe="/", errors="surrogateescape")  # a non-UTF-8 name: its bytes


def _rule(finding: ReviewFinding, unit_title: str | None) -> dict[str, Any]:
    unit = f"{unit_title}: {finding.source}" if unit_title else finding.source
    markdown_unit = f"[{unit_title or 'the guide unit'}]({finding.source})"
    return {
        "id": finding.rule_id,
        "name": "".join(part.capitalize() for part in finding.rule_id.replace(".", "-").split("-")),
        "shortDescription": {"text": finding.title or finding.rule_id},
        "fullDescription": {"text": finding.because},
        "help": {"text": f"{finding.because}\nSource: {unit}",
                 "markdown": f"{_md(finding.because)}\n\nSource: {markdown_unit}"},
        "helpUri": finding.source,
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
        "properties": {"tags": ["azure-ml", finding.kind],
                       "precision": "high" if finding.certainty >= 0.9 else "medium"},
    }


def _md(text: str) -> str:
    """Plain text for a Markdown help field: markup characters are escaped."""
    out = []
    for ch in text:
        out.append("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>" else ch)
    return "".join(out)


def _result(finding: ReviewFinding, path: str, index: int, suppression: dict[str, str] | None,
            root: Path) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(path, root), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": finding.line or 1},
        }}],
        "partialFingerprints": {
            "advisorFinding/v1": f"{finding.rule_id}:{artifact_uri(path, root)}:{finding.step or ''}"},
        "properties": {"certainty": round(finding.certainty, 4), "severity": finding.severity},
    }
    if suppression is not None:
        result["suppressions"] = [suppression]
    return result


def render_sarif(run: ReviewRun, unit_titles: dict[str, str] | None = None, root: Path | None = None) -> str:
    unit_titles = unit_titles or {}
    root = root or repository_root()
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []

    def rule_index(finding: ReviewFinding) -> int:
        if finding.rule_id not in index:
            index[finding.rule_id] = len(rules)
            rules.append(_rule(finding, unit_titles.get(finding.source)))
        return index[finding.rule_id]

    for review in run.reviews:
        for finding in review.findings:
            results.append(_result(finding, review.path, rule_index(finding), None, root))
        for item in review.suppressed:
            kind = "external" if item.by == "config" else "inSource"
            results.append(_result(item.finding, review.path, rule_index(item.finding),
                                   {"kind": kind, "justification": item.reason}, root))
    notifications = [{
        "level": "error",
        "message": {"text": problem.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(problem.path, root),
                                                                  "uriBaseId": "%SRCROOT%"}}}],
    } for problem in run.unreadable]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "advisor", "version": advisor.__version__,
                                "informationUri": INFORMATION_URI, "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri().rstrip("/") + "/"}},
            "invocations": [{"executionSuccessful": not run.unreadable,
                             "toolExecutionNotifications": notifications}],
            "results": results,
        }],
    }
    return json_document(log)
