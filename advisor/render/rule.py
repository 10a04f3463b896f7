"""One rule explained for people (`advisor rules show`)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import outline
from advisor.knowledge.rules import Example, Rule
from advisor.knowledge.vocabulary import value_text


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
    _render_examples(rule, console)


def example_text(example: Example) -> str:
    """An example's facts the way the examples file writes them: {fact: value, ...}."""
    return "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in example.facts.items()) + "}"


def _render_examples(rule: Rule, console: Console) -> None:
    """Like ruff's Example section: facts that make the rule fire, and near misses that don't."""
    examples = rule.examples
    console.print("\n[bold]Examples[/]" + (f" (rules/{examples.file})" if examples.file else ""))
    if not examples:
        console.print("  none yet: add them to rules/" + rule.file.removesuffix(".yaml") + ".examples.yaml")
        return
    for heading, items in (("Fires on", examples.fires), ("Does not fire on (near misses)", examples.does_not_fire)):
        if items:
            console.print(f"  {heading}:")
            for example in items:
                console.print("    " + escape(example_text(example)))
