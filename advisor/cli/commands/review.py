"""`advisor review PATH...`: check existing Azure ML YAML (files, or every YAML file below a
folder) against the rule base, for people and for CI.

Exit status, as conftest's: 0 no findings at or above --severity (and not in the baseline),
1 findings, 2 a usage error or nothing could be reviewed. A file that can't be read is
reported, and the others still reviewed, without masking their findings; --strict makes an
unreadable file exit 2."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

from advisor.cli import framework as cli
from advisor.cli.options import format_option, output_option
from advisor.presentation.formats import Format


class Severity(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"


def register(app: cli.App) -> None:
    @app.command()
    def review(
        paths: Optional[list[Path]] = cli.Argument(None, help="Azure ML YAML files, or folders to review every "
                                                     "YAML file below (jobs, compute, environments, data, "
                                                     "datastores, models, endpoints, deployments, schedules)."),
        fact: list[str] = cli.Option([], "--fact", metavar="FACT=VALUE",
                                       help="Context the files don't hold, e.g. stage=production. Repeatable; "
                                            "wins over the configuration's facts."),
        show_facts: bool = cli.Option(False, "--facts", help="Also list the facts read from each file."),
        format: Optional[Format] = format_option("review", help="text, json, sarif (GitHub code scanning) or "
                                                               "github (workflow annotations)."),
        output: Optional[Path] = output_option("the report"),
        severity: Severity = cli.Option(Severity.low, "--severity",
                                          help="Report, annotate and fail on findings at or above this "
                                               "level only (the check's impact: high = security or outage, "
                                               "medium = cost or correctness risk, low = advice)."),
        verbose: bool = cli.Option(False, "--verbose", "-v", help="Per file, with each finding's why, "
                                                                     "settings, guide link, and notes."),
        strict: bool = cli.Option(False, "--strict", help="Exit 2 when any file could not be read."),
        baseline: Optional[Path] = cli.Option(None, "--baseline", metavar="FILE",
                                                help="Findings FILE holds are accepted (not reported, not "
                                                     "failing); if FILE doesn't exist, write it with the "
                                                     "current findings."),
        list_checks: bool = cli.Option(False, "--list", help="List the checks (id, severity, kinds, title, "
                                                               "guide link) and exit."),
        config: Optional[Path] = cli.Option(None, "--config", metavar="FILE",
                                              help="Configuration file (default: the nearest .advisor.yaml, "
                                                   "or pyproject.toml with [tool.advisor])."),
        no_config: bool = cli.Option(False, "--no-config", help="Ignore configuration files."),
        skip_unknown: bool = cli.Option(False, "--skip-unknown",
                                          help="Skip, and count, named files that aren't Azure ML YAML (a conda "
                                               "file, a workflow) instead of failing on them, as a folder review "
                                               "does; for pre-commit, which passes every changed YAML file."),
    ) -> None:
        """Review Azure ML YAML with the rule base: findings with rule id, reason, guide link and line."""
        from advisor.azureml.collect import run_review
        from advisor.azureml.config import ReviewConfig, configs_for, load_config
        from advisor.cli.assignments import parse_input_fact
        from advisor.cli.options import chosen_format
        from advisor.cli.output import write_text
        from advisor.engine import get_advisor
        from advisor.errors import AdvisorError

        advisor = get_advisor()
        if list_checks:
            from advisor.azureml.checks import catalog
            from advisor.presentation.review import render_checks

            write_text(render_checks(catalog(advisor.knowledge)), output)
            return
        if not paths:
            print("advisor: error: review needs a file or folder (or --list)", file=sys.stderr)
            raise cli.Exit(2)
        try:
            format = chosen_format("review", format, output)
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
            raise cli.Exit(2) from None
        run = run_review(groups[0][1], advisor, groups[0][0], context, skip_unknown)
        for settings, group in groups[1:]:  # paths under another configuration
            more = run_review(group, advisor, settings, context, skip_unknown)
            run.reviews += more.reviews
            run.unreadable += more.unreadable
            run.skipped += more.skipped
            run.texts.update(more.texts)
        from advisor.presentation.review import shown

        for problem in run.unreadable:
            print(f"advisor: error: {shown(problem.message)}", file=sys.stderr)
        run = _apply_baseline(run, baseline, severity.value) if baseline is not None else run.shown(severity.value)
        text = _render(run, format, show_facts, verbose, advisor)
        try:
            write_text(text, output)
        except AdvisorError as exc:
            print(f"advisor: error: {exc.render()}", file=sys.stderr)
            raise cli.Exit(2) from None
        if output is not None and format is Format.text:
            from advisor.presentation.review import review_summary_line

            print(review_summary_line(run), file=sys.stderr)
        if run.unreadable and (strict or not run.reviews):
            raise cli.Exit(2)
        if run.findings:
            raise cli.Exit(1)


def _apply_baseline(run, baseline: Path, level: str):
    """Compare with the baseline FILE, or write it (and stop) when it doesn't exist yet."""
    from advisor.azureml.baseline import baseline_text, read_baseline
    from advisor.cli.output import write_text
    from advisor.errors import AdvisorError
    from advisor.presentation.review import shown

    folder = baseline.parent
    try:
        if not baseline.exists():
            write_text(baseline_text(run.baseline_keys(folder)), baseline)
            print(f"advisor: wrote the baseline {shown(baseline)} ({run.findings} findings)", file=sys.stderr)
            raise cli.Exit(0)
        return run.shown(level, read_baseline(baseline), folder)
    except AdvisorError as exc:
        print(f"advisor: error: {exc.render()}", file=sys.stderr)
        raise cli.Exit(2) from None


def _render(run, format: Format, show_facts: bool, verbose: bool, advisor) -> str:
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

    return render_text(run, show_facts=show_facts, verbose=verbose)
