"""The fact and decision vocabulary (`advisor vocabulary`): tables, tab-separated, JSON."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from advisor.knowledge.vocabulary import DecisionSpec, FactSpec, Vocabulary
from advisor.presentation.escape.json import json_document
from advisor.presentation.escape.terminal import markup, visible

FACT_COLUMNS = ("fact", "type", "values", "question")
DECISION_COLUMNS = ("decision", "choices", "title")


def render_json(vocabulary: Vocabulary) -> str:
    return json_document(vocabulary.as_json())


def _fact_row(fact: FactSpec) -> tuple[str, ...]:
    values = ", ".join(fact.values) if fact.values else fact.allowed()
    return (fact.name, fact.type, values, fact.question)


def _decision_row(decision: DecisionSpec) -> tuple[str, ...]:
    return (decision.name, ", ".join(decision.choices) + (" (several)" if decision.multiple else ""),
            decision.title)


def render_tables(vocabulary: Vocabulary, console: Console) -> None:
    """For a terminal."""
    facts = Table(*FACT_COLUMNS, title="Facts", show_lines=False)
    for fact in vocabulary.input_facts:
        facts.add_row(*(markup(cell) for cell in _fact_row(fact)))
    decisions = Table(*DECISION_COLUMNS, title="Decisions")
    for decision in vocabulary.decisions:
        decisions.add_row(*(markup(cell) for cell in _decision_row(decision)))
    console.print(facts)
    console.print(decisions)


def render_plain(vocabulary: Vocabulary) -> str:
    """For a pipe or a file: two tab-separated tables, full names, nothing cut off."""
    lines = ["\t".join(FACT_COLUMNS)]
    lines += ["\t".join(visible(c, one_line=True) for c in _fact_row(f)) for f in vocabulary.input_facts]
    lines += ["", "\t".join(DECISION_COLUMNS)]
    lines += ["\t".join(visible(c, one_line=True) for c in _decision_row(d)) for d in vocabulary.decisions]
    return "\n".join(lines) + "\n"
