"""What the consultation prints between questions: help, WHY answers and the running tally (rich).

WHY comes in two sizes. The short one (MYCIN's: the rule this answer would decide) fits
in six lines of plain words: what each answer settles, with the guide unit it comes from.
Asked again, the long one lists every rule waiting on the answer, with its condition.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from advisor.engine.results import Consultation
from advisor.interactive.planner import OneAnswerAway, QuestionPlan
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import All, Condition, FactRef, Leaf, describe_leaf, evaluate
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


def unit_title(rule: Rule, knowledge: KnowledgeBase) -> str:
    unit = knowledge.guide.unit(rule.source)
    return unit.title if unit is not None else rule.source


def short_label(text: str) -> str:
    """A value's label without its explanation: "Large (too big ...)" -> "Large"."""
    return text.split(" (")[0].strip()


def _either(labels: list[str]) -> str:
    if len(labels) > 3:
        labels = labels[:2] + [f"{len(labels) - 2} others"]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def answer_words(fact: FactSpec, leaf: Leaf, knowledge: KnowledgeBase) -> str:
    """The answers that pass `leaf`, in the vocabulary's words: "Yes", "Small or Medium"."""
    op, operand = leaf.op, leaf.operand
    if fact.type == "bool":
        return "yes" if (op == "eq") == bool(operand) else "no"
    if fact.type == "number":
        words = {"gt": "more than", "ge": "at least", "lt": "less than", "le": "at most", "eq": "exactly",
                 "ne": "anything but"}[op]
        if isinstance(operand, FactRef):
            other = knowledge.vocabulary.fact(operand.name)
            what = other.unit if other is not None and other.unit else "the other number"
            return f"{words} {operand.times:g} × the {what}"
        unit = f" {fact.unit}" if fact.unit else ""
        return f"{words} {operand:g}{unit}"
    values = operand if isinstance(operand, tuple) else (operand,)
    labels = [short_label(fact.values.get(v, str(v))) for v in values]
    if fact.type == "choice":
        if op in ("eq", "in"):
            return _either(labels)
        return "anything but " + _either(labels)
    return {"contains_any": "any of " + _either(labels),
            "contains_none": "none of " + _either(labels),
            "contains_only": "only " + _either(labels),
            "contains_other_than": "anything besides " + _either(labels)}[op]


def outcome_words(rule: Rule, knowledge: KnowledgeBase) -> str | None:
    """What firing the rule gives, in plain words; None for a derived fact (no plain title)."""
    c = rule.conclusion
    if c.kind == "recommend":
        spec = knowledge.vocabulary.decision(c.name or "")
        if spec is not None:
            return f"{spec.title}: {short_label(spec.choices.get(c.value, c.value))}"
    if c.kind == "warn":
        message = " ".join(str(c.value).split())
        first = message.split(". ")[0].rstrip(".")
        return "a warning: " + (first if len(first) <= 60 else first[:57] + "...")
    return None


def subject_title(rule: Rule, knowledge: KnowledgeBase) -> str | None:
    c = rule.conclusion
    if c.kind == "warn":
        return "a warning"
    spec = knowledge.vocabulary.decision(c.name or "")
    return spec.title if spec is not None else None


