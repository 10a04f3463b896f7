"""Accuracy per guide section and per decision, over all stored answers, weakest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from advisor.drill.outline import ExamOutline, load_outline
from advisor.drill.schedule import TOP_BOX
from advisor.drill.store import AnswerRow, StoredQuestion
from advisor.knowledge import KnowledgeBase

RECENT = 10     # answers that count as "recent" for the trend
TIMELINE_DAYS = 14


@dataclass(frozen=True)
class AreaStats:
    key: str
    label: str
    answered: int
    correct: int
    recent_answered: int
    recent_correct: int
    last_answered_at: float

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def recent_accuracy(self) -> float:
        return self.recent_correct / self.recent_answered if self.recent_answered else 0.0


@dataclass(frozen=True)
class DayStats:
    day: str  # ISO date, local time
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class ReviewQueue:
    """One exam domain's questions in spaced repetition."""

    domain: int
    title: str
    due_today: int
    boxes: tuple[int, ...]  # questions in box 1..TOP_BOX

    @property
    def mastered(self) -> int:
        return self.boxes[-1]


@dataclass(frozen=True)
class DrillStats:
    answered: int
    correct: int
    sessions: int
    sections: tuple[AreaStats, ...]   # weakest first
    decisions: tuple[AreaStats, ...]  # weakest first
    days: tuple[DayStats, ...]        # the last active days, oldest first
    domains: tuple[AreaStats, ...] = ()   # by exam domain, in the outline's order
    skills: tuple[AreaStats, ...] = ()    # by exam skill, weakest first
    queues: tuple[ReviewQueue, ...] = ()  # per exam domain, in the outline's order

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


def skill_of(decision: str, section: str, outline: ExamOutline) -> str:
    """The exam skill of a stored question (an ordering's decision is `order:<id>`)."""
    if decision.startswith("order:"):
        wanted = decision.removeprefix("order:")
        return next((skill.id for skill, o in outline.orderings() if o.id == wanted), "0")
    return outline.skill_of(decision, section)


def compute_stats(answers: list[AnswerRow], knowledge: KnowledgeBase, questions: list[StoredQuestion] = (),
                  *, outline: ExamOutline | None = None, now: float | None = None) -> DrillStats:
    """`answers` in the order they were given (as ProgressStore.answers returns them);
    `questions` every stored question, for the review queues (due today as of `now`)."""
    outline = outline or load_outline()
    headings = {s.id: f"{s.number}. {s.id}" for s in knowledge.guide.sections}

    def decision_label(name: str) -> str:
        spec = knowledge.vocabulary.decision(name)
        return spec.title if spec else name

    sections = _areas(answers, lambda a: a.section, lambda key: headings.get(key, key))
    decisions = _areas(answers, lambda a: a.decision, decision_label)
    per_day: dict[str, list[bool]] = {}
    for a in answers:
        day = dt.datetime.fromtimestamp(a.answered_at).date().isoformat()
        per_day.setdefault(day, []).append(a.correct)
    days = tuple(DayStats(day, len(v), sum(v)) for day, v in sorted(per_day.items())[-TIMELINE_DAYS:])
    def domain_key(a: AnswerRow) -> str:
        return str(outline.domain_of_skill(skill_of(a.decision, a.section, outline)))

    domain_titles = {str(d.number): f"{d.number}. {d.title}" for d in outline.domains}
    by_domain = {row.key: row for row in _areas(answers, domain_key, lambda k: domain_titles.get(k, "Unmapped"))}
    domains = tuple(by_domain[str(d.number)] for d in outline.domains if str(d.number) in by_domain)
    skill_titles = {s.id: f"{s.id} {s.title}" for s in outline.skills}
    skills = _areas(answers, lambda a: skill_of(a.decision, a.section, outline),
                    lambda k: skill_titles.get(k, "Unmapped"))
    return DrillStats(len(answers), sum(a.correct for a in answers), len({a.session_id for a in answers}),
                      sections, decisions, days, domains, skills, review_queues(questions, outline, now))


def review_queues(questions, outline: ExamOutline, now: float | None) -> tuple[ReviewQueue, ...]:
    """Per domain: questions due by the end of today (local time), and how many are in each box."""
    now = dt.datetime.now().timestamp() if now is None else now
    tomorrow = dt.datetime.combine(dt.datetime.fromtimestamp(now).date() + dt.timedelta(days=1), dt.time())
    end_of_today = tomorrow.timestamp()
    queues = []
    for domain in outline.domains:
        mine = [q for q in questions
                if outline.domain_of_skill(skill_of(q.decision, q.section, outline)) == domain.number]
        boxes = tuple(sum(1 for q in mine if q.box == b) for b in range(1, TOP_BOX + 1))
        due = sum(1 for q in mine if q.due_at < end_of_today)
        queues.append(ReviewQueue(domain.number, domain.title, due, boxes))
    return tuple(queues)


def read_questions(path) -> list[StoredQuestion]:
    """Every stored question (for the review queues); nothing is created if the file is new."""
    from pathlib import Path

    from advisor.drill.store import ProgressStore

    if not Path(path).exists():
        return []
    with ProgressStore(Path(path)) as store:
        return store.due_questions(float("inf"))


def _areas(answers, key_of, label_of) -> tuple[AreaStats, ...]:
    grouped: dict[str, list[AnswerRow]] = {}
    for a in answers:
        grouped.setdefault(key_of(a), []).append(a)
    rows = []
    for key, items in grouped.items():
        recent = items[-RECENT:]
        rows.append(AreaStats(key, label_of(key), len(items), sum(a.correct for a in items), len(recent),
                              sum(a.correct for a in recent), items[-1].answered_at))
    rows.sort(key=lambda r: (r.accuracy, -r.answered, r.label))
    return tuple(rows)
