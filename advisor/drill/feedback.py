"""Grading one answer: right or wrong, the derivation of the correct choice, and why the
chosen distractor is wrong where a rule says so."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.drill.questions import DrillQuestion
from advisor.drill.wording import subject_words, value_words
from advisor.engine.results import DerivationNode, RuleWarning
from advisor.explain.whynot import condition_failure
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import describe_leaf

MAX_REASONS = 3


@dataclass(frozen=True)
class Feedback:
    question: DrillQuestion
    chosen: str
    correct: bool
    derivation: tuple[DerivationNode, ...]  # how the engine reached the correct choice
    why_not: tuple[str, ...]                # why the chosen choice is wrong (empty when right)
    warnings: tuple[RuleWarning, ...] = ()      # the advisor's warnings in the question's guide section


def grade(question: DrillQuestion, chosen: str, knowledge: KnowledgeBase) -> Feedback:
    if chosen not in question.options:
        raise ValueError(f"{chosen!r} is not one of the offered choices")
    correct = chosen == question.correct
    derivation = tuple(question.consultation.derivation(question.decision, question.correct))
    why_not = () if correct else why_not_chosen(question, chosen, knowledge)
    warnings = tuple(w for w in question.consultation.warnings
                     if knowledge.rule(w.rule_id).section == question.section)
    return Feedback(question, chosen, correct, derivation, why_not, warnings)


def why_not_chosen(question: DrillQuestion, chosen: str, knowledge: KnowledgeBase) -> tuple[str, ...]:
    """Reasons from the rules: the choice was proposed but overruled, or a rule that would
    recommend it has a condition that does not hold in this scenario."""
    vocabulary = knowledge.vocabulary
    consultation = question.consultation
    rec = consultation.recommendation(question.decision)
    label = value_words(question.decision, chosen, vocabulary)
    reasons: list[str] = []
    for alternative in (rec.alternatives if rec else ()):
        if alternative.choice == chosen:
            reasons.append(f"{label} was proposed by {', '.join(alternative.rules)}, but "
                           f"{alternative.reason}.")
    if reasons:
        return tuple(reasons)
    known = consultation.values
    for rule in knowledge.producers(question.decision):
        if rule.conclusion.value != chosen:
            continue
        failure = condition_failure(consultation, knowledge, rule)
        if failure is None:
            continue
        leaf = failure.first_leaf
        if leaf.subject in known:
            actual = f"here it is: {value_words(leaf.subject, known[leaf.subject], vocabulary)}"
        else:
            actual = f"this scenario does not say ({subject_words(leaf.subject, vocabulary)})"
        reasons.append(f"{rule.id} would recommend {label}, but only when {describe_leaf(leaf)}; {actual}.")
        if len(reasons) == MAX_REASONS:
            break
    if not reasons and not knowledge.producers(question.decision):
        return ()
    if not reasons:
        reasons.append(f"No rule recommends {label} in this situation.")
    return tuple(reasons)
