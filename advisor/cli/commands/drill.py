"""`advisor drill`: DP-100 exam practice on scenario questions, graded by the advisor's rules."""

from __future__ import annotations

import io
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

from advisor.cli import completion
from advisor.cli import framework as cli
from advisor.cli.options import output_option
from advisor.stopping import stop_begun

INTERRUPTED_EXIT = 130


class ScriptedAnswers:
    """Answers read one per line (a choice name or its 1-based number); blank lines are skipped."""

    lists_options = True

    def __init__(self, lines: Iterator[str], where: str, console: Any) -> None:
        self._lines = enumerate(lines, 1)
        self.where = where
        self.console = console

    def __call__(self, question) -> str | None:
        from advisor.drill.questions import resolve_answer
        from advisor.errors import AdvisorError

        for number, line in self._lines:
            if not line.strip():
                continue
            try:
                choice = resolve_answer(line, question)
            except ValueError as exc:
                raise AdvisorError(str(exc), where=self.where, line=number) from None
            self.console.print(f"[dim]answer:[/] {choice}")
            return choice
        return None  # no more answers: the session ends here


class PromptAnswers:
    """Answers chosen with arrow keys (or the option's number) in a select prompt (advisor.interactive.menus)."""

    lists_options = False

    def __init__(self, knowledge, *, input: Any = None, output: Any = None) -> None:
        self.knowledge = knowledge
        self.io = {k: v for k, v in (("input", input), ("output", output)) if v is not None}

    def __call__(self, question) -> str:
        from advisor.drill.questions import MULTIPLE, ORDERING, canonical_answer, complete, resolve_answer
        from advisor.interactive import menus
        from advisor.interactive.prompts import (
            INDICATOR_WIDTH,
            POINTER_WIDTH,
            SHORTCUT_WIDTH,
            fit_label,
            screen_columns,
        )

        # Ctrl-C (or a SIGINT) raises KeyboardInterrupt, which ends the session cleanly.
        if question.kind == ORDERING:
            def valid(text: str) -> bool | str:
                try:
                    return complete(question, resolve_answer(text, question)) or True
                except ValueError as exc:
                    return str(exc)

            text = menus.text("Order (the option numbers, first to last, e.g. 3 1 4 2):", validate=valid, **self.io)
            return resolve_answer(text, question)
        # Long options wrap between words beside the pointer, as the questionnaire's do.
        indent = POINTER_WIDTH + (INDICATOR_WIDTH if question.kind == MULTIPLE else SHORTCUT_WIDTH)
        columns = screen_columns(self.io.get("output"))
        items = [menus.Item(fit_label(question.label(o), columns, indent), o) for o in question.options]
        if question.kind == MULTIPLE:
            needed = len(question.answer_keys)
            picked = menus.checkbox(question.stem, items, validate=lambda v: len(v) == needed or f"choose {needed}",
                                    jk_keys=True, **self.io)
            return canonical_answer(question, picked)
        return menus.select(question.stem, items, jk_keys=True, **self.io)


def ask_each(questions, total: int, knowledge, console, ask, on_answer, before=None) -> bool:
    """Show and ask each question; `on_answer(question, choice, seconds)` returns False to stop.
    True when the answers ran out (an interruption)."""
    from advisor.presentation.drill import render_question

    for number, question in enumerate(questions, 1):
        if before is not None:
            before()
        render_question(console, question, number, total, knowledge, list_options=ask.lists_options)
        started = time.monotonic()
        choice = ask(question)
        if choice is None:
            return True
        if on_answer(question, choice, round(time.monotonic() - started, 3)) is False:
            break
    return False


def run_session(session, console, ask: Callable[[Any], str | None]):
    """Ask, grade, store and show each question; Ctrl-C or running out of answers ends early."""
    from advisor.presentation.drill import render_feedback, render_summary

    knowledge = session.knowledge
    interrupted = False
    try:
        interrupted = ask_each(session.questions(), session.options.count, knowledge, console, ask,
                               lambda q, c, s: render_feedback(console, session.answer(q, c, s), knowledge))
    except KeyboardInterrupt:
        stop_begun()  # a second Ctrl-C does not cut the answers' commit and the summary short
        interrupted = True
    finally:
        summary = session.finish(interrupted=interrupted)
    render_summary(console, summary, knowledge)
    return summary


