"""A drill question in the vocabulary's own words: the scenario and what is asked."""

from __future__ import annotations

from typing import Any

from advisor.knowledge.vocabulary import DecisionSpec, Vocabulary


def scenario_lines(facts: dict[str, Any], vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """(question, answer) pairs for the stated facts, in the vocabulary's order and wording."""
    lines = []
    for spec in vocabulary.facts:
        if spec.name in facts:
            lines.append((spec.question, spec.describe_value(facts[spec.name])))
    return lines


def value_words(name: str, value: Any, vocabulary: Vocabulary) -> str:
    """A fact value or a decision's choice in plain words (its label)."""
    fact = vocabulary.fact(name)
    if fact is not None:
        return fact.describe_value(value)
    decision = vocabulary.decision(name)
    if decision is not None:
        return decision.choices.get(value, str(value))
    return str(value)


def subject_words(name: str, vocabulary: Vocabulary) -> str:
    """What a fact or decision is about, for sentences like 'X is not known'."""
    fact = vocabulary.fact(name)
    if fact is not None:
        return fact.question
    decision = vocabulary.decision(name)
    return decision.title if decision is not None else name


def ask_text(decision: DecisionSpec) -> str:
    if decision.multiple:
        return f"{decision.title}: which ONE of these does the advisor recommend?"
    return f"{decision.title}: which do you choose?"
