"""Exam drills: scenario questions from the advisor's own knowledge, graded by the engine,
with progress kept in SQLite and spaced repetition."""

from advisor.drill.feedback import Feedback, grade
from advisor.drill.questions import DrillQuestion, build_question, resolve_answer
from advisor.drill.session import DrillOptions, DrillSession, SessionSummary
from advisor.drill.store import ProgressStore, default_db_path

__all__ = ["DrillOptions", "DrillSession", "Feedback", "DrillQuestion", "ProgressStore", "SessionSummary",
           "build_question", "default_db_path", "grade", "resolve_answer"]
