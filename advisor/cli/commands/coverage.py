"""`advisor rules coverage PATH...`: which rules a scenario library makes fire, and which never do."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Optional

import typer

from advisor.cli.commands.rules import rules_app


class CoverageFormat(str, Enum):
    table = "table"
    json = "json"


@rules_app.command("coverage")
def coverage(
    paths: list[str] = typer.Argument(..., metavar="PATH", help="Scenario files, directories or glob patterns."),
    min_percent: Optional[float] = typer.Option(None, "--min", min=0, max=100,
                                                help="Exit 1 when fewer than this percent of the rules fire."),
    format: CoverageFormat = typer.Option(CoverageFormat.table, "--format", "-f"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (default: one per CPU)."),
) -> None:
    """Rule coverage of scenarios. Exit 0: ok, 1: below --min, 2: a file could not be evaluated."""
    from advisor.cli.commands.evaluate import evaluate_with_progress
    from advisor.cli.output import write_text
    from advisor.evaluation.coverage import measure
    from advisor.evaluation.render.coverage import render_coverage_json, render_coverage_table
    from advisor.knowledge import load_knowledge

    result = measure(evaluate_with_progress(paths, jobs), load_knowledge())
    if format is CoverageFormat.json:
        write_text(render_coverage_json(result), None)
    else:
        text = render_coverage_table(result)
        if sys.stdout.isatty():
            from rich.console import Console

            Console(highlight=False, soft_wrap=True).print(text, end="")
        else:
            write_text(text.plain, None)
    if result.errors:
        raise typer.Exit(2)
    if min_percent is not None and result.percent < min_percent:
        print(f"advisor: coverage {result.percent:.1f}% is below --min {min_percent:g}%", file=sys.stderr)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """The command lives on the `rules` sub-app; importing this module added it."""
