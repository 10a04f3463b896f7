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


def consult_interactively(*, focus: str | None, answers: Path | None, resume: bool, fmt: str,
                          output: Path | None, existing: bool = False, report_only: bool = False,
                          terminal=None, console=None) -> None:
    """Ask the questions that matter in the terminal, then report as for a scenario file.

    `report_only`: render the saved, unfinished consultation without asking anything.
    `terminal` and `console` are for tests (prompt_toolkit pipe input, a recording console).
    """
    from rich.console import Console

    from advisor.engine import get_advisor
    from advisor.interactive import DraftStore, InteractiveConsultation, Interrupted, Prompter
    from advisor.render.console import render_report
    from advisor.report import build_report

    advisor = get_advisor()
    screen = console or Console(stderr=not sys.stdout.isatty())

    def final(consultation, meta) -> None:
        render(build_report(consultation, advisor.knowledge, meta), fmt, output)

    def so_far(consultation, meta) -> None:  # on the prompts' screen, then the questions go on
        render_report(build_report(consultation, advisor.knowledge, meta), screen)

    session = InteractiveConsultation(advisor, prompter=Prompter(terminal), console=screen,
                                      drafts=DraftStore(), preview=so_far)
    if report_only:
        session.report_saved(final)
        return
    try:
        session.run(focus=focus, answers_file=answers, resume=resume, render=final, existing=existing)
    except Interrupted as stop:
        try:
            print(f"\nadvisor: stopped; your {stop.answered} answers are saved in {stop.draft}\n"
                  "Continue where you stopped with: advisor consult --resume", file=sys.stderr)
        except OSError:  # the terminal is gone; the answers are saved all the same
            pass
        raise typer.Exit(130) from None


def register(app: typer.Typer) -> None:
    @app.command()
    def consult(
        scenario: Optional[Path] = typer.Argument(None,
                                                  help="A scenario YAML file. Omit it for an interactive "
                                                       "consultation."),
        format: ReportFormat = typer.Option(ReportFormat.text, "--format", "-f", help="Report format."),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
        focus: Optional[str] = typer.Option(None, "--focus", metavar="AREA",
                                            help="Interactive: ask only about one area (a rules file: "
                                                 "compute, data, deployment, mlops, models, services, "
                                                 "sweep, training, workspace)."),
        answers: Optional[Path] = typer.Option(None, "--answers", metavar="FILE",
                                               help="Interactive: take the facts of this scenario file "
                                                    "as known and ask the rest."),
        resume: bool = typer.Option(False, "--resume",
                                    help="Interactive: continue the consultation stopped earlier."),
        report: bool = typer.Option(False, "--report",
                                    help="With --resume: show the report of the saved answers, ask nothing."),
        existing: bool = typer.Option(False, "--existing",
                                      help="Interactive: there is an existing setup to review "
                                           "(otherwise the first question asks)."),
    ) -> None:
        """Recommend what to use for a scenario, and show which rules led there.

        Without a scenario file, ask in the terminal only the questions that can still change a
        recommendation, then show the same report.
        """
        from advisor.errors import AdvisorError

        if scenario is not None:
            given = [name for name, value in (("--focus", focus), ("--answers", answers), ("--resume", resume),
                                              ("--report", report), ("--existing", existing)) if value]
            if given:
                raise AdvisorError(f"{', '.join(given)} apply to the interactive consultation; "
                                   "leave out the scenario file, or use --answers FILE to pre-fill it")
            render(consult_file(scenario), format.value, output)
            return
        if focus is not None:
            from advisor.knowledge import load_knowledge

            areas = load_knowledge().areas
            if focus not in areas:
                raise AdvisorError(f"unknown area {focus!r} for --focus", allowed=", ".join(areas))
        if report:
            if not resume:
                raise AdvisorError("--report shows the saved, unfinished consultation; use it with --resume")
            consult_interactively(focus=None, answers=None, resume=True, fmt=format.value, output=output,
                                  report_only=True)
            return
        if not sys.stdin.isatty():
            raise AdvisorError("no scenario file given and no terminal to ask questions on; "
                               "run `advisor consult SCENARIO.yaml`, or run it in a terminal")
        consult_interactively(focus=focus, answers=answers, resume=resume, fmt=format.value, output=output,
                              existing=existing)
