"""The question loop: plan, ask, record, save the draft, and again until nothing is left.

The consultation opens by asking whether there is an existing setup to review (unless
`--existing` or the answers file says so); a design consultation never asks about one.
Each guide section is an area with its heading; when an area has nothing left to ask, the
recommendations so far are shown and the user may stop there and get the report. When only
long shots are left (the planner's `can_stop`), the consultation says once what is still open
and offers to stop there; going on asks to the end. Yes-only facts the planner batches come as
one checklist: ticked is yes, unticked no.

A consultation that has asked nothing yet opens with a checklist of topics: what the user can
already speak to. The questions of a topic left unticked are asked last; once only they are
left, the consultation says so and offers to stop (their decisions stay open, and
`--resume` offers them again) or to go on with them. Once topics were ticked, a survey ("which of
these can you answer now?") comes before a question no survey listed yet; the unticked are asked
last in the same way.
"""

from __future__ import annotations

import errno
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from advisor.engine.advisor import Advisor
from advisor.interactive.answers import EXISTING, SURVEY, TOPICS, Answers, Survey
from advisor.interactive.display import (
    area_words,
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
from advisor.interactive.planner import (
    OPENING_CHOICE,
    Planner,
    QuestionPlan,
    existing_setup_matters,
    opening_choice,
    opening_value,
)
from advisor.interactive.prompts import Action, Prompt, Prompter, Reply
from advisor.knowledge.vocabulary import FactSpec
from advisor.stopping import stop_begun

MODE_PROMPT = Prompt(
    "existing", "Is this a new design, or a review of a setup you already have?", "select",
    (("A new design", False),
     ("A review of a setup I already have (clusters, sweeps or deployments already configured)", True)))


# The topic checklist's first item when design or review is still to say (MODE_PROMPT's second answer).
REVIEW_ITEM = "I have a setup to review (clusters, sweeps or deployments already configured)"
QUESTION_INDENT = "    "  # a question of the first survey, under its topic in the topic checklist
CHOICE_ITEM = "(choice) "  # before a value of the framing choice the checklist asks (the goal): an item's key


def choice_items(choice: tuple[FactSpec, tuple[str, ...]] | None,
                 chosen: str | None) -> tuple[list[tuple[str, str]], tuple[str, ...]]:
    """The goal's items in the topic checklist (its values' words; none when it is not to ask), and
    those ticked for the answer `chosen`."""
    if choice is None:
        return [], ()
    spec, items = choice
    ticked = tuple(CHOICE_ITEM + v for v in items if chosen is not None and chosen in (v, OPENING_CHOICE[1]))
    return [(spec.values[v], CHOICE_ITEM + v) for v in items], ticked


class Interrupted(Exception):
    """The user stopped (Ctrl-C, end of input, closed terminal); the answers are in the draft."""

    def __init__(self, draft: Path, answered: int) -> None:
        self.draft = draft
        self.answered = answered
        super().__init__(f"stopped with {answered} answers saved in {draft}")


STOPS = (KeyboardInterrupt, EOFError, OSError)  # what may stop a consultation; `stops` says which do


def stops(exc: BaseException) -> bool:
    """Whether `exc`, caught as one of STOPS, stops the consultation: Ctrl-C, end of input, or a
    closed terminal. Writing to (or reading from) a closed terminal fails with EIO, which can come a
    moment before its SIGHUP (the second fuzzing pass: a section heading written as the terminal
    closed gave exit 2, or a traceback, not 130); any other OSError is not a stop. From here a
    second Ctrl-C no longer cuts the stop short (advisor.stopping)."""
    if isinstance(exc, OSError) and exc.errno != errno.EIO:
        return False
    stop_begun()
    return True


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
        self.planners: dict[bool, Planner] = {}

    def heading(self, section: str) -> str:
        return self.knowledge.guide.section(section).heading

    def run(self) -> QuestionPlan:
        """Ask until no open rule waits on an unanswered fact (or the user stops); return the plan."""
        answers = self.answers
        try:
            with hangup_as_interrupt():
                self.drafts.save(answers)
                if answers.existing is None and not self.topics_due():  # else the checklist asks it
                    answers.existing = self.ask_mode()
                    self.drafts.save(answers)
                return self.loop()
        except STOPS as exc:
            if not stops(exc):
                raise
            self.drafts.save(answers)
            raise Interrupted(self.drafts.path, len(answers.values)) from None

    def ask_mode(self) -> bool:
        """Design or review: asked only when some rule in scope reads an existing setup."""
        if not existing_setup_matters(self.knowledge, self.answers.focus):
            return False
        return bool(self.prompter.select(MODE_PROMPT))

    def topics_due(self) -> bool:
        """The topic checklist opens a consultation that has asked nothing yet (not --focus: one area),
        and comes again when Back returns to it."""
        answers = self.answers
        return answers.skipped is None and not answers.asked and answers.focus is None

    def planner(self) -> Planner:
        """The planner of a design, or of a review (once the user says so)."""
        existing = bool(self.answers.existing)
        if existing not in self.planners:
            self.planners[existing] = Planner(self.advisor, self.answers.focus, existing=existing)
        return self.planners[existing]

    def loop(self) -> QuestionPlan:
        answers = self.answers
        defaults: dict[str, Any] = {}
        current: str | None = None
        went_back = False
        offer = False  # armed once a plan with more than long shots left was seen (not straight after --resume)
        while True:
            planner = self.planner()
            plan = planner.plan(answers.values, answers.skipped_topics(), answers.unknown_facts(),
                                answers.surveyed_facts())
            question = plan.next
            if question is None or self.stopped_early:  # stopped: at the skipped topics' offer
                return plan
            if self.topic_prompt(planner, plan, defaults):  # the topic checklist, a survey, or the offer
                continue
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
                topic = self.retirable_topic(planner, question.fact)
                reply = self.ask(question.fact, plan, defaults.pop(question.fact.name, None), topic)
            went_back = reply.action is Action.BACK
            if went_back:
                defaults.update(answers.go_back())
            elif checklist:
                self.record_checklist(checklist, reply)
            else:
                self.record_answer(question.fact, reply, topic)
            self.drafts.save(answers)

    def retirable_topic(self, planner: Planner, fact: FactSpec) -> str | None:
        """The topic a "don't know" to `fact` may retire whole: its own, unless already skipped
        (a number question types its answer and offers no such item)."""
        topic = planner.topics.get(fact.name)
        if topic is None or fact.type == "number" or self.answers.focus is not None \
                or topic in self.answers.skipped_topics():
            return None
        return topic

    def record_answer(self, fact: FactSpec, reply: Reply, topic: str | None) -> None:
        retire = reply.action is Action.SKIP_TOPIC
        value = None if reply.action is Action.DONT_KNOW or retire else reply.value
        self.answers.record(fact.name, value)
        if retire and topic is not None:
            self.answers.retired[fact.name] = topic
            self.console.print(f"[dim]Asked last, if you go on: {escape(self.topic_name(topic))}[/]")
        if fact.type == "list":
            show_answer(self.console, fact, value)

    def topic_name(self, topic: str) -> str:
        return self.knowledge.areas[topic].partition(" - ")[0]

    def topic_prompt(self, planner: Planner, plan: QuestionPlan, defaults: dict[str, Any]) -> bool:
        """Ask the topic checklist when it is due, or a survey ("which of these can you answer?"), or
        offer to stop when only skipped topics are left (going on asks them too); False when none is due."""
        answers = self.answers
        if self.topics_due():
            choice = opening_choice(self.knowledge, plan) if self.answers.focus is None else None
            chosen = defaults.pop(choice[0].name, None) if choice is not None else None
            self.ask_topics(planner, plan, defaults.pop(TOPICS, None), defaults.pop(EXISTING, None),
                            defaults.pop(SURVEY, None), chosen)
        elif plan.only_skipped:
            if self.go_on_with_skipped(planner, plan):
                answers.go_on_with_skipped()
            else:
                self.stopped_early = True  # the loop returns this plan
        elif plan.survey:
            if self.ask_survey(plan, defaults.pop(SURVEY, None)):  # Back: the answer before it
                defaults.update(answers.go_back())
        else:
            return False
        self.drafts.save(answers)
        return True

    def ask_topics(self, planner: Planner, plan: QuestionPlan, unticked: tuple[str, ...] | None,
                   existing: bool | None, questions_ticked: tuple[str, ...] | None = None,
                   chosen: str | None = None) -> None:
        """What the user has, builds and can speak to, in one checklist: a setup to review (when design
        or review is still to say), what is being built (the goal's two kinds, while it is to ask: one
        ticked is its answer, both "both", none no answer), then the topics of the questions worth
        asking, with the first survey's questions under their topics. Ticked by default: the topics of
        answers already given (pre-filled), or the earlier ticks (`chosen`: the goal's answer undone)."""
        answers = self.answers
        shown = planner.topics_of(plan)
        with_mode = answers.existing is None and existing_setup_matters(self.knowledge, answers.focus)
        if answers.existing is None and not with_mode:
            answers.existing = False
        if len(shown) < 2:
            answers.skipped = ()
            if with_mode:
                answers.existing = self.ask_mode()
            return
        if unticked is None:
            ticked = tuple(t for t in shown if any(planner.topics.get(n) == t for n in answers.values))
        else:
            ticked = tuple(t for t in shown if t not in unticked)
        # The first survey, in the same checklist: the best questions to come, each under its topic.
        survey = [q.fact.as_asked(answers.values) for q in planner.plan(answers.values, surveyed=()).survey]
        options: list[tuple[str, str]] = []
        for topic in shown:
            options.append((area_words(self.knowledge.areas[topic]), topic))
            options.extend((QUESTION_INDENT + f.question, f.name) for f in survey if planner.topics[f.name] == topic)
        ticked += tuple(n for n in questions_ticked or () if n in {f.name for f in survey})
        choice = opening_choice(self.knowledge, plan)
        options[0:0], ticks = choice_items(choice, chosen)  # what is being built, before the topics
        ticked += ticks
        if with_mode:
            options.insert(0, (REVIEW_ITEM, EXISTING))
            ticked = (EXISTING, *ticked) if existing else ticked
        asked_why = False
        while True:
            reply = self.prompter.ask_topics(options, ticked=ticked, asked_why=asked_why)
            if reply.action is Action.WHY:
                self.console.print(
                    "The questions of the topics you tick come first, each only where its answer can still "
                    "change a recommendation. Under a topic, the questions you tick are asked next and those "
                    "left unticked last (when you tick none of a topic's, they are asked as usual). The others "
                    "are asked last: once only they are left you may stop (their decisions stay open in the "
                    "report) or go on with them. Questions that decide which topics apply at all (the goal, "
                    "the task, whether a prebuilt model fits) are always asked; tick what you are building "
                    "(both, if both) and the goal is not asked again.")
                asked_why = True
            elif reply.action is Action.REPORT:
                if self.preview is not None:
                    self.preview(plan)
            else:
                break
        if reply.action is Action.DONT_KNOW:
            answers.skipped = ()  # can't say: every topic is asked in the planner's order, with no surveys
        else:
            self.record_opening(planner, shown, [f.name for f in survey], reply.value, choice)
        if with_mode:  # "don't know" is a new design, as nothing says there is a setup
            answers.existing = reply.action is None and EXISTING in reply.value
            answers.mode_in_topics = True
        if answers.skipped:
            titles = "; ".join(self.topic_name(t) for t in answers.skipped)
            self.console.print(f"[dim]Asked last, if you go on: {escape(titles)}[/]")

    def record_opening(self, planner: Planner, shown: tuple[str, ...], survey: list[str],
                       ticked: tuple[str, ...], choice: tuple[FactSpec, tuple[str, ...]] | None = None) -> None:
        """The topic checklist's ticks: a question ticked ticks its topic; a topic's questions left
        unticked are asked last only when another of them is ticked (else they were not looked at).
        The goal's items ticked answer it (not asked on its own: Back to the checklist undoes it)."""
        answers = self.answers
        value = opening_value(choice[1], {v[len(CHOICE_ITEM):] for v in ticked if v.startswith(CHOICE_ITEM)}) \
            if choice is not None else None
        if value is not None:
            answers.values[choice[0].name] = value  # type: ignore[index]
            answers.in_topics = (choice[0].name,)  # type: ignore[index]
        said = {planner.topics[n] for n in survey if n in ticked}
        answers.skipped = tuple(t for t in shown if t not in ticked and t not in said)
        answers.surveying = True
        listed = tuple(n for n in survey if planner.topics[n] in said)
        if listed:
            answers.surveys.append(Survey(0, listed, tuple(n for n in listed if n not in ticked), opening=True))

    def ask_survey(self, plan: QuestionPlan, ticked: tuple[str, ...] | None) -> bool:
        """Which of the questions to come the user can answer: the unticked are asked last. "Don't
        know" defers none. True when the user pressed Back (the previous answer is to undo)."""
        answers = self.answers
        facts = [q.fact.as_asked(answers.values) for q in plan.survey]
        listed = tuple(f.name for f in facts)

        def explain() -> None:
            self.console.print(
                "These are the next questions whose answers can still change a recommendation. Those you "
                "tick are asked next; the others are asked last, and once only they are left you may stop "
                "(their decisions stay open in the report) or go on with them.")

        def show_all_rules() -> None:
            for fact in facts:
                show_why(self.console, fact, plan, self.knowledge)

        reply = self.until_answered(
            lambda asked_why: self.prompter.ask_survey(facts, can_go_back=answers.can_go_back(),
                                                       ticked=ticked or (), asked_why=asked_why),
            explain, show_all_rules, plan)
        if reply.action is Action.BACK:
            return True
        unknown = () if reply.action is Action.DONT_KNOW else tuple(n for n in listed if n not in reply.value)
        answers.surveys.append(Survey(len(answers.asked), listed, unknown))
        if unknown:
            titles = "; ".join(f.question for f in facts if f.name in unknown)
            self.console.print(f"[dim]Asked last, if you go on: {escape(titles)}[/]")
        return False

    def go_on_with_skipped(self, planner: Planner, plan: QuestionPlan) -> bool:
        """Only the topics the user skipped (or the questions a survey left unticked) are left: say
        what stays open and offer to stop."""
        skipped = set(self.answers.skipped_topics())
        titles = "; ".join(self.topic_name(t) for t in planner.topics_of(plan) if t in skipped)
        what = f"[bold]Only questions on topics you skipped are left[/]: {escape(titles)}." if titles else \
            "[bold]Only questions you could not answer yet are left[/]."
        show_still_open(self.console, plan, self.knowledge, what)
        left = len(plan.questions)
        prompt = Prompt("skipped_offer", "Go on with the topics you skipped?", "select",
                        ((f"Go on (up to {left} more question{'s' if left != 1 else ''})", True),
                         ("Stop here and show the report (advisor consult --resume continues later)", False)))
        return bool(self.prompter.select(prompt))

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

    def ask(self, fact: FactSpec, plan: QuestionPlan, default: Any, topic: str | None = None) -> Reply:
        fact = fact.as_asked(self.answers.values)  # help and labels that follow earlier answers
        show_help(self.console, fact)
        name = self.topic_name(topic) if topic is not None else None
        return self.until_answered(
            lambda asked_why: self.prompter.ask_fact(fact, can_go_back=self.answers.can_go_back(), default=default,
                                                     asked_why=asked_why, topic=name),
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
