"""A drill session: which questions to ask, grading and storing each answer, and the summary.

No I/O here besides the progress store: the CLI shows questions and collects answers.
Questions due for review come first (least known first), then new ones from the scenario
library and from scenarios generated from the rule base, in an order fixed by the seed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from advisor.drill.feedback import Feedback, grade
from advisor.drill.kinds import ORDER_SECTION, completion_question, rebuild_ordering
from advisor.drill.outline import ExamOutline, load_outline
from advisor.drill.questions import DrillQuestion, build_question
from advisor.drill.sampler import QuestionSampler
from advisor.drill.store import ProgressStore, StoredQuestion
from advisor.engine.advisor import Advisor
from advisor.errors import AdvisorError
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.guide import Unit
from advisor.knowledge.vocabulary import plain

RELEARN_AFTER = 3            # a missed question comes back this many questions later, once a session
MAX_FRESH_TRIES = 400        # attempts at a new question before falling back to reviews not yet due
WEAK_TOPICS = 3
UNITS_PER_TOPIC = 3


@dataclass(frozen=True)
class DrillOptions:
    count: int = 10
    seed: int = 0
    section: str | None = None
    decision: str | None = None
    library: Path | None = None


@dataclass(frozen=True)
class SectionScore:
    section: str
    heading: str
    asked: int
    correct: int


@dataclass(frozen=True)
class WeakTopic:
    decision: str
    title: str
    section: str
    missed: int
    asked: int
    accuracy_overall: float  # over every stored answer on this decision
    units: tuple[Unit, ...]  # guide units to re-read


@dataclass(frozen=True)
class SessionSummary:
    session_id: int
    seed: int
    asked: int
    correct: int
    seconds: float
    interrupted: bool
    ran_out: bool            # fewer distinct questions existed than asked for
    sections: tuple[SectionScore, ...]
    weakest: tuple[WeakTopic, ...]

    @property
    def accuracy(self) -> float:
        return self.correct / self.asked if self.asked else 0.0


def check_filters(knowledge: KnowledgeBase, section: str | None, decision: str | None) -> None:
    if section is not None and section not in knowledge.guide.section_ids:
        raise AdvisorError(f"unknown section {section!r}", allowed=", ".join(knowledge.guide.section_ids))
    if decision is not None:
        spec = knowledge.vocabulary.decision(decision)
        if spec is None:
            raise AdvisorError(f"unknown decision {decision!r}",
                               allowed=", ".join(d.name for d in knowledge.vocabulary.decisions))
        if section is not None and spec.section != section:
            raise AdvisorError(f"decision {decision!r} belongs to section {spec.section!r}, not {section!r}")


class DrillSession:
    def __init__(self, advisor: Advisor, store: ProgressStore, options: DrillOptions, *,
                 clock: Callable[[], float] = time.time, outline: ExamOutline | None = None) -> None:
        self.advisor = advisor
        self.knowledge = advisor.knowledge
        self.store = store
        self.options = options
        self.clock = clock
        check_filters(self.knowledge, options.section, options.decision)
        if options.count < 1:
            raise AdvisorError(f"--count must be at least 1, got {options.count}")
        self.started_at = clock()
        self.session_id = store.start_session(started_at=self.started_at, seed=options.seed,
                                              planned=options.count, section=options.section,
                                              decision=options.decision)
        self.feedback: list[Feedback] = []
        self.ran_out = False
        self._asked: set[str] = set()
        self._relearn: list[tuple[int, DrillQuestion]] = []  # (answers given when it is due, question)
        self._relearned: set[str] = set()
        self._finished: SessionSummary | None = None
        seed = options.seed
        self._options_rng = random.Random(f"{seed}:review-options")
        self.outline = outline or load_outline()
        self.sampler = QuestionSampler(advisor, self.outline, seed, self.wanted, options.library,
                                       orderings=options.section is None and options.decision is None)

    def wanted(self, decision: str) -> bool:
        if self.options.decision is not None:
            return decision == self.options.decision
        if self.options.section is not None:
            spec = self.knowledge.vocabulary.decision(decision)
            return spec is not None and spec.section == self.options.section
        return True

    # --- questions ------------------------------------------------------------------------

    def questions(self) -> Iterator[DrillQuestion]:
        """Up to `count` questions; stops early only if no distinct question is left. A question
        missed comes back once, RELEARN_AFTER questions later, within the same count."""
        for question in self._candidates():
            while len(self.feedback) < self.options.count and (again := self._relearn_due()) is not None:
                yield again
            if len(self.feedback) >= self.options.count:
                return
            if question.id in self._asked:
                continue
            self._asked.add(question.id)
            yield question
        while len(self.feedback) < self.options.count and (again := self._relearn_due(at_end=True)) is not None:
            yield again
        if len(self.feedback) < self.options.count:
            self.ran_out = True

    def _relearn_due(self, *, at_end: bool = False) -> DrillQuestion | None:
        for index, (position, question) in enumerate(self._relearn):
            if at_end or position <= len(self.feedback):
                del self._relearn[index]
                return question
        return None

    def _candidates(self) -> Iterator[DrillQuestion]:
        yield from self._reviews(self.store.due_questions(self.clock()))
        yield from self._fresh()
        yield from self._reviews(self.store.waiting_questions(self.clock()))

    def _reviews(self, stored: list[StoredQuestion]) -> Iterator[DrillQuestion]:
        for item in stored:
            if self.wanted(item.decision) and item.id not in self._asked:
                question = self._rebuild(item)
                if question is not None:
                    yield question

    def _rebuild(self, item: StoredQuestion) -> DrillQuestion | None:
        """A stored question asked again; skipped if the vocabulary, rules or outline no longer support it."""
        if item.decision.startswith(f"{ORDER_SECTION}:"):
            question = rebuild_ordering(item.decision, item.facts, self.outline, self._options_rng)
            return _with_box(question, item.box) if question is not None and question.id == item.id else None
        facts = {}
        for name, value in item.facts.items():
            if not self.knowledge.vocabulary.is_input(name):
                return None
            try:
                facts[name] = self.knowledge.vocabulary.fact(name).check(value)
            except ValueError:
                return None
        consultation = self.advisor.consult(facts)
        question = build_question(consultation, item.decision, self.knowledge, self._options_rng,
                                  origin=item.origin, description=item.description, outline=self.outline)
        if question is not None and question.id != item.id:
            question = completion_question(question, self.outline, self.knowledge, self._options_rng)
        if question is None or question.id != item.id:
            return None
        return _with_box(question, item.box)

    def _fresh(self) -> Iterator[DrillQuestion]:
        known = self.store.known_ids()
        misses = 0
        for question in self.sampler.questions():
            if question.id in known or question.id in self._asked:
                misses += 1
                if misses >= MAX_FRESH_TRIES:
                    return
                continue
            misses = 0
            yield question

    # --- answers ---------------------------------------------------------------------------

    def answer(self, question: DrillQuestion, choice: str, seconds: float | None = None) -> Feedback:
        """Grade and store one answer (committed before this returns)."""
        feedback = grade(question, choice, self.knowledge)
        self.store.record_answer(
            session_id=self.session_id, question_id=question.id, decision=question.decision,
            section=question.section, facts=plain(question.facts), origin=question.origin,
            description=question.description, choice=choice, correct_choice=question.key_text,
            answered_at=self.clock(), seconds=seconds)
        self.feedback.append(feedback)
        if not feedback.correct and question.id not in self._relearned:
            self._relearned.add(question.id)
            self._relearn.append((len(self.feedback) + RELEARN_AFTER, _with_box(question, 1)))
        return feedback

    def finish(self, *, interrupted: bool = False) -> SessionSummary:
        if self._finished is not None:
            return self._finished
        ended = self.clock()
        self.store.finish_session(self.session_id, ended)
        self._finished = SessionSummary(
            session_id=self.session_id, seed=self.options.seed, asked=len(self.feedback),
            correct=sum(f.correct for f in self.feedback), seconds=max(0.0, ended - self.started_at),
            interrupted=interrupted, ran_out=self.ran_out, sections=self._section_scores(),
            weakest=self._weakest())
        return self._finished

    def _section_scores(self) -> tuple[SectionScore, ...]:
        scores = []
        for section in self.knowledge.guide.sections:
            mine = [f for f in self.feedback if f.question.section == section.id]
            if mine:
                scores.append(SectionScore(section.id, section.heading, len(mine), sum(f.correct for f in mine)))
        return tuple(scores)

    def _weakest(self) -> tuple[WeakTopic, ...]:
        by_decision: dict[str, list[Feedback]] = {}
        for f in self.feedback:
            by_decision.setdefault(f.question.decision, []).append(f)
        history: dict[str, list[bool]] = {}
        for row in self.store.answers():
            history.setdefault(row.decision, []).append(row.correct)
        topics = []
        for decision, answers in by_decision.items():
            missed = [f for f in answers if not f.correct]
            if not missed:
                continue
            spec = self.knowledge.vocabulary.decision(decision)
            first = answers[0].question
            title, section = (spec.title, spec.section) if spec else (first.stem, first.section)
            past = history.get(decision, [])
            topics.append(WeakTopic(decision, title, section, len(missed), len(answers),
                                    sum(past) / len(past) if past else 0.0, self._units(decision, missed)))
        topics.sort(key=lambda t: (1 - t.missed / t.asked, t.accuracy_overall, t.title))
        return tuple(topics[:WEAK_TOPICS])

    def _units(self, decision: str, missed: list[Feedback]) -> tuple[Unit, ...]:
        urls: list[str] = []
        for f in missed:
            stack = list(f.derivation)
            while stack:
                node = stack.pop(0)
                urls.append(self.knowledge.rule(node.rule_id).source)
                stack.extend(node.children)
        urls.extend(f.question.source for f in missed if f.question.source)
        urls.extend(r.source for r in self.knowledge.producers(decision))
        units = []
        for url in dict.fromkeys(urls):
            unit = self.knowledge.guide.unit(url)
            if unit is not None:
                units.append(unit)
        return tuple(units[:UNITS_PER_TOPIC])


def _with_box(question: DrillQuestion, box: int) -> DrillQuestion:
    return replace(question, box=box)


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 1_000_000)