def why_short_lines(fact: FactSpec, plan: QuestionPlan, knowledge: KnowledgeBase) -> list[str]:
    """At most six lines of plain words (rich markup): what an answer to `fact` can settle."""
    settling: list[OneAnswerAway] = list(plan.settles(fact.name))
    groups: dict[str, list[OneAnswerAway]] = {}
    for item in settling:
        if outcome_words(item.rule, knowledge) is not None:
            groups.setdefault(answer_words(fact, item.leaf, knowledge), []).append(item)
    waiting = plan.waiting_on(fact.name)
    touched = [item.rule for item in waiting]
    for item in waiting:
        touched.extend(r for rid in item.serves if (r := knowledge.rule(rid)) is not None)
    settled_now = {subject_title(item.rule, knowledge) for items in groups.values() for item in items}
    later = []
    for rule in touched:
        title = subject_title(rule, knowledge)
        if title is not None and title not in settled_now and title not in later:
            later.append(title)
    later.sort(key=lambda title: title == "a warning")
    lines = []
    if groups:
        count = len({t for t in settled_now if t != "a warning"})
        what = f"{count} decision{'s' if count != 1 else ''}" if count else "a warning"
        lines.append(f"[bold]Why ask this?[/] Your answer can settle {what} now:")
        # Six lines in all, the hint last: with a line for later answers, one answer fewer.
        shown = len(groups) if len(groups) <= 3 else (2 if later else 3)
        for answer, items in list(groups.items())[:shown]:
            outcomes: list[str] = []
            for item in items:
                words = outcome_words(item.rule, knowledge)
                if words is not None and words not in outcomes:
                    outcomes.append(words)
            more = f", and {len(outcomes) - 1} more" if len(outcomes) > 1 else ""
            lines.append(f"  • If {escape(answer)}, the guide recommends {escape(outcomes[0])}{more} "
                         f"[dim]({escape(unit_title(items[0].rule, knowledge))})[/]")
        if len(groups) > shown:
            lines.append(f"  • Other answers settle other things ({len(groups) - shown} more).")
    else:
        lines.append("[bold]Why ask this?[/] On its own your answer settles nothing yet; "
                     "together with later answers it can.")
    if later:
        names = ", ".join(later[:3]) + (f" and {len(later) - 3} more" if len(later) > 3 else "")
        lines.append(f"  With other answers it also bears on: {escape(names)}.")
    noun = "rule" if len(waiting) == 1 else "rules"
    lines.append(f"  [dim]Press w again for the {len(waiting)} {noun} waiting on this answer.[/]")
    return lines


def show_why_short(console: Console, fact: FactSpec, plan: QuestionPlan, knowledge: KnowledgeBase) -> None:
    console.print()
    for line in why_short_lines(fact, plan, knowledge):
        console.print(line, soft_wrap=True)  # one line each, however narrow the terminal
    console.print()


def why_checklist_lines(facts: list[FactSpec], plan: QuestionPlan, knowledge: KnowledgeBase) -> list[str]:
    """At most six lines: for each statement, what a yes to it can settle."""
    lines = ["[bold]Why ask these?[/] Each yes can settle something; a no settles nothing a don't know would not."]
    shown = facts[:4]  # with the heading and the last line (the hint), six lines
    for fact in shown:
        outcomes = [w for item in plan.settles(fact.name) if (w := outcome_words(item.rule, knowledge)) is not None]
        if outcomes:
            more = f", and {len(outcomes) - 1} more" if len(outcomes) > 1 else ""
            what = f"If yes, the guide recommends {outcomes[0]}{more}"
        else:
            what = "On its own a yes settles nothing yet; with later answers it can."
        lines.append(f"  • {escape(fact.question)} {escape(what)}")
    if len(shown) < len(facts):
        lines.append(f"  • and {len(facts) - len(shown)} more.  [dim]Press w again for every rule waiting on them.[/]")
    else:
        lines.append("  [dim]Press w again for every rule waiting on them.[/]")
    return lines


def show_why_checklist(console: Console, facts: list[FactSpec], plan: QuestionPlan, knowledge: KnowledgeBase) -> None:
    console.print()
    for line in why_checklist_lines(facts, plan, knowledge):
        console.print(line, soft_wrap=True)
    console.print()


def show_why(console: Console, fact: FactSpec, plan: QuestionPlan, knowledge: KnowledgeBase) -> None:
    """Every rule waiting on `fact`, with its condition marked and its source."""
    waiting = plan.waiting_on(fact.name)
    console.print()
    console.print(f"[bold]Every rule waiting on this answer[/] [dim]({escape(fact.name)})[/] {escape(fact.help)}")
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
        # The URL on a line of its own and never wrapped, so it stays one clickable address.
        console.print(f"      [dim]source: {escape(unit_title(rule, knowledge))}[/]")
        console.print(f"      [dim]{escape(rule.source)}[/]", soft_wrap=True)
    console.print()


