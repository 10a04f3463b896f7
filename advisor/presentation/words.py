"""Values, conclusions and facts in words, for every format. The canonical value text
(`true`, `[a, b]`, `20`) is knowledge.vocabulary.value_text and a condition in words is
knowledge.conditions.describe; this module adds the wording reports put around them."""

from __future__ import annotations

from typing import Any

from advisor.knowledge.vocabulary import Vocabulary, value_text

KIND_LABEL = {"caution": "caution", "sources_disagree": "sources disagree", "contested": "rules disagree"}


def warning_kind(kind: str) -> str:
    return KIND_LABEL.get(kind, kind)


def count(n: int, noun: str) -> str:
    """'1 rule', '3 rules'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def fact_in_words(name: str, value: Any, vocabulary: Vocabulary) -> tuple[str, str]:
    """(the vocabulary's question, the answer in its value labels) for a fact a user gave."""
    spec = vocabulary.fact(name)
    if spec is None:
        return name, value_text(value)
    # Labels start with a capital, or are an Azure ML literal kept as written (uri_file).
    return spec.question, spec.describe_value(value) if value is not None else "Not given"
