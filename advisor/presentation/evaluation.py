"""An evaluation run (`advisor evaluate`) as terminal text, JSON, JUnit XML and Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from advisor.evaluation.results import EvaluationRun, Mismatch, ScenarioResult
from advisor.knowledge.vocabulary import plain
from advisor.presentation.escape.json import json_document
from advisor.presentation.escape.terminal import visible

# Markdown's and XML's escapes (and html, which they import) are imported where used: `evaluate
# --format json`, the batch format, compiles none of their patterns.
if TYPE_CHECKING:  # imported where used: `evaluate --format json` needs neither rich (~50 ms) nor XML
    import xml.etree.ElementTree as ET

    from rich.text import Text

STYLES = {"passed": "green", "failed": "red", "error": "bold red"}
LABELS = {"passed": "PASSED", "failed": "FAILED", "error": "ERROR "}
ICONS = {"passed": "✅ passed", "failed": "❌ failed", "error": "⚠️ error"}
SUITE_NAME = "advisor evaluate"


# --- terminal ------------------------------------------------------------------------------

def render_table(run: EvaluationRun, *, verbose: bool = False) -> Text:
    """Rich text; `.plain` is the exact output for pipes and files."""
    from rich.text import Text

    text = Text()
    shown = [r for r in run.results if verbose or r.status != "passed"]
    for result in shown:
        _result(text, result)
    if shown:
        text.append("\n")
    summary = run.summary
    style = "bold red" if summary.errors or summary.failed else "bold green"
    text.append(summary.line(), style=style)
    text.append("\n")
    return text


def _result(text: Text, result: ScenarioResult) -> None:
    text.append(LABELS[result.status], style=STYLES[result.status])
    if result.status == "error":
        text.append(f"  {visible(result.error or '')}\n")
        return
    text.append(f"  {visible(result.file, one_line=True)}")
    text.append(f"  {visible(result.name or '', one_line=True)}\n", style="dim")
    for mismatch in result.mismatches:
        text.append(f"  - {visible(mismatch.summary())}\n")
        if mismatch.rules:
            text.append(f"      from: {', '.join(mismatch.rules)}\n", style="dim")
        for reason in mismatch.reasons:
            text.append(f"      why: {visible(reason)}\n", style="dim")


# --- JSON (the contract of `advisor evaluate --format json`) ---------------------------------

def run_as_json(run: EvaluationRun) -> dict[str, Any]:
    summary = run.summary
    return {
        "summary": {"total": summary.total, "passed": summary.passed, "failed": summary.failed,
                    "errors": summary.errors},
        "results": [result_as_json(r) for r in run.results],
    }


def result_as_json(result: ScenarioResult) -> dict[str, Any]:
    return {
        "file": result.file,
        "name": result.name,
        "status": result.status,
        "checks": result.checks,
        "mismatches": [mismatch_as_json(m) for m in result.mismatches],
        "error": result.error,
    }


def mismatch_as_json(mismatch: Mismatch) -> dict[str, Any]:
    return {
        "check": mismatch.check,
        "subject": mismatch.subject,
        "expected": _value(mismatch.expected),
        "got": _value(mismatch.got),
        "rules": list(mismatch.rules),
        "reasons": list(mismatch.reasons),
    }


def render_json(run: EvaluationRun) -> str:
    return json_document(run_as_json(run))


def _value(value: str | tuple[str, ...] | None) -> str | list[str] | None:
    return plain(value)


# --- JUnit XML: one testcase per scenario ------------------------------------------------------

def render_junit(run: EvaluationRun) -> str:
    import xml.etree.ElementTree as ET

    summary = run.summary
    counts = {"tests": str(summary.total), "failures": str(summary.failed),
              "errors": str(summary.errors), "skipped": "0"}
    suites = ET.Element("testsuites", {"name": SUITE_NAME, **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": SUITE_NAME, **counts})
    for result in run.results:
        _testcase(suite, result)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _testcase(suite: ET.Element, result: ScenarioResult) -> None:
    import xml.etree.ElementTree as ET

    from advisor.presentation.escape.xml import xml_text

    file = xml_text(result.file)
    case = ET.SubElement(suite, "testcase", {"classname": file, "name": xml_text(result.name or result.file),
                                             "file": file})
    if result.status == "failed":
        first = result.mismatches[0].summary()
        more = len(result.mismatches) - 1
        message = first + (f" (and {more} more)" if more else "")
        failure = ET.SubElement(case, "failure", {"message": xml_text(message), "type": "ExpectationMismatch"})
        failure.text = xml_text("\n".join(_details(m) for m in result.mismatches))
    elif result.status == "error":
        error = ET.SubElement(case, "error", {"message": xml_text(result.error), "type": "ScenarioError"})
        error.text = xml_text(result.error)


def _details(mismatch: Mismatch) -> str:
    lines = [mismatch.summary()]
    if mismatch.rules:
        lines.append(f"  from: {', '.join(mismatch.rules)}")
    lines.extend(f"  why: {reason}" for reason in mismatch.reasons)
    return "\n".join(lines)


# --- Markdown for pull-request comments and CI summaries ----------------------------------------

def render_evaluation_markdown(run: EvaluationRun) -> str:
    from advisor.presentation.escape.markdown import md_text

    lines = ["# Scenario evaluation", "", f"**{run.summary.line()}**", ""]
    problems = [r for r in run.results if r.status != "passed"]
    if problems:
        lines += ["| Status | File | Scenario | Details |", "|---|---|---|---|"]
        lines += [_row(r) for r in problems]
        lines.append("")
    passed = [r for r in run.results if r.status == "passed"]
    if passed:
        lines += [f"<details><summary>{len(passed)} passed</summary>", ""]
        lines += [f"- {_code(r.file)} {md_text(r.name or '')}" for r in passed]
        lines += ["", "</details>", ""]
    return "\n".join(lines)


def _row(result: ScenarioResult) -> str:
    from advisor.presentation.escape.markdown import md_text

    if result.status == "error":
        details = md_text(result.error or "")
    else:
        parts = []
        for m in result.mismatches:
            part = md_text(m.summary())
            if m.rules:
                part += f" (from {md_text(', '.join(m.rules))})"
            parts.append(part + "".join(f"<br>&nbsp;&nbsp;why: {md_text(r)}" for r in m.reasons))
        details = "<br>".join(parts)
    return f"| {ICONS[result.status]} | {_code(result.file)} | {md_text(result.name or '')} | {details} |"


def _code(text: str) -> str:
    from advisor.presentation.escape.markdown import md_code

    """A code span inside a table row: pipes must still be escaped there."""
    return md_code(text).replace("|", "\\|")


def draw_table(run: EvaluationRun, console, *, verbose: bool = False) -> None:
    console.print(render_table(run, verbose=verbose), end="", soft_wrap=True)


def render_plain(run: EvaluationRun, *, verbose: bool = False) -> str:
    return render_table(run, verbose=verbose).plain