def open_store(db: Path | None):
    from advisor.drill.store import ProgressStore, default_db_path

    if db is not None:
        return ProgressStore(db)
    return ProgressStore(default_db_path(), create_folder=True)


@contextmanager
def open_answers(answers: str):
    """The lines of an answers file (or of stdin for "-"), and where they come from."""
    from advisor.errors import AdvisorError
    from advisor.yamlio import text_lines

    if answers == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        yield (text_lines(stdin, "<stdin>") if stdin is not None else iter(sys.stdin)), "<stdin>"
        return
    path = Path(answers)
    if path.is_dir():
        raise AdvisorError("is a directory; expected a file of answers", where=answers)
    try:
        # Non-blocking: a FIFO that no program writes would block open() forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise AdvisorError(f"cannot read the answers: {exc.strerror or exc}", where=answers) from None
    with os.fdopen(fd, "rb", buffering=0) as raw:
        first = b""
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            first = raw.read(1)  # None: a writer is there, nothing written yet; b"": no writer
            if first == b"":
                raise AdvisorError("is a FIFO that no program is writing; not waiting for one", where=answers,
                                   allowed="start the writer first, or a file of answers")
        os.set_blocking(fd, True)
        yield text_lines(_Prefixed(first or b"", io.BufferedReader(raw)), answers), answers


class _Prefixed:
    """A binary stream with the byte read to test a FIFO put back in front."""

    def __init__(self, first: bytes, stream) -> None:
        self.first, self.stream = first, stream

    def readline(self, size: int = -1) -> bytes:
        first, self.first = self.first, b""
        if not first or first == b"\n":
            return first or self.stream.readline(size)
        return first + self.stream.readline(size - 1 if size > 0 else size)


def export_command(path: Path, count: int, seed: int | None, library: Path | None) -> int:
    """Write generated questions to .jsonl or .csv (Anki: front, back); no session, no progress."""
    from advisor.cli.output import write_text
    from advisor.drill.export import export_questions
    from advisor.engine import get_advisor
    from advisor.errors import AdvisorError
    from advisor.paths import scenarios_dir
    from advisor.presentation.drill import export_text

    kind = path.suffix.lower().lstrip(".")
    if kind not in ("jsonl", "csv"):
        raise AdvisorError("unknown export format", where=str(path), allowed="a .jsonl or .csv file")
    records = export_questions(get_advisor(), count, 0 if seed is None else seed, library or scenarios_dir())
    write_text(export_text(records, kind), path)
    print(f"{len(records)} questions written to {path}", file=sys.stderr)
    return 0


def show_stats(db: Path | None, console=None, output: Path | None = None) -> None:
    from advisor.cli.output import show
    from advisor.drill.stats import compute_stats, read_questions
    from advisor.drill.store import default_db_path, read_answers
    from advisor.knowledge import load_knowledge
    from advisor.presentation.drill import render_stats

    path = db if db is not None else default_db_path()
    stats, where = compute_stats(read_answers(path), load_knowledge(), read_questions(path)), str(path)
    if console is not None:
        render_stats(console, stats, where)
    else:
        show(lambda c: render_stats(c, stats, where), output)


