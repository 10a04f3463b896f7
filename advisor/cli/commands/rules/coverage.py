"""`advisor rules coverage PATH...`: which rules a scenario library makes fire, and which never do;
`advisor rules coverage --units`: which content units of the study guide no rule cites."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from advisor.cli import framework as cli
from advisor.cli.options import format_option, output_option
from advisor.presentation.formats import Format


def register(rules_app: cli.App) -> None:
    @rules_app.command("coverage")
    def coverage(
        paths: Optional[list[str]] = cli.Argument(None, metavar="PATH",
                                                    help="Scenario files, directories or glob patterns."),
        units: bool = cli.Option(False, "--units",
                                   help="Instead: the study guide's content units no rule cites (exit 1 if any)."),
        min_percent: Optional[float] = cli.Option(None, "--min", min=0, max=100, metavar="PERCENT",
                                                    help="Exit 1 when fewer than this percent of the rules fire."),
        format: Optional[Format] = format_option("rules coverage"),
        output: Optional[Path] = output_option("the coverage report"),
        jobs: Optional[int] = cli.Option(None, "--jobs", "-j", min=1, metavar="N",
                                           help="Worker processes (default: one per CPU)."),
    ) -> None:
        """Rule coverage of scenarios. Exit 0: ok, 1: below --min, 2: a file could not be evaluated."""
        from advisor.cli.commands.evaluate import evaluate_with_progress
        from advisor.cli.options import chosen_format
        from advisor.cli.output import emit
        from advisor.evaluation.coverage import measure
        from advisor.files import check_writable_destination
        from advisor.knowledge import load_knowledge

        format = chosen_format("rules coverage", format, output)
        if output is not None:
            check_writable_destination(output)
        if units:
            _unit_coverage(format, output)
            return
        if not paths:
            from advisor.errors import AdvisorError

            raise AdvisorError("give scenario files or folders (PATH...), or --units for the study guide's units")
        result = measure(evaluate_with_progress(paths, jobs), load_knowledge())
        emit(result, format, output)
        if result.errors:
            raise cli.Exit(2)
        if min_percent is not None and result.percent < min_percent:
            print(f"advisor: coverage {result.percent:.1f}% is below --min {min_percent:g}%", file=sys.stderr)
            raise cli.Exit(1)


def _unit_coverage(format: Format, output: Optional[Path]) -> None:

    from advisor.cli.output import write_text
    from advisor.knowledge import load_knowledge
    from advisor.knowledge.citations import unit_coverage

    result = unit_coverage(load_knowledge())
    if format is Format.json:
        from advisor.presentation.escape.json import json_document

        write_text(json_document(result.as_json()), output)
    else:
        lines = [f"{u.section}: {u.title}  {u.url}" for u in result.uncited]
        lines.append(f"{result.cited_count} of {len(result.units)} content units of the study guide are cited "
                     f"by a rule" + (f"; {len(result.uncited)} are not (listed above)" if result.uncited else ""))
        write_text("\n".join(lines) + "\n", output)
    if result.uncited:
        raise cli.Exit(1)
