"""`advisor rules lint` results: a table of findings with a summary line, or JSON."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from advisor.knowledge.vocabulary import value_text
from advisor.lint import LintReport
from advisor.presentation.escape.json import json_document
from advisor.presentation.escape.terminal import markup, visible


def render_json(report: LintReport) -> str:
    return json_document(report.as_json())


def render_table(report: LintReport, console: Console) -> None:
    if report.findings:
        table = Table("check", "where", "finding", title=f"{len(report.findings)} findings", show_lines=True)
        for finding in report.findings:
            text = markup(finding.message)
            if finding.witness:
                facts = ", ".join(f"{k} = {value_text(v)}" for k, v in finding.witness.items())
                text += f"\n[dim]e.g. when {markup(facts)}[/]"
            table.add_row(finding.check, markup(finding.location), text)
        console.print(table)
    console.print(markup(summary(report)), soft_wrap=True)


def summary(report: LintReport) -> str:
    checked = f"{report.rule_count} rules in {visible(str(report.rules_dir))}"
    sources = f"; sources checked against {visible(str(report.guide_text))}" if report.guide_text else ""
    if report.status == "clean":
        return f"clean: {checked}, no findings{sources}"
    counts = ", ".join(f"{n} {check}" for check, n in report.counts().items())
    if report.status == "error":
        return f"error: {checked}: {counts}"
    return f"{len(report.findings)} findings in {checked}: {counts}{sources}"
