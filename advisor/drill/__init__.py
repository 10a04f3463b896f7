"""Exam drills: scenario questions from the advisor's own knowledge, graded by the engine,
with progress kept in SQLite and spaced repetition."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.drill.feedback import Feedback, grade
    from advisor.drill.questions import DrillQuestion, build_question, resolve_answer
    from advisor.drill.session import DrillOptions, DrillSession, SessionSummary
    from advisor.drill.store import ProgressStore, default_db_path

# The names below are imported when first used: a process that needs one module (the store, for
# `drill --stats` or a writer) then pays for that module alone, not for pydantic and the question
# generator (~0.25 CPU s) that the package's other modules import.
_HOMES = {"Feedback": "feedback", "grade": "feedback",
          "DrillQuestion": "questions", "build_question": "questions", "resolve_answer": "questions",
          "DrillOptions": "session", "DrillSession": "session", "SessionSummary": "session",
          "ProgressStore": "store", "default_db_path": "store"}

__all__ = ["DrillOptions", "DrillSession", "Feedback", "DrillQuestion", "ProgressStore", "SessionSummary",
           "build_question", "default_db_path", "grade", "resolve_answer"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
