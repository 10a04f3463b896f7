"""The terminal report of an evaluation run: failures and errors in detail, then one summary line."""

from __future__ import annotations

from rich.text import Text

from advisor.evaluation.results import EvaluationRun, ScenarioResult

STYLES = {"passed": "green", "failed": "red", "error": "bold red"}
LABELS = {"passed": "PASSED", "failed": "FAILED", "error": "ERROR "}


def render_table(run: EvaluationRun, *, verbose: bool = False) -> Text:
    """Rich text; `.plain` is the exact output for pipes and files."""
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
        text.append(f"  {result.error}\n")
        return
    text.append(f"  {result.file}")
    text.append(f"  {result.name}\n", style="dim")
    for mismatch in result.mismatches:
        text.append(f"  - {mismatch.summary()}\n")
        if mismatch.rules:
            text.append(f"      from: {', '.join(mismatch.rules)}\n", style="dim")
        for reason in mismatch.reasons:
            text.append(f"      why: {reason}\n", style="dim")
