"""The question loop: plan, ask, record, save the draft, and again until nothing is left.

The consultation opens by asking whether there is an existing setup to review (unless
`--existing` or the answers file says so); a design consultation never asks about one.
Each guide section is an area with its heading; when an area has nothing left to ask, the
recommendations so far are shown and the user may stop there and get the report. When only
long shots are left (the planner's `can_stop`), the consultation says once what is still open
and offers to stop there; going on asks to the end. Yes-only facts the planner batches come as
one checklist: ticked is yes, unticked no.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from advisor.engine.advisor import Advisor
from advisor.interactive.answers import Answers
from advisor.interactive.display import (
    show_answer,
    show_checklist_answer,
    show_help,
    show_section,
    show_still_open,
    show_tally,
    show_why,
    show_why_checklist,
    show_why_short,
)
from advisor.interactive.drafts import DraftStore
from advisor.interactive.planner import Planner, QuestionPlan, existing_setup_matters
from advisor.interactive.prompts import Action, Prompt, Prompter, Reply
from advisor.knowledge.vocabulary import FactSpec

MODE_PROMPT = Prompt(
    "existing", "Is this a new design, or a review of a setup you already have?", "select",
    (("A new design", False),
     ("A review of a setup I already have (clusters, sweeps or deployments already configured)", True)))


class Interrupted(Exception):
    """The user stopped (Ctrl-C, end of input, closed terminal); the answers are in the draft."""

    def __init__(self, draft: Path, answered: int) -> None:
        self.draft = draft
        self.answered = answered
        super().__init__(f"stopped with {answered} answers saved in {draft}")


@contextmanager
def hangup_as_interrupt() -> Iterator[None]:
    """A closed terminal (SIGHUP) stops the loop like Ctrl-C, so the draft is saved on the way out."""
    if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_hangup(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGHUP, on_hangup)
    try:
        yield
    finally:
        signal.signal(signal.SIGHUP, previous)


class Interview:
    def __init__(self, advisor: Advisor, answers: Answers, prompter: Prompter, console: Console,
                 drafts: DraftStore, preview: Callable[[QuestionPlan], None] | None = None) -> None:
        self.advisor = advisor
        self.knowledge = advisor.knowledge
        self.answers = answers
        self.prompter = prompter
        self.console = console
        self.drafts = drafts
        self.preview = preview
        self.stopped_early = False  # the user stopped after an area or at the offer, with questions left

    def heading(self, section: str) -> str:
        return self.knowledge.guide.section(section).heading

    def run(self) -> QuestionPlan:
        """Ask until no open rule waits on an unanswered fact (or the user stops); return the plan."""
        answers = self.answers
        try:
            with hangup_as_interrupt():
                self.drafts.save(answers)
                if answers.existing is None:
                    answers.existing = self.ask_mode()
                    self.drafts.save(answers)
                return self.loop(Planner(self.advisor, answers.focus, existing=bool(answers.existing)))
        except (KeyboardInterrupt, EOFError):
            self.drafts.save(answers)
            raise Interrupted(self.drafts.path, len(answers.values)) from None

    def ask_mode(self) -> bool:
        """Design or review: asked only when some rule in scope reads an existing setup."""
        if not existing_setup_matters(self.knowledge, self.answers.focus):
            return False
        return bool(self.prompter.select(MODE_PROMPT))

    def loop(self, planner: Planner) -> QuestionPlan:
        answers = self.answers
        defaults: dict[str, Any] = {}
        current: str | None = None
        went_back = False
        offer = False  # armed once a plan with more than long shots left was seen (not straight after --resume)
        while True:
            plan = planner.plan(answers.values)
            question = plan.next
            if question is None:
                return plan
            if offer and plan.can_stop:
                offer = False  # once per run: going on asks to the end
                if not self.go_on_with_long_shots(plan):
                    self.stopped_early = True
                    return plan
            elif not plan.can_stop and not went_back:
                offer = True
            section = question.fact.section
            if section != current:
                finished = current is not None and not went_back \
                    and all(q.fact.section != current for q in plan.questions)
                if finished:
                    show_tally(self.console, plan.consultation, self.knowledge, self.heading(current))  # type: ignore[arg-type]
                    if not self.go_on(current, section):  # type: ignore[arg-type]
                        self.stopped_early = True
                        return plan
                show_section(self.console, self.heading(section))
                current = section
            checklist = [q.fact for q in plan.batch] if len(plan.batch) > 1 else None
            if checklist:
                reply = self.ask_checklist(checklist, plan, [f.name for f in checklist if defaults.pop(f.name, None)])
            else:
                reply = self.ask(question.fact, plan, defaults.pop(question.fact.name, None))
            went_back = reply.action is Action.BACK
            if went_back:
                defaults.update(answers.go_back())
            elif checklist:
                self.record_checklist(checklist, reply)
            else:
                value = None if reply.action is Action.DONT_KNOW else reply.value
                answers.record(question.fact.name, value)
                if question.fact.type == "list":
                    show_answer(self.console, question.fact, value)
            self.drafts.save(answers)

    def record_checklist(self, facts: list[FactSpec], reply: Reply) -> None:
        """Ticked is yes and unticked no; "don't know" leaves all of them unknown."""
        unknown = reply.action is Action.DONT_KNOW
        values = {f.name: None if unknown else f.name in reply.value for f in facts}
        self.answers.record_together(values)
        show_checklist_answer(self.console, facts, values)

    def go_on(self, finished: str, upcoming: str) -> bool:
        prompt = Prompt("go_on", f"Nothing more to ask about {self.heading(finished)}. Go on?", "select",
                        ((f"Go on to {self.heading(upcoming)}", True),
                         ("Stop here and show the report (advisor consult --resume continues later)", False)))
        return bool(self.prompter.select(prompt))

    def go_on_with_long_shots(self, plan: QuestionPlan) -> bool:
        """Say what is still open and offer to stop: what an expert asks when little is left to gain."""
        show_still_open(self.console, plan, self.knowledge)
        left = len(plan.questions)
        prompt = Prompt("stop_offer", "Only long shots are left. Go on?", "select",
                        ((f"Go on (up to {left} more question{'s' if left != 1 else ''})", True),
                         ("Stop here and show the report (advisor consult --resume continues later)", False)))
        return bool(self.prompter.select(prompt))

    def ask_checklist(self, facts: list[FactSpec], plan: QuestionPlan, ticked: list[str]) -> Reply:
        facts = [fact.as_asked(self.answers.values) for fact in facts]  # notes that follow earlier answers
        areas = list(dict.fromkeys(self.heading(fact.section) for fact in facts))
        if len(areas) > 1:
            self.console.print(f"[dim]Questions from {len(areas)} areas: {escape('; '.join(areas))}[/]")
        def show_all_rules() -> None:
            for fact in facts:
                show_why(self.console, fact, plan, self.knowledge)

        return self.until_answered(
            lambda asked_why: self.prompter.ask_checklist(facts, can_go_back=self.answers.can_go_back(),
                                                          ticked=tuple(ticked), asked_why=asked_why),
            lambda: show_why_checklist(self.console, facts, plan, self.knowledge), show_all_rules, plan)

    def ask(self, fact: FactSpec, plan: QuestionPlan, default: Any) -> Reply:
        fact = fact.as_asked(self.answers.values)  # help and labels that follow earlier answers
        show_help(self.console, fact)
        return self.until_answered(
            lambda asked_why: self.prompter.ask_fact(fact, can_go_back=self.answers.can_go_back(), default=default,
                                                     asked_why=asked_why),
            lambda: show_why_short(self.console, fact, plan, self.knowledge),
            lambda: show_why(self.console, fact, plan, self.knowledge), plan)

    def until_answered(self, ask_once: Callable[[bool], Reply], why_short: Callable[[], None],
                       why_long: Callable[[], None], plan: QuestionPlan) -> Reply:
        """Ask again after Why? (short first, then every rule) and the report so far."""
        asked_why = False
        while True:
            reply = ask_once(asked_why)
            if reply.action is Action.WHY:
                (why_long if asked_why else why_short)()
                asked_why = True
            elif reply.action is Action.REPORT:
                if self.preview is not None:
                    self.preview(plan)
            else:
                return reply
