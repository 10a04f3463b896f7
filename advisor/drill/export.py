"""Generated questions as plain records, for `advisor drill --export` (no session, no progress):
the full question text, the options' labels, the 0-based indexes of the right options (for
ordering: in the right order), the exam domain and skill, the explanation and the source."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from advisor.drill.outline import ExamOutline, load_outline
from advisor.drill.questions import DrillQuestion
from advisor.drill.sampler import QuestionSampler
from advisor.engine.advisor import Advisor


@dataclass(frozen=True)
class ExportedQuestion:
    question: str
    options: tuple[str, ...]
    answers: tuple[int, ...]
    domain: int
    skill: str
    kind: str
    explanation: str
    source: str

    def as_dict(self) -> dict:
        return {"question": self.question, "options": list(self.options), "answers": list(self.answers),
                "domain": self.domain, "skill": self.skill, "kind": self.kind,
                "explanation": self.explanation, "source": self.source}


def exported(question: DrillQuestion) -> ExportedQuestion:
    answers = tuple(question.options.index(k) for k in question.answer_keys)
    lines = []
    for option in question.options:
        mark = "Right" if option in question.answer_keys else "Wrong"
        lines.append(f"{mark}: {question.label(option)}: {question.note(option)}")
    if question.kind == "ordering":
        lines.insert(0, "Order: " + " → ".join(question.label(k) for k in question.answer_keys) + ".")
    return ExportedQuestion(question.text, tuple(question.label(o) for o in question.options), answers,
                            question.domain, question.skill, question.kind, "\n".join(lines), question.source)


def export_questions(advisor: Advisor, count: int, seed: int, library: Path | None,
                     outline: ExamOutline | None = None) -> list[ExportedQuestion]:
    """Up to `count` distinct generated questions, in the exam's proportions."""
    sampler = QuestionSampler(advisor, outline or load_outline(), seed, lambda _: True, library)
    return [exported(q) for q in itertools.islice(sampler.questions(), count)]
