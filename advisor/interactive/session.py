"""One interactive consultation from start to end: answers in, report out, scenario saved.

The feature layer returns consultations; the command line turns them into reports through
the callables it passes in (`render` for the final report, `preview` for the report so far),
so nothing here imports the presentation or CLI layers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from advisor.engine.advisor import Advisor
from advisor.engine.results import Consultation
from advisor.errors import AdvisorError
from advisor.interactive.answers import Answers, scenario_yaml
from advisor.interactive.drafts import DraftStore
from advisor.interactive.interview import STOPS, Interrupted, Interview, hangup_as_interrupt, stops
from advisor.interactive.planner import Planner, QuestionPlan
from advisor.interactive.prompts import Prompt, Prompter

REPORT_NAME = "Interactive consultation"
Render = Callable[[Consultation, dict[str, Any]], None]


def _prefill(path: Path, advisor: Advisor) -> dict[str, Any]:
    """Facts of a scenario file, with its `fact: null` entries kept as "don't know"."""
    from advisor.scenarios import load_scenario
    from advisor.yamlio import parse_yaml

    scenario = load_scenario(path, advisor.knowledge)
    raw = parse_yaml(path.read_text(encoding="utf-8"), str(path)).data
    unknown = {name: None for name, value in raw["facts"].items() if value is None}
    return {**unknown, **scenario.facts}


def suggested_file(focus: str | None, directory: Path) -> str:
    stem = f"consultation-{focus}" if focus else "consultation"
    candidate, n = f"{stem}.yaml", 2
    while (directory / candidate).exists():
        candidate, n = f"{stem}-{n}.yaml", n + 1
    return candidate


def check_save_path(text: str) -> bool | str:
    if not text.strip():
        return "type a file name, e.g. consultation.yaml"
    path = Path(text.strip()).expanduser()
    if path.is_dir():
        return "that is a folder; type a file name"
    if path.exists():
        return "that file already exists; choose another name"
    if not (path.parent if str(path.parent) else Path(".")).is_dir():
        return "that folder does not exist"
    return True


class InteractiveConsultation:
    def __init__(self, advisor: Advisor, *, prompter: Prompter, console: Console,
                 drafts: DraftStore, preview: Render | None = None) -> None:
        self.advisor = advisor
        self.knowledge = advisor.knowledge
        self.prompter = prompter
        self.console = console
        self.drafts = drafts
        self.preview = preview

    # --- where the answers start from ----------------------------------------

    def starting_answers(self, *, focus: str | None, answers_file: Path | None, resume: bool,
                         existing: bool = False) -> Answers:
        if focus is not None and focus not in self.knowledge.areas:
            raise AdvisorError(f"unknown area {focus!r} for --focus", allowed=", ".join(self.knowledge.areas))
        if resume:
            if answers_file is not None:
                raise AdvisorError("--resume continues the saved answers; it can't be combined with --answers")
            answers = self.drafts.load(self.knowledge)
        elif self.drafts.exists() and (saved := self._saved_to_continue()) is not None:
            answers = saved
        else:
            answers = Answers(focus=focus)
            if answers_file is not None:
                answers.values.update(_prefill(answers_file, self.advisor))
                answers.prefilled_from = str(answers_file)
                answers.restore_mode(None, self.knowledge)
        answers.focus = focus or answers.focus
        if existing:
            answers.existing = True
        return answers

    def _saved_to_continue(self) -> Answers | None:
        """The draft's answers if the user continues them; None to start afresh."""
        try:
            saved = self.drafts.load(self.knowledge)
        except AdvisorError as exc:  # e.g. the vocabulary changed since: keep the file, start afresh
            kept = self.drafts.set_aside()
            self.console.print(f"[yellow]The unfinished consultation can't be continued ({escape(exc.message)}); "
                               f"it is kept as {escape(str(kept))}.[/]")
            return None
        if not saved.values:
            return None
        message = (f"An unfinished consultation ({len(saved.values)} answers) is saved. Continue it?")
        prompt = Prompt("resume", message, "select",
                        (("Continue it", True), ("Start a new one (the saved answers are discarded)", False)))
        try:
            with hangup_as_interrupt():
                continues = bool(self.prompter.select(prompt))
        except STOPS as exc:
            if not stops(exc):
                raise
            raise Interrupted(self.drafts.path, len(saved.values)) from None
        return saved if continues else None

    # --- the consultation ----------------------------------------------------

    def report_meta(self, answers: Answers, *, so_far: bool = False) -> dict[str, Any]:
        meta: dict[str, Any] = {"name": REPORT_NAME + (" (so far)" if so_far else ""), "interactive": True}
        if answers.focus:
            meta["focus"] = answers.focus
        if answers.prefilled_from:
            meta["answers"] = answers.prefilled_from
        return meta

    def interview(self, answers: Answers) -> Interview:
        from advisor.interactive.display import show_intro

        resumed = len(answers.asked) + len(answers.in_topics)  # the goal ticked in the checklist was given too
        prefilled = len(answers.values) - resumed
        show_intro(self.console, answers.focus, self.knowledge, prefilled, resumed)
        preview = self.preview

        def show_so_far(plan: QuestionPlan) -> None:
            if preview is not None:
                preview(plan.consultation, self.report_meta(answers, so_far=True))

        return Interview(self.advisor, answers, self.prompter, self.console, self.drafts, show_so_far)

    def run(self, *, focus: str | None, answers_file: Path | None, resume: bool,
            render: Render, existing: bool = False) -> Answers:
        """Ask, render the full report, offer to save a scenario; raise Interrupted if stopped.

        Stopped after an area, the report covers the answers so far and the draft is kept,
        so `advisor consult --resume` goes on with the questions left.
        """
        answers = self.starting_answers(focus=focus, answers_file=answers_file, resume=resume,
                                        existing=existing)
        interview = self.interview(answers)
        plan = interview.run()
        try:  # until the draft is cleared, a stop keeps it and says how to resume
            with hangup_as_interrupt():
                render(plan.consultation, self.report_meta(answers))
                self.offer_save(answers)
                if interview.stopped_early:
                    self.show_left_open(plan)
                    self.show_skipped(answers, plan)
                    self.console.print("[dim]Your answers stay saved; go on with: advisor consult --resume[/]")
        except STOPS as exc:
            if not stops(exc):
                raise
            raise Interrupted(self.drafts.path, len(answers.values)) from None
        if not interview.stopped_early:
            self.drafts.clear()
        return answers

    def show_left_open(self, plan: QuestionPlan) -> None:
        """Stopped with questions left: the report lists the undecided decisions as open; say which
        recommendations a later answer could still change, which the report cannot show."""
        if plan.next is None:
            return
        changeable = plan.still_open().could_change
        if changeable:
            titles = "; ".join(self.knowledge.vocabulary.decision(d).title for d in changeable)  # type: ignore[union-attr]
            self.console.print(f"[yellow]Stopped with questions left: a later answer could still change "
                               f"{len(changeable)} of these recommendations: {escape(titles)}[/]")

    def show_skipped(self, answers: Answers, plan: QuestionPlan) -> None:
        """Stopped where only skipped topics (or questions a survey left unticked) were left: name them;
        their decisions are the report's open ones."""
        if not plan.only_skipped:
            return
        titles = "; ".join(self.knowledge.areas[t].partition(" - ")[0] for t in answers.skipped_topics())
        unticked = set(answers.unknown_facts()) & {q.fact.name for q in plan.questions}
        parts = [f"the questions on the topics you skipped ({escape(titles)})"] if titles else []
        if unticked:
            parts.append(f"{len(unticked)} question{'s' if len(unticked) != 1 else ''} you could not answer yet")
        self.console.print(f"[yellow]Not asked: {' and '.join(parts)}; "
                           f"the decisions they could settle are listed open in the report.[/]")

    def report_saved(self, render: Render) -> Answers:
        """The report of the saved, unfinished consultation, without asking anything."""
        answers = self.drafts.load(self.knowledge)
        planner = Planner(self.advisor, answers.focus, existing=bool(answers.existing))
        plan = planner.plan(answers.values, answers.skipped_topics(), answers.unknown_facts())
        meta = self.report_meta(answers, so_far=plan.next is not None)
        render(plan.consultation, meta)
        return answers

    def offer_save(self, answers: Answers, directory: Path | None = None) -> Path | None:
        from advisor.files import write_text_file

        prompt = Prompt("save", "Save your answers as a scenario file (advisor consult FILE gives this report)?",
                        "select", (("Yes", True), ("No", False)))
        if not self.prompter.select(prompt):
            return None
        default = suggested_file(answers.focus, directory or Path("."))
        text = self.prompter.text("save_path", "Save the scenario as:", default, check_save_path)
        path = Path(text.strip()).expanduser()
        scope = f" ({answers.focus})" if answers.focus else ""
        title = self.prompter.text("save_title", "A title for it (the report's heading):", REPORT_NAME + scope,
                                   lambda typed: bool(typed.strip()) or "type a title, e.g. Nightly churn scoring")
        description = f"Answers given in an interactive consultation{scope} on {date.today().isoformat()}."
        write_text_file(path, scenario_yaml(answers, self.knowledge, " ".join(title.split()), description))
        self.console.print(f"Saved [bold]{escape(str(path))}[/]. Reproduce this report with: "
                           f"advisor consult {escape(str(path))}")
        return path
