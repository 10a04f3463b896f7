"""`advisor rules lint`: check the rule base itself (exit 0 clean, 1 findings, 2 error)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from advisor.cli.commands.rules import rules_app
from advisor.knowledge.vocabulary import value_text


class LintFormat(str, Enum):
    table = "table"
    json = "json"


@rules_app.command("lint")
def lint(
    rules_dir: Optional[Path] = typer.Option(
        None, "--rules-dir", help="The rules folder to check (default: the one the advisor uses)."),
    format: LintFormat = typer.Option(LintFormat.table, "--format", "-f"),
    guide_text: Optional[Path] = typer.Option(
        None, "--guide-text",
        help="The study guide text to check sources against (default: ../shared/dp100-study-guide.md "
             "next to the repository, when it exists)."),
) -> None:
    """Find never-true rules, conflicts, shadowed rules, unreachable choices and bad sources."""
    from advisor.errors import AdvisorError
    from advisor.lint import lint_rules
    from advisor.paths import rules_dir as default_rules_dir

    if guide_text is not None and not guide_text.is_file():
        raise AdvisorError("no such file", where=str(guide_text))
    report = lint_rules(rules_dir or default_rules_dir(), guide_text)
    if format is LintFormat.json:
        import json

        from advisor.cli.output import write_text

        write_text(json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n", None)
    else:
        _print_table(report)
    raise typer.Exit(report.exit_code)


def _print_table(report) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from advisor.cli.output import rich_text, write_text

    def render(console: Console) -> None:
        if report.findings:
            table = Table("check", "where", "finding", title=f"{len(report.findings)} findings",
                          show_lines=True)
            for finding in report.findings:
                text = escape(finding.message)
                if finding.witness:
                    facts = ", ".join(f"{k} = {value_text(v)}" for k, v in finding.witness.items())
                    text += f"\n[dim]e.g. when {escape(facts)}[/]"
                table.add_row(finding.check, escape(finding.location), text)
            console.print(table)
        console.print(escape(_summary(report)), soft_wrap=True)

    if sys.stdout.isatty():
        render(Console())
    else:
        write_text(rich_text(render, width=120), None)


def _summary(report) -> str:
    checked = f"{report.rule_count} rules in {report.rules_dir}"
    sources = f"; sources checked against {report.guide_text}" if report.guide_text else ""
    if report.status == "clean":
        return f"clean: {checked}, no findings{sources}"
    counts = ", ".join(f"{n} {check}" for check, n in report.counts().items())
    if report.status == "error":
        return f"error: {checked}: {counts}"
    return f"{len(report.findings)} findings in {checked}: {counts}{sources}"




def register(app: typer.Typer) -> None:
    """`lint` joins the `rules` sub-app when this module is imported; nothing else to add."""
