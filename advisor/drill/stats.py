"""Accuracy per guide section and per decision, over all stored answers, weakest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from advisor.drill.store import AnswerRow
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
class DrillStats:
    answered: int
    correct: int
    sessions: int
    sections: tuple[AreaStats, ...]   # weakest first
    decisions: tuple[AreaStats, ...]  # weakest first
    days: tuple[DayStats, ...]        # the last active days, oldest first

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


def compute_stats(answers: list[AnswerRow], knowledge: KnowledgeBase) -> DrillStats:
    """`answers` in the order they were given (as ProgressStore.answers returns them)."""
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
    return DrillStats(len(answers), sum(a.correct for a in answers), len({a.session_id for a in answers}),
                      sections, decisions, days)


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
