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


def value_words(name: str, value: Any, vocabulary: Vocabulary, wording: dict[str, Any] | None = None) -> str:
    """A fact value or a decision's choice in plain words (its label), in the exam outline's
    words where it has its own (as the scenario said it)."""
    fact = vocabulary.fact(name)
    if fact is not None:
        own = (wording or {}).get(name)
        if own is not None and own.values and fact.type in ("list", "choice"):
            items = value if fact.type == "list" else (value,)
            return ", ".join(own.values.get(v, fact.values.get(v, str(v))) for v in items) or fact.describe_value(value)
        return fact.describe_value(value)
    decision = vocabulary.decision(name)
    if decision is not None:
        return decision.choices.get(value, str(value))
    return str(value)


def subject_words(name: str, vocabulary: Vocabulary, wording: dict[str, Any] | None = None) -> str:
    """What a fact or decision is about, for sentences like 'X is not known' (the exam
    outline's question where it has its own)."""
    fact = vocabulary.fact(name)
    if fact is not None:
        own = (wording or {}).get(name)
        return own.question if own is not None and own.question else fact.question
    decision = vocabulary.decision(name)
    return decision.title if decision is not None else name


def ask_text(decision: DecisionSpec) -> str:
    """The question asked when the exam outline gives no stem for a decision."""
    return f"{decision.title}: which should you choose?"


COMPANIES = ("Contoso", "Fabrikam", "Northwind Traders", "Adventure Works", "Tailwind Traders",
             "Wide World Importers", "Proseware", "Litware", "Woodgrove Bank", "Alpine Ski House")


def scenario_text(facts: dict[str, Any], vocabulary: Vocabulary, wording: dict[str, Any] | None = None) -> str:
    """The scenario as a short case study in prose: the company, then what its team told you,
    each fact as the vocabulary's question and answer (never `key: value`), or in the exam
    outline's words where the vocabulary's would name an answer."""
    lines = [(subject_words(spec.name, vocabulary, wording),
              value_words(spec.name, facts[spec.name], vocabulary, wording))
             for spec in vocabulary.facts if spec.name in facts]
    seed = sum(ord(c) for q, a in lines for c in q + a)
    company = COMPANIES[seed % len(COMPANIES)]
    told = " ".join(f"{_sentence(asked)} {_sentence(answer)}" for asked, answer in lines)
    return f"You are advising {company}. You ask its team about the project. {told}"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith(("?", ".", "!")) else text + "."


def stem_text(decision: DecisionSpec, item: Any, keys: int = 1) -> str:
    """The question asked, about Azure: the outline's stem, with "choose N" for several keys."""
    stem = item.stem if item is not None else f"{decision.title}: which should you choose?"
    if keys > 1:
        words = {2: "two", 3: "three"}.get(keys, str(keys))
        stem += f" Each correct answer presents part of the solution. Choose {words}."
    return stem
