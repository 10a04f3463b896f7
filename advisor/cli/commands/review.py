"""`advisor review PATH...`: check existing Azure ML YAML (files, or every YAML file below a
folder) against the rule base, for people and for CI.

Exit status: 0 no findings (at or above --severity), 1 findings, 2 a file could not be read
as Azure ML YAML (the other files are still reviewed and reported)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from advisor.cli.options import format_option, output_option
from advisor.presentation.formats import Format

REVIEW_FORMATS = (Format.text, Format.json, Format.sarif, Format.github)


class Severity(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"


def register(app: typer.Typer) -> None:
    @app.command()
    def review(
        paths: list[Path] = typer.Argument(..., help="Azure ML YAML files, or folders to review every "
                                                     "YAML file below (jobs, compute, environments, data, "
                                                     "datastores, models, endpoints, deployments, schedules)."),
        fact: list[str] = typer.Option([], "--fact", metavar="FACT=VALUE",
                                       help="Context the files don't hold, e.g. stage=production. Repeatable; "
                                            "wins over the configuration's facts."),
        show_facts: bool = typer.Option(False, "--facts", help="Also list the facts read from each file."),
        format: Format = format_option(*REVIEW_FORMATS, help="text, json, sarif (GitHub code scanning) or "
                                                             "github (workflow annotations)."),
        output: Optional[Path] = output_option("the report"),
        severity: Severity = typer.Option(Severity.low, "--severity",
                                          help="Exit 1 only for findings at or above this level "
                                               "(low < medium < high, from the rule's certainty)."),
        config: Optional[Path] = typer.Option(None, "--config", metavar="FILE",
                                              help="Configuration file (default: the nearest .advisor.yaml, "
                                                   "or pyproject.toml with [tool.advisor])."),
        no_config: bool = typer.Option(False, "--no-config", help="Ignore configuration files."),
        skip_unknown: bool = typer.Option(False, "--skip-unknown",
                                          help="Skip, and count, named files that aren't Azure ML YAML (a conda "
                                               "file, a workflow) instead of failing on them, as a folder review "
                                               "does; for pre-commit, which passes every changed YAML file."),
    ) -> None:
        """Review Azure ML YAML with the rule base: findings with rule id, reason, guide link and line."""
        from advisor.azureml.collect import run_review
        from advisor.azureml.config import ReviewConfig, configs_for, load_config
        from advisor.azureml.review import at_or_above
        from advisor.cli.assignments import parse_input_fact
        from advisor.cli.output import write_text
        from advisor.engine import get_advisor
        from advisor.errors import AdvisorError

        advisor = get_advisor()
        try:
            context = dict(parse_input_fact(text, advisor.knowledge.vocabulary, "--fact") for text in fact)
            context = {k: v for k, v in context.items() if v is not None}
            if no_config:
                groups = [(ReviewConfig(), list(paths))]
            elif config is not None:
                groups = [(load_config(config, advisor.knowledge), list(paths))]
            else:  # each path's own, found from it upward
                groups = configs_for(list(paths), advisor.knowledge)
        except AdvisorError as exc:
            print(f"advisor: error: {exc.render()}", file=sys.stderr)
            raise typer.Exit(2) from None
        run = run_review(groups[0][1], advisor, groups[0][0], context, skip_unknown)
        for settings, group in groups[1:]:  # paths under another configuration
            more = run_review(group, advisor, settings, context, skip_unknown)
            run.reviews += more.reviews
            run.unreadable += more.unreadable
            run.skipped += more.skipped
        from advisor.presentation.review import shown

        for problem in run.unreadable:
            print(f"advisor: error: {shown(problem.message)}", file=sys.stderr)
        text = _render(run, format, show_facts, advisor)
        try:
            write_text(text, output)
        except AdvisorError as exc:
            print(f"advisor: error: {exc.render()}", file=sys.stderr)
            raise typer.Exit(2) from None
        if output is not None and format is Format.text:
            from advisor.presentation.review import review_summary_line

            print(review_summary_line(run), file=sys.stderr)
        if run.unreadable:
            raise typer.Exit(2)
        if any(at_or_above(r.findings, severity.value) for r in run.reviews):
            raise typer.Exit(1)


def _render(run, format: Format, show_facts: bool, advisor) -> str:
    if format is Format.json:
        from advisor.presentation.review import render_json

        return render_json(run)
    if format is Format.sarif:
        from advisor.presentation.sarif import render_sarif

        guide = advisor.knowledge.guide
        titles = {}
        for review in run.reviews:
            for finding in (*review.findings, *(s.finding for s in review.suppressed)):
                unit = guide.unit(finding.source)
                if unit is not None:
                    titles[finding.source] = unit.title
        return render_sarif(run, titles)
    if format is Format.github:
        from advisor.presentation.github import render_github

        return render_github(run)
    from advisor.presentation.review import render_text

    return render_text(run, show_facts=show_facts)
