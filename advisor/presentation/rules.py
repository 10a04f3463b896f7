"""The rule catalogue: `advisor rules list` (table, tab-separated, JSON) and `rules show`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import describe, outline
from advisor.knowledge.rules import Rule
from advisor.presentation.escape.terminal import markup, visible

LIST_COLUMNS = ("id", "section", "then", "title")


def rule_as_json(rule: Rule) -> dict[str, Any]:
    c = rule.conclusion
    return {
        "id": rule.id, "title": rule.title, "section": rule.section, "area": rule.area,
        "source": rule.source, "priority": rule.priority, "strength": rule.strength,
        "when": describe(rule.condition),
        "then": {"kind": c.kind, "name": c.name, "value": c.value},
        "because": rule.because,
    }


def render_list_json(rules: Sequence[Rule]) -> str:
    return json.dumps([rule_as_json(r) for r in rules], indent=2, ensure_ascii=False) + "\n"


def _row(rule: Rule) -> tuple[str, ...]:
    return (rule.id, rule.section, rule.conclusion.kind, rule.title)


def render_list_table(rules: Sequence[Rule], console: Console) -> None:
    """For a terminal: a table sized to its width."""
    table = Table(*LIST_COLUMNS, title=f"{len(rules)} rules")
    for rule in rules:
        table.add_row(*(markup(cell, one_line=True) for cell in _row(rule)))
    console.print(table)


def render_list_plain(rules: Sequence[Rule]) -> str:
    """For a pipe or a file: tab-separated, one rule a line, nothing cut off."""
    lines = ["\t".join(LIST_COLUMNS)]
    lines += ["\t".join(visible(cell, one_line=True) for cell in _row(rule)) for rule in rules]
    return "\n".join(lines) + "\n"


def render_rule(rule: Rule, knowledge: KnowledgeBase, console: Console) -> None:
    """One rule explained for people, in the spirit of `ruff rule CODE`."""
    section = knowledge.guide.section(rule.section)
    unit = knowledge.guide.unit(rule.source)
    console.print(f"[bold]{rule.id}[/]: {markup(rule.title)}")
    console.print(f"section:  {markup(section.heading)}")
    console.print(f"area:     {rule.area} (rules/{markup(rule.file)})")
    console.print(f"priority: {rule.priority}   specificity: {rule.specificity}   strength: {rule.strength}")
    console.print("\n[bold]When[/]")
    for line in outline(rule.condition, "  "):
        console.print(markup(line))
    console.print("\n[bold]Then[/]")
    c = rule.conclusion
    if c.kind == "recommend":
        decision = knowledge.vocabulary.decision(c.name)
        console.print(f"  recommend {c.name} = {c.value} ({markup(decision.choices[c.value])})")
    else:
        console.print("  " + markup(c.describe()))
    console.print("\n[bold]Because[/]")
    console.print("  " + markup(rule.because))
    console.print("\n[bold]Source[/]")
    console.print(f"  {markup(unit.title) if unit else ''}\n  {markup(rule.source)}", soft_wrap=True)
