"""`advisor consult [SCENARIO]`: recommendations for a situation, with the rules behind each."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from advisor.cli import completion
from advisor.cli import framework as cli
from advisor.cli.options import format_option, output_option
from advisor.presentation.formats import Format

STDIN = "<stdin>"


def render(report, fmt: Format | str, output: Path | None, *, summary: bool = False, full: bool = False) -> None:
    """Write a report in the chosen format to stdout or a file."""
    from advisor.cli.output import emit

    emit(report, Format(fmt), output, kind="report", summary=summary, full=full)


def consult_file(path: Path):
    """The report of a scenario file (`-` reads the scenario from standard input)."""
    from advisor.engine import get_advisor
    from advisor.presentation.consultation.data import build_report
    from advisor.scenarios import load_scenario, parse_scenario
    from advisor.scenarios.library import resolve_scenario

    advisor = get_advisor()
    if str(path) == "-":
        scenario = parse_scenario(read_stdin(), STDIN, advisor.knowledge, default_name="Scenario from standard input")
    else:
        path = resolve_scenario(path)
        scenario = load_scenario(path, advisor.knowledge)
    consultation = advisor.consult(scenario.facts)
    meta = {"name": scenario.name, "file": STDIN if str(path) == "-" else str(path)}
    if scenario.description:
        meta["description"] = scenario.description
    return build_report(consultation, advisor.knowledge, meta)


def read_stdin() -> str:
    """A scenario piped in: UTF-8, at most the size allowed for a scenario file."""
    from advisor.errors import ScenarioError
    from advisor.yamlio import MAX_FILE_BYTES

    if sys.stdin is None or sys.stdin.isatty():
        raise ScenarioError("`-` reads a scenario from standard input, but it is a terminal; "
                            "pipe a file in, e.g. advisor consult - < scenario.yaml", where=STDIN)
    stream = getattr(sys.stdin, "buffer", None)
    raw = stream.read(MAX_FILE_BYTES + 1) if stream is not None else sys.stdin.read(MAX_FILE_BYTES + 1)
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(f"input is over the {MAX_FILE_BYTES}-byte limit", where=STDIN)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"not UTF-8 text (byte {exc.start} is invalid)", where=STDIN) from None


def consult_interactively(*, focus: str | None, answers: Path | None, resume: bool, fmt: str,
                          output: Path | None, existing: bool = False, report_only: bool = False,
                          terminal=None, console=None, summary: bool = False, full: bool = False) -> None:
    """Ask the questions that matter in the terminal, then report as for a scenario file.

    `report_only`: render the saved, unfinished consultation without asking anything.
    `terminal` and `console` are for tests (prompt_toolkit pipe input, a recording console).
    """
    from rich.console import Console

    from advisor.engine import get_advisor
    from advisor.interactive import DraftStore, InteractiveConsultation, Interrupted, Prompter
    from advisor.presentation.consultation.data import build_report
    from advisor.presentation.consultation.text import render_summary

    advisor = get_advisor()
    screen = console or Console(stderr=not sys.stdout.isatty())

    def final(consultation, meta) -> None:
        render(build_report(consultation, advisor.knowledge, meta), fmt, output, summary=summary, full=full)

    def so_far(consultation, meta) -> None:  # on the prompts' screen; then the questions go on
        render_summary(build_report(consultation, advisor.knowledge, meta), screen)

    session = InteractiveConsultation(advisor, prompter=Prompter(terminal), console=screen,
                                      drafts=DraftStore(), preview=so_far)
    if report_only:
        session.report_saved(final)
        return
    try:
        session.run(focus=focus, answers_file=answers, resume=resume, render=final, existing=existing)
    except Interrupted as stop:
        try:
            from advisor.presentation.words import count

            print(f"\nadvisor: stopped; {count(stop.answered, 'answer')} saved in {stop.draft}\n"
                  "Continue where you stopped with: advisor consult --resume", file=sys.stderr)
        except OSError:  # the terminal is gone; the answers are saved all the same
            pass
        raise cli.Exit(130) from None


def register(app: cli.App) -> None:
    @app.command()
    def consult(
        scenario: Optional[Path] = cli.Argument(None, metavar="SCENARIO",
                                                  help="A scenario YAML file, a shipped scenario's name (advisor "
                                                       "scenarios lists them), or - to read one from standard "
                                                       "input. Omit it for an interactive consultation."),
        format: Optional[Format] = format_option("consult", help="Report format; svg and mermaid write the "
                                                                  "architecture diagram alone."),
        output: Optional[Path] = output_option("the report"),
        focus: Optional[str] = cli.Option(None, "--focus", metavar="AREA", autocompletion=completion.areas,
                                            help="Interactive: ask only about one area (a rules file: "
                                                 + ", ".join(completion.area_names()) + ")."),
        answers: Optional[Path] = cli.Option(None, "--answers", metavar="FILE",
                                               help="Interactive: take the facts of this scenario file "
                                                    "as known and ask the rest."),
        resume: bool = cli.Option(False, "--resume",
                                    help="Interactive: continue the consultation stopped earlier."),
        report: bool = cli.Option(False, "--report",
                                    help="With --resume: show the report of the saved answers, ask nothing."),
        existing: bool = cli.Option(False, "--existing",
                                      help="Interactive: there is an existing setup to review "
                                           "(otherwise the first question asks)."),
        summary: bool = cli.Option(False, "--summary",
                                     help="Only the recommended architecture, the warnings and the open "
                                          "decisions that matter."),
        full: bool = cli.Option(False, "--full",
                                  help="Text: every derivation tree, the architecture's components, the facts "
                                       "given and every open decision."),
    ) -> None:
        """Recommend what to use for a scenario, and show which rules led there.

        Without a scenario file, ask in the terminal only the questions that can still change a
        recommendation, then show the same report.
        """
        from advisor.cli.options import chosen_format
        from advisor.errors import AdvisorError

        format = chosen_format("consult", format, output)
        if scenario is not None:
            given = [name for name, value in (("--focus", focus), ("--answers", answers), ("--resume", resume),
                                              ("--report", report), ("--existing", existing)) if value]
            if given:
                raise AdvisorError(f"{', '.join(given)} apply to the interactive consultation; "
                                   "leave out the scenario file, or use --answers FILE to pre-fill it")
            render(consult_file(scenario), format, output, summary=summary, full=full)
            return
        if focus is not None:
            from advisor.knowledge import load_knowledge

            areas = load_knowledge().areas
            if focus not in areas:
                raise AdvisorError(f"unknown area {focus!r} for --focus", allowed=", ".join(areas))
        if report:
            if not resume:
                raise AdvisorError("--report shows the saved, unfinished consultation; use it with --resume")
            consult_interactively(focus=None, answers=None, resume=True, fmt=format, output=output,
                                  report_only=True, summary=summary, full=full)
            return
        if not sys.stdin.isatty():
            raise AdvisorError("no scenario file given and no terminal to ask questions on; "
                               "run `advisor consult SCENARIO.yaml`, or run it in a terminal")
        consult_interactively(focus=focus, answers=answers, resume=resume, fmt=format, output=output,
                              existing=existing, summary=summary, full=full)
