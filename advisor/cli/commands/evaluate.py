"""`advisor evaluate PATH...`: run a library of scenario files and report which answers changed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from advisor.cli import framework as cli
from advisor.cli.options import format_option, output_option
from advisor.presentation.formats import Format

# A progress bar only pays off when a run takes a noticeable time.
PROGRESS_FROM = 50




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


def register(app: cli.App) -> None:
    @app.command()
    def evaluate(
        paths: list[str] = cli.Argument(..., metavar="PATH",
                                          help="Scenario files, directories (searched recursively for *.yaml, *.yml) "
                                               "or glob patterns."),
        format: Optional[Format] = format_option("evaluate", help="Report format (table is another name for text)."),
        output: Optional[Path] = output_option("the report"),
        jobs: Optional[int] = cli.Option(None, "--jobs", "-j", min=1, metavar="N",
                                           help="Worker processes (default: one per CPU)."),
        verbose: bool = cli.Option(False, "--verbose", "-v", help="Text format: list passed scenarios too."),
    ) -> None:
        """Check scenario files against their expectations. Exit 0: all passed, 1: some failed, 2: errors."""
        from advisor.cli.options import chosen_format
        from advisor.cli.output import emit
        from advisor.files import check_writable_destination

        fmt = chosen_format("evaluate", format, output)
        if output is not None:
            check_writable_destination(output)
        evaluation = evaluate_with_progress(paths, jobs)
        emit(evaluation, fmt, output, **({"verbose": verbose} if fmt is Format.text else {}))
        raise cli.Exit(evaluation.exit_code)
