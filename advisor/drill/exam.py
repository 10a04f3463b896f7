"""A timed mock exam: new questions in the outline's proportions, no feedback until the end,
a scaled score out of 1000 (the outline's passing score, 700, passes), a per-domain report,
and the result kept in the progress database beside every answer.

Time is read from an injectable clock. An answer given after the time is up is not scored;
questions not answered count as wrong, as on the real exam.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from advisor.drill.feedback import Feedback
from advisor.drill.outline import ExamOutline, load_outline
from advisor.drill.questions import DrillQuestion
from advisor.drill.session import DrillOptions, DrillSession
from advisor.drill.store import ProgressStore
from advisor.engine.advisor import Advisor
from advisor.errors import AdvisorError

SCALE = 1000


@dataclass(frozen=True)
class ExamOptions:
    questions: int = 50
    minutes: float = 100
    seed: int = 0
    library: Path | None = None


@dataclass(frozen=True)
class DomainScore:
    number: int
    title: str
    asked: int      # questions shown
    correct: int


@dataclass(frozen=True)
class ExamResult:
    session_id: int
    seed: int
    questions: int          # planned
    answered: int
    correct: int
    score: int              # 0..1000
    passing_score: int
    seconds: float
    timed_out: bool
    interrupted: bool
    domains: tuple[DomainScore, ...]
    wrong: tuple[Feedback, ...]

    @property
    def passed(self) -> bool:
        return self.score >= self.passing_score


def scaled_score(correct: int, questions: int) -> int:
    """Right answers out of the planned questions, on a 0-1000 scale."""
    return round(SCALE * correct / questions) if questions else 0


class MockExam:
    def __init__(self, advisor: Advisor, store: ProgressStore, options: ExamOptions, *,
                 clock: Callable[[], float] = time.time, outline: ExamOutline | None = None) -> None:
        if options.questions < 1:
            raise AdvisorError(f"--questions must be at least 1, got {options.questions}")
        if not options.minutes > 0:
            raise AdvisorError(f"--minutes must be more than 0, got {options.minutes}")
        self.options = options
        self.outline = outline or load_outline()
        self.clock = clock
        self.store = store
        self.session = DrillSession(advisor, store, DrillOptions(count=options.questions, seed=options.seed,
                                                                 library=options.library),
                                    clock=clock, outline=self.outline)
        self.deadline = self.session.started_at + options.minutes * 60
        self.timed_out = False
        self.shown: list[DrillQuestion] = []

    def seconds_left(self) -> float:
        return max(0.0, self.deadline - self.clock())

    def questions(self) -> Iterator[DrillQuestion]:
        """New questions in the exam's proportions, until the count is reached or time is up."""
        for question in self.session.sampler.questions():
            if len(self.shown) >= self.options.questions:
                return
            if self.seconds_left() <= 0:
                self.timed_out = True
                return
            self.shown.append(question)
            yield question

    def answer(self, question: DrillQuestion, choice: str, seconds: float | None = None) -> Feedback | None:
        """Grade and store one answer; None (not scored) when the time was up."""
        if self.seconds_left() <= 0:
            self.timed_out = True
            return None
        return self.session.answer(question, choice, seconds)

    def finish(self, *, interrupted: bool = False) -> ExamResult:
        summary = self.session.finish(interrupted=interrupted)
        feedback = self.session.feedback
        correct = sum(f.correct for f in feedback)
        score = scaled_score(correct, self.options.questions)
        domains = []
        for domain in self.outline.domains:
            shown = [q for q in self.shown if q.domain == domain.number]
            right = sum(f.correct for f in feedback if f.question.domain == domain.number)
            domains.append(DomainScore(domain.number, domain.title, len(shown), right))
        result = ExamResult(summary.session_id, self.options.seed, self.options.questions, len(feedback), correct,
                            score, self.outline.passing_score, summary.seconds, self.timed_out, interrupted,
                            tuple(domains), tuple(f for f in feedback if not f.correct))
        self.store.record_exam(
            session_id=summary.session_id, exam=self.outline.exam, finished_at=self.clock(),
            questions=self.options.questions, answered=len(feedback), correct=correct, score=score,
            passed=result.passed, seconds=summary.seconds, timed_out=self.timed_out,
            domains={str(d.number): {"asked": d.asked, "correct": d.correct} for d in domains})
        return result
