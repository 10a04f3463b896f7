"""`advisor evaluate PATH...`: run a library of scenario files and report which answers changed."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

# A progress bar only pays off when a run takes a noticeable time.
PROGRESS_FROM = 50


class EvaluateFormat(str, Enum):
    table = "table"
    json = "json"
    junit = "junit"
    markdown = "markdown"


def evaluate_with_progress(paths: list[str], jobs: int | None):
    """Collect and run; a transient progress bar on a terminal (stderr), nothing when piped."""
    from advisor.evaluation import collect, run

    collection = collect(paths)
    if not (sys.stderr.isatty() and len(collection.files) >= PROGRESS_FROM):
        return run(collection, jobs)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("evaluating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    progress = Progress(*columns, console=Console(stderr=True), transient=True)
    task = progress.add_task("evaluate", total=len(collection.files))

    def advance(_result) -> None:
        # Started at the first result, after the worker processes are forked: the bar's
        # refresh thread must not exist yet when the process forks.
        if not progress.live.is_started:
            progress.start()
        progress.advance(task)

    try:
        return run(collection, jobs, on_result=advance)
    finally:
        if progress.live.is_started:
            progress.stop()


def check_output_folder(output: Path | None) -> None:
    """Fail before the run, not after it, when the report could not be written."""
    from advisor.errors import AdvisorError

    if output is not None and not (output.parent if str(output.parent) else Path(".")).is_dir():
        raise AdvisorError("the folder for the output file does not exist", where=str(output))


def register(app: typer.Typer) -> None:
    @app.command()
    def evaluate(
        paths: list[str] = typer.Argument(..., metavar="PATH",
                                          help="Scenario files, directories (searched recursively for *.yaml, *.yml) "
                                               "or glob patterns."),
        format: EvaluateFormat = typer.Option(EvaluateFormat.table, "--format", "-f", help="Report format."),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
        jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                           help="Worker processes (default: one per CPU)."),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Table format: list passed scenarios too."),
    ) -> None:
        """Check scenario files against their expectations. Exit 0: all passed, 1: some failed, 2: errors."""
        from advisor.cli.output import write_text

        check_output_folder(output)
        evaluation = evaluate_with_progress(paths, jobs)
        if format is EvaluateFormat.json:
            from advisor.evaluation.render.data import render_json

            write_text(render_json(evaluation), output)
        elif format is EvaluateFormat.junit:
            from advisor.evaluation.render.junit import render_junit

            write_text(render_junit(evaluation), output)
        elif format is EvaluateFormat.markdown:
            from advisor.evaluation.render.markdown import render_markdown

            write_text(render_markdown(evaluation), output)
        else:
            from advisor.evaluation.render.table import render_table

            text = render_table(evaluation, verbose=verbose)
            if output is None and sys.stdout.isatty():
                from rich.console import Console

                Console(highlight=False, soft_wrap=True).print(text, end="")
            else:
                write_text(text.plain, output)
        raise typer.Exit(evaluation.exit_code)
