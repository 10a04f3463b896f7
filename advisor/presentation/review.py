"""`advisor review` results as text (for a terminal or a log) and as JSON."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import Any

from advisor.azureml.checks import SEVERITIES
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


def render_text(run: ReviewRun, *, show_facts: bool = False, verbose: bool = False) -> str:
    """Quiet by default, like ruff: one line per finding (`path:line: severity rule-id message`),
    each hint once for all its files, and the summary. `verbose` adds, per file, the why, the
    settings behind each finding, the guide's link, suppressions and notes."""
    if verbose or show_facts:
        lines = _verbose_lines(run, show_facts)
    else:
        lines = []
        for review in run.reviews:
            for finding in review.findings:
                at = f"{review.path}:{finding.line}" if finding.line else review.path
                lines.append(f"{shown(at)}: {finding.severity} {finding.rule_id} {shown(finding.message)}")
    lines.extend(hint_lines(run))
    lines.append(review_summary_line(run))
    return "\n".join(lines) + "\n"


def hint_lines(run: ReviewRun) -> list[str]:
    """Each hint rule once: how many files, which ones (the first three), and what to give."""
    by_rule: dict[str, list[tuple[str, Any]]] = {}
    for review in run.reviews:
        for hint in review.hints:
            by_rule.setdefault(hint.rule_id, []).append((review.path, hint))
    lines = []
    for rule_id, found in sorted(by_rule.items()):
        _, first = found[0]
        names = ", ".join(shown(p) for p, _ in found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
        lines.append(f"hint: {len(found)} file{'s' if len(found) != 1 else ''} ({names}): {rule_id} "
                     f"{shown(first.title)}; give --fact stage=production or stage=experimentation to sharpen")
    return lines


def _verbose_lines(run: ReviewRun, show_facts: bool) -> list[str]:
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
        lines.append(f"{shown(skipped.path)}: skipped ({shown(skipped.reason)})")
    return lines


def review_summary_line(run: ReviewRun) -> str:
    files, total = len(run.reviews), run.findings
    text = f"{files} file{'s' if files != 1 else ''} reviewed, {total} finding{'s' if total != 1 else ''}"
    if total:
        counts = Counter(f.severity for r in run.reviews for f in r.findings)
        text += " (" + ", ".join(f"{counts[level]} {level}" for level in reversed(SEVERITIES) if counts[level]) + ")"
    for count, label in ((run.hints, "hint"), (run.suppressed, "suppressed"),
                         (run.in_baseline, "in the baseline"), (run.below_severity, "below --severity")):
        if count:
            text += f", {count} {label}{'s' if label == 'hint' and count != 1 else ''}"
    templates = sum(1 for s in run.skipped if s.why == "template")
    if templates:
        text += f", {templates} template{'s' if templates != 1 else ''} noted"
    if len(run.skipped) - templates:
        text += f", {len(run.skipped) - templates} skipped"
    if run.unreadable:
        text += f", {len(run.unreadable)} unreadable"
    return text + "."


def _finding_data(finding: Any, path: str) -> dict[str, Any]:
    data = plain(asdict(finding))
    return {"path": path, **data, "severity": finding.severity}


def review_data(run: ReviewRun) -> dict[str, Any]:
    """The whole run as one object: each file (kind, facts, notes), every finding with its
    file, the hints, suppressed findings, skipped and unreadable files, and a summary."""
    import advisor

    files = []
    for review in run.reviews:
        data = plain(asdict(review))
        data["findings"] = [_finding_data(f, review.path) for f in review.findings]
        data["hints"] = [_finding_data(f, review.path) for f in review.hints]
        for item, raw in zip(review.suppressed, data["suppressed"], strict=True):
            raw["finding"]["severity"] = item.finding.severity
        files.append(data)
    counts = Counter(f.severity for r in run.reviews for f in r.findings)
    return {
        "version": advisor.__version__,
        "files": files,
        "findings": [f for data in files for f in data["findings"]],
        "hints": [f for data in files for f in data["hints"]],
        "skipped": [{"path": s.path, "reason": s.reason, "why": s.why} for s in run.skipped],
        "errors": [{"path": u.path, "message": u.message} for u in run.unreadable],
        "summary": {"files_reviewed": len(run.reviews), "findings": run.findings,
                    "by_severity": {level: counts[level] for level in SEVERITIES}, "hints": run.hints,
                    "suppressed": run.suppressed, "in_baseline": run.in_baseline,
                    "below_severity": run.below_severity,
                    "templates": sum(1 for s in run.skipped if s.why == "template"),
                    "skipped": sum(1 for s in run.skipped if s.why != "template"),
                    "errors": len(run.unreadable), "line": review_summary_line(run)},
    }


def render_json(run: ReviewRun) -> str:
    return json_document(review_data(run))


def render_checks(rows: list[dict[str, Any]]) -> str:
    """`advisor review --list`: id, severity, kinds, title and guide link of every check."""
    lines = []
    for row in rows:
        kinds = ",".join(row["kinds"]) or "-"
        hint = " (hint)" if row["hint"] else ""
        lines.append(f"{row['id']}  {row['severity']}{hint}  {kinds}  {shown(row['title'])}  {row['source']}")
    lines.append(f"{len(rows)} checks (severity is impact: high = security or outage, medium = cost or "
                 "correctness risk, low = advice)")
    return "\n".join(lines) + "\n"
