"""`advisor exam`: a timed DP-100 mock exam in the outline's proportions, scored out of 1000."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

from advisor.cli import framework as cli
from advisor.stopping import stop_begun

INTERRUPTED_EXIT = 130


def run_exam(exam, console, ask: Callable[[Any], str | None]):
    """Ask each question (no feedback until the end), then the report and the review."""
    from advisor.cli.commands.drill import ask_each
    from advisor.presentation.drill import render_exam_result

    def clock_line() -> None:
        minutes, seconds = divmod(int(exam.seconds_left()), 60)
        console.print(f"[dim]Time left: {minutes}m {seconds:02d}s[/]")

    knowledge = exam.session.knowledge
    interrupted = False
    try:  # an answer given after the time is up is not scored, and ends the exam
        interrupted = ask_each(exam.questions(), exam.options.questions, knowledge, console, ask,
                               lambda q, c, s: exam.answer(q, c, s) is not None, before=clock_line)
    except KeyboardInterrupt:
        stop_begun()  # a second Ctrl-C does not cut the answers' commit and the summary short
        interrupted = True
    finally:
        result = exam.finish(interrupted=interrupted)
    render_exam_result(console, result, knowledge)
    return result


def exam_command(*, questions: int = 50, minutes: float = 100, seed: int | None = None, db: Path | None = None,
                 answers: str | None = None, library: Path | None = None, console=None, clock=time.time,
                 prompt_input: Any = None, prompt_output: Any = None) -> int:
    from rich.console import Console

    from advisor.cli.commands.drill import check_inputs, open_store, run_with_answers
    from advisor.drill.exam import ExamOptions, MockExam
    from advisor.drill.session import new_seed
    from advisor.engine import get_advisor
    from advisor.paths import scenarios_dir

    console = console or Console(highlight=False)
    advisor = get_advisor()
    check_inputs(library, answers, prompt_input)
    options = ExamOptions(questions=questions, minutes=minutes, seed=new_seed() if seed is None else seed,
                          library=library or scenarios_dir())
    with open_store(db) as store:
        exam = MockExam(advisor, store, options, clock=clock)
        result = run_with_answers(lambda ask: run_exam(exam, console, ask), advisor, console, answers,
                                  prompt_input, prompt_output)
    return INTERRUPTED_EXIT if result.interrupted and answers is None else 0


def register(app: cli.App) -> None:
    @app.command()
    def exam(
        questions: int = cli.Option(50, "--questions", min=1, max=500, metavar="N",
                                      help="Questions in the exam, 1 to 500."),
        minutes: float = cli.Option(100, "--minutes", min=0.1, max=1000, metavar="MINUTES",
                                      help="Time allowed."),
        seed: Optional[int] = cli.Option(None, "--seed", metavar="SEED", help="Same seed gives the same exam."),
        db: Optional[Path] = cli.Option(None, "--db", metavar="FILE",
                                          help="Progress database (default: advisor's user data folder, or "
                                               "$ADVISOR_DATA_DIR)."),
        answers: Optional[str] = cli.Option(None, "--answers", metavar="FILE",
                                              help="Answer from this file (or - for stdin): one answer per line."),
        library: Optional[Path] = cli.Option(None, "--library", metavar="FOLDER", help="Scenario library folder."),
    ) -> None:
        """A timed DP-100 mock exam: weighted like the real one, scored out of 1000 (700 passes)."""
        code = exam_command(questions=questions, minutes=minutes, seed=seed, db=db, answers=answers,
                            library=library)
        if code:
            raise cli.Exit(code)
