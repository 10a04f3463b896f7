"""What the consultation prints between questions: WHY answers and the running tally (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from advisor.engine.results import Consultation
from advisor.interactive.planner import QuestionPlan
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import All, Condition, Leaf, describe_leaf, evaluate
from advisor.knowledge.rules import Rule
from advisor.knowledge.vocabulary import FactSpec

MARKS = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[yellow]?[/]"}


def conclusion_text(rule: Rule, knowledge: KnowledgeBase) -> str:
    c = rule.conclusion
    if c.kind == "recommend":
        spec = knowledge.vocabulary.decision(c.name or "")
        if spec is not None:
            return f"recommend {spec.title}: {spec.choices.get(c.value, c.value)}"
    if c.kind == "conclude":
        value = str(c.value).lower() if isinstance(c.value, bool) else c.value
        return f"conclude {c.name} = {value}"
    if c.kind == "warn":
        message = " ".join(str(c.value).split())
        return "warn: " + (message if len(message) <= 110 else message[:107] + "...")
    return c.describe()


def marked_condition(condition: Condition, plan: QuestionPlan) -> str:
    """The condition in words, each test marked true, false or still unknown."""
    if isinstance(condition, Leaf):
        return f"{escape(describe_leaf(condition))} {MARKS[evaluate(condition, plan.lookup)]}"
    joiner = " and " if isinstance(condition, All) else " or "
    parts = [marked_condition(p, plan) if isinstance(p, Leaf) else f"({marked_condition(p, plan)})"
             for p in condition.parts]
    return joiner.join(parts)


def show_why(console: Console, fact: FactSpec, plan: QuestionPlan, knowledge: KnowledgeBase) -> None:
    waiting = plan.waiting_on(fact.name)
    console.print()
    console.print(f"[bold]Why ask this?[/] [dim]({fact.name})[/] {escape(fact.help)}")
    if not waiting:  # cannot happen for a planned question; said plainly rather than hidden
        console.print("  No rule is waiting on this fact any more.")
    else:
        noun = "rule is" if len(waiting) == 1 else "rules are"
        console.print(f"  {len(waiting)} {noun} waiting on it ([green]✓[/] known, [yellow]?[/] not yet):")
    for item in waiting:
        rule = item.rule
        console.print(f"  • [bold cyan]{rule.id}[/] {escape(rule.title)}")
        console.print(f"      if {marked_condition(rule.condition, plan)}")
        console.print(f"      then {escape(conclusion_text(rule, knowledge))}")
        if item.serves:
            feeds = []
            for rule_id in item.serves:
                served = knowledge.rule(rule_id)
                if served is not None:
                    feeds.append(f"{served.id} ({escape(conclusion_text(served, knowledge))})")
            console.print("      which is needed by " + "; ".join(feeds))
        console.print(f"      [dim]because {escape(rule.because)}[/]")
        console.print(f"      [dim]source: {rule.source}[/]")
    console.print()


def _certainty(value: float) -> str:
    return f"{value:.2f}"


def show_tally(console: Console, consultation: Consultation, knowledge: KnowledgeBase,
               after: str) -> None:
    """A compact table of the recommendations so far."""
    vocabulary = knowledge.vocabulary
    table = Table(box=None, show_header=False, padding=(0, 1))
    table.add_column("decision", style="bold")
    table.add_column("choice", style="green")
    table.add_column("certainty", style="dim", justify="right")
    for rec in consultation.recommendations:
        spec = vocabulary.decision(rec.decision)
        assert spec is not None
        flag = " contested" if rec.contested else ""
        table.add_row(escape(spec.title), escape(spec.choices[rec.choice]), _certainty(rec.certainty) + flag)
    console.print()
    if consultation.recommendations:
        console.print(f"[bold]So far, after {escape(after)}:[/]")
        console.print(table)
    else:
        console.print(f"[bold]So far, after {escape(after)}:[/] no recommendation yet.")
    console.print(f"[dim]{len(consultation.recommendations)} recommendations, "
                  f"{len(consultation.warnings)} warnings, "
                  f"{len(consultation.open_decisions)} decisions still open[/]")
    console.print()


def show_intro(console: Console, focus: str | None, knowledge: KnowledgeBase, prefilled: int,
               resumed: int) -> None:
    scope = f"on {escape(knowledge.areas[focus])}" if focus else "on your Azure Machine Learning design"
    console.print(f"[bold]Design consultation {scope}[/]")
    console.print("Only questions whose answer can still change a recommendation are asked. "
                  "Every question offers [bold]Don't know[/], [bold]Why are you asking?[/] "
                  "and (after the first) [bold]Back[/]. Ctrl-C stops and keeps your answers.")
    if prefilled:
        console.print(f"[dim]{prefilled} facts taken from the answers file.[/]")
    if resumed:
        console.print(f"[dim]Resuming with {resumed} answers given earlier.[/]")
    console.print()


def show_section(console: Console, heading: str) -> None:
    console.rule(f"[bold]{escape(heading)}[/]", align="left")


