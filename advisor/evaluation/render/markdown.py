"""Markdown for pull-request comments and CI summaries."""

from __future__ import annotations

from advisor.evaluation.results import EvaluationRun, ScenarioResult

ICONS = {"passed": "✅ passed", "failed": "❌ failed", "error": "⚠️ error"}


def render_markdown(run: EvaluationRun) -> str:
    lines = ["# Scenario evaluation", "", f"**{run.summary.line()}**", ""]
    problems = [r for r in run.results if r.status != "passed"]
    if problems:
        lines += ["| Status | File | Scenario | Details |", "|---|---|---|---|"]
        lines += [_row(r) for r in problems]
        lines.append("")
    passed = [r for r in run.results if r.status == "passed"]
    if passed:
        lines += [f"<details><summary>{len(passed)} passed</summary>", ""]
        lines += [f"- {_code(r.file)} {_cell(r.name or '')}" for r in passed]
        lines += ["", "</details>", ""]
    return "\n".join(lines)


def _row(result: ScenarioResult) -> str:
    if result.status == "error":
        details = _cell(result.error or "")
    else:
        parts = []
        for m in result.mismatches:
            part = _cell(m.summary())
            if m.rules:
                part += f" (from {_cell(', '.join(m.rules))})"
            parts.append(part + "".join(f"<br>&nbsp;&nbsp;why: {_cell(r)}" for r in m.reasons))
        details = "<br>".join(parts)
    return f"| {ICONS[result.status]} | {_code(result.file)} | {_cell(result.name or '')} | {details} |"


def _cell(text: str) -> str:
    """Table-safe: no pipes, no newlines, no HTML from user text."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|").replace("\n", " "))


def _code(text: str) -> str:
    """A code span (entities are not decoded inside one, so only pipes are escaped)."""
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"
