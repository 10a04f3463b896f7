"""`advisor consult [SCENARIO]`: recommendations for a situation, with the rules behind each."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


def render(report: dict, fmt: str, output: Path | None) -> None:
    """Write a report in the chosen format to stdout or a file."""
    from advisor.cli.output import rich_text, write_text

    if fmt == "json":
        import json

        write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", output)
    elif fmt == "html":
        from advisor.render.html import render_html

        write_text(render_html(report), output)
    elif fmt == "markdown":
        from advisor.render.markdown import render_markdown

        write_text(render_markdown(report), output)
    else:
        from advisor.render.console import render_report

        if output is None and sys.stdout.isatty():
            from rich.console import Console

            render_report(report, Console())
        else:
            write_text(rich_text(lambda c: render_report(report, c)), output)


def consult_file(path: Path) -> dict:
    from advisor.engine import get_advisor
    from advisor.report import build_report
    from advisor.scenarios import load_scenario

    advisor = get_advisor()
    scenario = load_scenario(path, advisor.knowledge)
    consultation = advisor.consult(scenario.facts)
    meta = {"name": scenario.name, "file": str(path)}
    if scenario.description:
        meta["description"] = scenario.description
    return build_report(consultation, advisor.knowledge, meta)


def register(app: typer.Typer) -> None:
    @app.command()
    def consult(
        scenario: Optional[Path] = typer.Argument(None, help="A scenario YAML file. Omit it for an interactive consultation."),
        format: ReportFormat = typer.Option(ReportFormat.text, "--format", "-f", help="Report format."),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    ) -> None:
        """Recommend what to use for a scenario, and show which rules led there."""
        from advisor.errors import AdvisorError

        if scenario is None:
            if not sys.stdin.isatty():
                raise AdvisorError("no scenario file given and no terminal to ask questions on; "
                                   "run `advisor consult SCENARIO.yaml`, or run it in a terminal")
            raise AdvisorError("interactive consultation needs a terminal session; "
                               "give a scenario file: advisor consult SCENARIO.yaml")
        render(consult_file(scenario), format.value, output)
