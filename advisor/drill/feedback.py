"""Grading one answer: right or wrong, the derivation of the key, and why each option is
right or wrong (in plain words, for every option, whether the answer was right or not)."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.drill.questions import COMPLETION, MULTIPLE, ORDERING, DrillQuestion, canonical_answer
from advisor.engine.results import DerivationNode, RuleWarning
from advisor.knowledge import KnowledgeBase


@dataclass(frozen=True)
class Feedback:
    question: DrillQuestion
    chosen: str                              # the answer string (see questions.canonical_answer)
    correct: bool
    derivation: tuple[DerivationNode, ...]   # how the engine reached the key (empty for orderings)
    why_not: tuple[str, ...]                 # why the chosen wrong options are wrong (empty when right)
    warnings: tuple[RuleWarning, ...] = ()   # the advisor's warnings in the question's guide section

    @property
    def chosen_options(self) -> tuple[str, ...]:
        return split_answer(self.question, self.chosen)


def split_answer(question: DrillQuestion, answer: str) -> tuple[str, ...]:
    if question.kind == ORDERING:
        return tuple(answer.split(" > "))
    if question.kind == MULTIPLE:
        return tuple(answer.split("+"))
    return (answer,)


def grade(question: DrillQuestion, chosen: str, knowledge: KnowledgeBase) -> Feedback:
    parts = split_answer(question, chosen)
    if any(p not in question.options for p in parts) or canonical_answer(question, parts) != chosen:
        raise ValueError(f"{chosen!r} is not one of the offered choices")
    correct = chosen == question.key_text
    consultation = question.consultation
    derivation: tuple[DerivationNode, ...] = ()
    warnings: tuple[RuleWarning, ...] = ()
    if consultation is not None:
        keys = [c for c in question.answer_keys if c in question.recommended] or sorted(question.recommended)
        if question.kind == COMPLETION:
            keys = sorted(question.recommended)
        derivation = tuple(node for key in keys for node in consultation.derivation(question.decision, key))
        warnings = tuple(w for w in consultation.warnings
                         if knowledge.rule(w.rule_id).section == question.section)
    if correct:
        why_not: tuple[str, ...] = ()
    elif question.kind == ORDERING:
        why_not = ("The right order is: " + " → ".join(question.label(k) for k in question.answer_keys) + ".",)
    else:
        why_not = tuple(question.note(p) for p in parts if p not in question.answer_keys)
    return Feedback(question, chosen, correct, derivation, why_not, warnings)
