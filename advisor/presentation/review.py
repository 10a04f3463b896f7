"""`advisor review` results as text (for a terminal or a log) and as JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from advisor.azureml.collect import ReviewRun
from advisor.knowledge.vocabulary import plain, value_text
from advisor.presentation.escape.json import json_document
from advisor.presentation.escape.terminal import visible


def shown(text: object) -> str:
    """One line of text with every control character, newlines included, written out."""
    return visible(str(text), one_line=True)


def _fact(f: Any) -> str:
    where = f" (line {f.line})" if f.line else f" ({f.origin})"
    if f.path:
        where = f" ({shown(f.path)}" + (f":{f.line})" if f.line else ")")
    return f"{shown(f.name)} = {shown(value_text(f.value))}{where}"


def render_text(run: ReviewRun, *, show_facts: bool = False) -> str:
    lines: list[str] = []
    for review in run.reviews:
        count, hidden = len(review.findings), len(review.suppressed)
        summary = "no findings" if not count else f"{count} finding{'s' if count > 1 else ''}"
        if hidden:
            summary += f", {hidden} suppressed"
        lines.append(f"{shown(review.path)} ({shown(review.title)}): {summary}")
        if show_facts:
            lines.append("  facts: " + (", ".join(_fact(f) for f in review.facts) or "none"))
        for finding in review.findings:
            at = f"{review.path}:{finding.line}" if finding.line else review.path
            lines.append(f"  {shown(at)}: {finding.rule_id} [{finding.kind}, {finding.severity}, "
                         f"certainty {finding.certainty:.2f}]")
            lines.append(f"    {shown(finding.message)}")
            lines.append(f"    why: {shown(finding.because)}")
            if finding.facts:
                lines.append("    from: " + ", ".join(_fact(f) for f in finding.facts))
            lines.append(f"    see: {shown(finding.source)}")
        for item in review.suppressed:
            at = f"line {item.finding.line}" if item.finding.line else "file"
            lines.append(f"  suppressed: {item.finding.rule_id} ({at}) by {item.by}: {shown(item.reason)}")
        for note in review.notes:
            lines.append(f"  note: {shown(note)}")
    for skipped in run.skipped:
        lines.append(f"{shown(skipped.path)}: skipped ({skipped.reason})")
    lines.append(review_summary_line(run))
    return "\n".join(lines) + "\n"


def review_summary_line(run: ReviewRun) -> str:
    files, total = len(run.reviews), run.findings
    text = f"{files} file{'s' if files != 1 else ''} reviewed, {total} finding{'s' if total != 1 else ''}"
    if run.suppressed:
        text += f", {run.suppressed} suppressed"
    if run.skipped:
        text += f", {len(run.skipped)} skipped"
    if run.unreadable:
        text += f", {len(run.unreadable)} unreadable"
    return text + "."


def review_data(run: ReviewRun) -> list[dict[str, Any]]:
    """One object per reviewed file (the shape `--format json` has always had), findings
    with severity and certainty, suppressed findings beside them."""
    files = []
    for review in run.reviews:
        data = plain(asdict(review))
        for finding, raw in zip(review.findings, data["findings"], strict=True):
            raw["severity"] = finding.severity
        for item, raw in zip(review.suppressed, data["suppressed"], strict=True):
            raw["finding"]["severity"] = item.finding.severity
        files.append(data)
    return files


def render_json(run: ReviewRun) -> str:
    """The reviewed files as a JSON list (unreadable and skipped files go to stderr/notes)."""
    return json_document(review_data(run))
