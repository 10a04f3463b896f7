"""The rule catalogue: `advisor rules list` (table, tab-separated, JSON) and `rules show`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import describe, outline
from advisor.knowledge.rules import Example, Rule
from advisor.knowledge.vocabulary import value_text
from advisor.presentation.escape.json import json_document
from advisor.presentation.escape.terminal import markup, visible

LIST_COLUMNS = ("id", "section", "then", "title")


def rule_as_json(rule: Rule) -> dict[str, Any]:
    c = rule.conclusion
    return {
        "id": rule.id, "title": rule.title, "section": rule.section, "area": rule.area,
        "source": rule.source, "priority": rule.priority, "strength": rule.strength,
        "when": describe(rule.condition),
        "then": {"kind": c.kind, "name": c.name, "value": c.value,
                 **{key: list(names) for key in ("withholds", "contests")
                    if (names := getattr(c, key))}},
        **({"ranked_by": {"quote": rule.ranked_by[0], "url": rule.ranked_by[1]}} if rule.ranked_by else {}),
        "because": rule.because,
        "examples": {kind: [{k: list(v) if isinstance(v, tuple) else v for k, v in e.facts.items()}
                            for e in getattr(rule.examples, kind)]
                     for kind in ("fires", "does_not_fire")},
    }


def render_list_json(rules: Sequence[Rule]) -> str:
    return json_document([rule_as_json(r) for r in rules])


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
    for label, names in (("withholds (picks nothing for)", c.withholds), ("contests", c.contests)):
        if names:
            titles = [markup(knowledge.vocabulary.decision(n).title) for n in names]  # type: ignore[union-attr]
            console.print(f"  {label}: " + ", ".join(titles), soft_wrap=False)
    for entry_id in knowledge.guards().get(rule.id, ()):
        entry = knowledge.scope_entry(entry_id)
        assert entry is not None
        console.print(f"  set aside when {markup(entry.when)} ({entry_id}: {markup(entry.title)})", soft_wrap=False)
    if rule.ranked_by:
        console.print(f"  ranked (priority {rule.priority}) by: \"{markup(rule.ranked_by[0])}\" {rule.ranked_by[1]}",
                      soft_wrap=False)
    console.print("\n[bold]Because[/]")
    console.print("  " + markup(rule.because))
    console.print("\n[bold]Source[/]")
    console.print(f"  {markup(unit.title) if unit else ''}\n  {markup(rule.source)}", soft_wrap=True)
    _render_examples(rule, console)


def example_text(example: Example) -> str:
    """An example's facts the way the examples file writes them: {fact: value, ...}."""
    return "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in example.facts.items()) + "}"


def _render_examples(rule: Rule, console: Console) -> None:
    """Like ruff's Example section: facts that make the rule fire, and near misses that don't."""
    examples = rule.examples
    console.print("\n[bold]Examples[/]" + (f" (rules/{markup(examples.file)})" if examples.file else ""))
    if not examples:
        console.print("  none yet: add them to rules/" + markup(rule.file.removesuffix(".yaml")) + ".examples.yaml")
        return
    for heading, items in (("Fires on", examples.fires), ("Does not fire on (near misses)", examples.does_not_fire)):
        if items:
            console.print(f"  {heading}:")
            for example in items:
                console.print("    " + markup(example_text(example)))
