"""One rule explained for people (`advisor rules show`)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import outline
from advisor.knowledge.rules import Rule


def render_rule(rule: Rule, knowledge: KnowledgeBase, console: Console) -> None:
    section = knowledge.guide.section(rule.section)
    unit = knowledge.guide.unit(rule.source)
    console.print(f"[bold]{rule.id}[/]: {escape(rule.title)}")
    console.print(f"section:  {escape(section.heading)}")
    console.print(f"area:     {rule.area} (rules/{rule.file})")
    console.print(f"priority: {rule.priority}   specificity: {rule.specificity}   strength: {rule.strength}")
    console.print("\n[bold]When[/]")
    for line in outline(rule.condition, "  "):
        console.print(escape(line))
    console.print("\n[bold]Then[/]")
    c = rule.conclusion
    if c.kind == "recommend":
        decision = knowledge.vocabulary.decision(c.name)
        console.print(f"  recommend {c.name} = {c.value} ({escape(decision.choices[c.value])})")
    else:
        console.print("  " + escape(c.describe()))
    console.print("\n[bold]Because[/]")
    console.print("  " + escape(rule.because))
    console.print("\n[bold]Source[/]")
    console.print(f"  {escape(unit.title) if unit else ''}\n  {rule.source}")