def drill_command(*, count: int = 10, seed: int | None = None, section: str | None = None,
                  decision: str | None = None, db: Path | None = None, answers: str | None = None,
                  library: Path | None = None, console=None, prompt_input: Any = None,
                  prompt_output: Any = None) -> int:
    """Run one session; returns the exit code. `prompt_input/output` are for driving prompts in tests."""
    if count > 500:
        from advisor.errors import AdvisorError

        raise AdvisorError(f"--count is at most 500 for a session, got {count}")
    from rich.console import Console

    from advisor.drill.session import DrillOptions, DrillSession, check_filters, new_seed
    from advisor.engine import get_advisor
    from advisor.errors import AdvisorError
    from advisor.paths import scenarios_dir

    console = console or Console(highlight=False)
    advisor = get_advisor()
    check_filters(advisor.knowledge, section, decision)
    check_inputs(library, answers, prompt_input)
    options = DrillOptions(count=count, seed=new_seed() if seed is None else seed, section=section,
                           decision=decision, library=library or scenarios_dir())
    with open_store(db) as store:
        session = DrillSession(advisor, store, options)
        summary = run_with_answers(lambda ask: run_session(session, console, ask), advisor, console, answers,
                                   prompt_input, prompt_output)
    return INTERRUPTED_EXIT if summary.interrupted and answers is None else 0


def check_inputs(library: Path | None, answers: str | None, prompt_input: Any) -> None:
    """A library folder that exists, and a terminal or an answers file to answer from."""
    from advisor.errors import AdvisorError

    if library is not None and not library.is_dir():
        raise AdvisorError("the scenario library folder does not exist", where=str(library))
    if answers is None and prompt_input is None and not sys.stdin.isatty():
        raise AdvisorError("no terminal to ask questions on; give answers with --answers FILE "
                           "(or --answers - to read them from standard input)")


def run_with_answers(run: Callable[[Any], Any], advisor, console, answers: str | None, prompt_input: Any,
                     prompt_output: Any):
    """`run(ask)` with answers from the prompts, or from the --answers file (or stdin)."""
    if answers is None:
        return run(PromptAnswers(advisor.knowledge, input=prompt_input, output=prompt_output))
    with open_answers(answers) as (lines, where):
        return run(ScriptedAnswers(lines, where, console))


def register(app: cli.App) -> None:
    @app.command()
    def drill(
        count: int = cli.Option(10, "--count", "-n", min=1, max=5000, metavar="N",
                                  help="Questions in the session (1 to 500), or to --export (up to 5000)."),
        # --seed: within SQLite's integers (the session row stores it)
        seed: Optional[int] = cli.Option(None, "--seed", metavar="SEED", min=-(2**63), max=2**63 - 1,
                                           help="Same seed (and same progress) gives the same session."),
        section: Optional[str] = cli.Option(None, "--section", metavar="SECTION", autocompletion=completion.sections,
                                              help="Only this guide section: design, workspace, experiment, optimize, "
                                                   "manage or deploy."),
        decision: Optional[str] = cli.Option(None, "--decision", metavar="DECISION",
                                               autocompletion=completion.decisions,
                                               help="Only this decision, e.g. sampling."),
        db: Optional[Path] = cli.Option(None, "--db", metavar="FILE",
                                          help="Progress database (default: advisor's user data folder, or "
                                               "$ADVISOR_DATA_DIR)."),
        answers: Optional[str] = cli.Option(None, "--answers", metavar="FILE",
                                              help="Answer from this file (or - for stdin): one choice name or number "
                                                   "per line."),
        library: Optional[Path] = cli.Option(
            None, "--library", metavar="FOLDER",
            help="Scenario library folder (default: the shipped library, or $ADVISOR_SCENARIOS_DIR)."),
        stats: bool = cli.Option(False, "--stats",
                                   help="Show accuracy per section and decision instead of drilling."),
        output: Optional[Path] = output_option("the --stats tables"),
        export: Optional[Path] = cli.Option(None, "--export", metavar="FILE",
                                              help="Write --count generated questions to FILE (.jsonl, or .csv "
                                                   "for Anki) instead of drilling; progress is not touched."),
    ) -> None:
        """Practise for DP-100 on scenario questions; every answer is explained by the rules."""
        if export is not None:
            export_command(export, count, seed, library)
            return
        if stats:
            show_stats(db, output=output)
            return
        if output is not None:
            from advisor.errors import AdvisorError

            raise AdvisorError("--output writes the --stats tables; a drill session is shown in the terminal")
        code = drill_command(count=count, seed=seed, section=section, decision=decision, db=db,
                             answers=answers, library=library)
        if code:
            raise cli.Exit(code)
