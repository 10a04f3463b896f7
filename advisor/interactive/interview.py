"""The question loop: plan, ask, record, save the draft, and again until nothing is left."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console

from advisor.engine.advisor import Advisor
from advisor.interactive.answers import Answers
from advisor.interactive.display import show_section, show_tally, show_why
from advisor.interactive.drafts import DraftStore
from advisor.interactive.planner import Planner, QuestionPlan
from advisor.interactive.prompts import Action, Prompter, Reply
from advisor.knowledge.vocabulary import FactSpec


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
                 drafts: DraftStore) -> None:
        self.advisor = advisor
        self.knowledge = advisor.knowledge
        self.answers = answers
        self.prompter = prompter
        self.console = console
        self.drafts = drafts
        self.planner = Planner(advisor, answers.focus)

    def heading(self, section: str) -> str:
        return self.knowledge.guide.section(section).heading

    def run(self) -> QuestionPlan:
        """Ask until no open rule waits on an unanswered fact; return the final plan."""
        answers = self.answers
        defaults: dict[str, Any] = {}
        current_section: str | None = None
        try:
            with hangup_as_interrupt():
                self.drafts.save(answers)
                while True:
                    plan = self.planner.plan(answers.values)
                    question = plan.next
                    if question is None:
                        return plan
                    section = question.fact.section
                    if section != current_section:
                        if current_section is not None:
                            show_tally(self.console, plan.consultation, self.knowledge,
                                       self.heading(current_section))
                        show_section(self.console, self.heading(section))
                        current_section = section
                    reply = self.ask(question.fact, plan, defaults.pop(question.fact.name, None))
                    if reply.action is Action.BACK:
                        fact, previous = answers.go_back()
                        defaults[fact] = previous
                    else:
                        answers.record(question.fact.name,
                                       None if reply.action is Action.DONT_KNOW else reply.value)
                    self.drafts.save(answers)
        except (KeyboardInterrupt, EOFError):
            self.drafts.save(answers)
            raise Interrupted(self.drafts.path, len(answers.values)) from None

    def ask(self, fact: FactSpec, plan: QuestionPlan, default: Any) -> Reply:
        while True:
            reply = self.prompter.ask_fact(fact, can_go_back=self.answers.can_go_back(), default=default)
            if reply.action is not Action.WHY:
                return reply
            show_why(self.console, fact, plan, self.knowledge)