def show_help(console: Console, fact: FactSpec) -> None:
    """The fact's help under the heading, so the question explains itself (e.g. what "large" means),
    then what earlier answers add (`FactSpec.as_asked`)."""
    if fact.help:
        console.print(f"[dim]{escape(fact.help)}[/]")
    for note in fact.notes:
        console.print(f"[cyan]Given your answers:[/] {escape(note)}")


def show_answer(console: Console, fact: FactSpec, value: Any) -> None:
    """Echo a checkbox answer by its values (the prompt itself is erased when done)."""
    answer = "Don't know" if value is None else fact.describe_value(value)
    console.print(f"[bold]?[/] {escape(fact.question)} [cyan]{escape(answer)}[/]")


def show_checklist_answer(console: Console, facts: list[FactSpec], values: dict[str, Any]) -> None:
    """Echo a checklist: the statements answered yes, and how many no (or don't know)."""
    if all(v is None for v in values.values()):
        console.print(f"[bold]?[/] Which of these apply? [cyan]don't know ({len(facts)} questions)[/]")
        return
    yes = [f for f in facts if values[f.name]]
    for fact in yes:
        console.print(f"[bold]?[/] {escape(fact.question)} [cyan]Yes[/]")
    others = len(facts) - len(yes)
    if others:
        console.print(f"[bold]?[/] [cyan]No[/] to the {'other ' if yes else ''}{others} "
                      f"question{'s' if others != 1 else ''} of the checklist")


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


LONG_SHOTS = "[bold]The best question left is a long shot[/] and your last answers told nothing new."


def show_still_open(console: Console, plan: QuestionPlan, knowledge: KnowledgeBase, headline: str = LONG_SHOTS) -> None:
    """What answering on could still change, before the offer to stop there (`headline`: why)."""
    vocabulary = knowledge.vocabulary
    still = plan.still_open()

    def titles(names: tuple[str, ...]) -> str:
        return "; ".join(escape(vocabulary.decision(n).title) for n in names)  # type: ignore[union-attr]

    console.print()
    console.print(headline)
    if still.undecided:
        console.print(f"Still open ({len(still.undecided)}): {titles(still.undecided)}")
    if still.could_change:
        console.print(f"Recommended, but a later answer could still change ({len(still.could_change)}): "
                      f"{titles(still.could_change)}")
    if still.warnings:
        console.print(f"[dim]{len(still.warnings)} warnings could still be raised.[/]")
    console.print()


def area_words(title: str) -> str:
    """A rule file's title as words in a sentence: "Data - datastores and data assets" ->
    "Data (datastores and data assets)"."""
    name, dash, rest = title.partition(" - ")
    return f"{name} ({rest})" if dash else title


def show_intro(console: Console, focus: str | None, knowledge: KnowledgeBase, prefilled: int,
               resumed: int) -> None:
    if focus:
        console.print("[bold]Azure Machine Learning consultation on one area: "
                      f"{escape(area_words(knowledge.areas[focus]))}[/]")
    else:
        console.print("[bold]Azure Machine Learning consultation[/]")
    console.print("The question that can settle the most comes first; only questions whose answer can "
                  "still change a recommendation are asked. Every question offers [bold]Don't know[/], "
                  "[bold]Why are you asking?[/] (w), [bold]Show the report so far[/] (r) and, after the "
                  "first, [bold]Back[/] (b). Ctrl-C stops and keeps your answers.")
    if prefilled:
        console.print(f"[dim]{prefilled} facts taken from the answers file.[/]")
    if resumed:
        console.print(f"[dim]Resuming with {resumed} answers given earlier.[/]")
    console.print()


def show_section(console: Console, heading: str) -> None:
    console.rule(f"[bold]{escape(heading)}[/]", align="left")


