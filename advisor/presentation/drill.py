"""Drill output with rich: questions, feedback, the session summary and the progress tables."""

from __future__ import annotations

import datetime as dt

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from advisor.drill.feedback import Feedback
from advisor.drill.questions import DrillQuestion
from advisor.drill.schedule import TOP_BOX
from advisor.drill.session import SessionSummary
from advisor.drill.stats import RECENT, AreaStats, DrillStats
from advisor.drill.wording import ask_text, scenario_lines, value_words
from advisor.engine.results import DerivationNode
from advisor.knowledge import KnowledgeBase
from advisor.presentation.escape.terminal import markup as escape
from advisor.presentation.escape.terminal import visible
from advisor.presentation.words import count

BAR_WIDTH = 10


def bar(fraction: float, width: int = BAR_WIDTH) -> Text:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    style = "green" if fraction >= 0.8 else "yellow" if fraction >= 0.5 else "red"
    return Text("█" * filled, style=style) + Text("░" * (width - filled), style="dim")


def percent(fraction: float) -> str:
    return f"{fraction * 100:.0f}%"


def bar_with_percent(fraction: float) -> Text:
    return bar(fraction) + Text(f" {percent(fraction):>4}")


def render_question(console: Console, question: DrillQuestion, number: int, total: int,
                    knowledge: KnowledgeBase, *, list_options: bool) -> None:
    vocabulary = knowledge.vocabulary
    spec = vocabulary.decision(question.decision)
    heading = knowledge.guide.section(question.section).heading
    kind = f"review, box {question.box} of {TOP_BOX}" if question.box else "new"
    console.print()
    console.rule(f"[bold]Question {number} of {total}[/]  [dim]{escape(heading)} · {kind}[/]", align="left")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column(style="bold")
    for asked, answer in scenario_lines(question.facts, vocabulary):
        facts.add_row(escape(asked), escape(answer))
    console.print(facts)
    if list_options:  # otherwise the prompt shows the question and its options
        console.print(Text(ask_text(spec), style="bold cyan"))
        for i, choice in enumerate(question.options, 1):
            console.print(f"  {i}. {escape(spec.choices[choice])} [dim]({choice})[/]")


def render_feedback(console: Console, feedback: Feedback, knowledge: KnowledgeBase) -> None:
    question = feedback.question
    vocabulary = knowledge.vocabulary
    correct_label = value_words(question.decision, question.correct, vocabulary)
    if feedback.correct:
        console.print(f"[bold green]✔ Right:[/] {escape(correct_label)}")
    else:
        chosen_label = value_words(question.decision, feedback.chosen, vocabulary)
        console.print(f"[bold red]✘ Wrong:[/] you chose {escape(chosen_label)}; "
                      f"the advisor recommends [bold]{escape(correct_label)}[/]")
    tree = Tree("[bold]Why[/]")
    for node in feedback.derivation:
        _add_node(tree, node, knowledge)
    console.print(tree)
    if feedback.why_not:
        why = Tree(f"[bold]Why not {escape(value_words(question.decision, feedback.chosen, vocabulary))}[/]")
        for reason in feedback.why_not:
            why.add(escape(reason))
        console.print(why)
    if feedback.warnings:
        notes = Tree("[bold yellow]The advisor also warns[/]")
        for warning in feedback.warnings:
            notes.add(f"[cyan]{warning.rule_id}[/]: {escape(warning.message)}")
        console.print(notes)
    if question.description:  # shown after the answer: library descriptions often give it away
        console.print(Text("About this scenario: " + visible(question.description), style="dim italic"))


def _add_node(parent: Tree, node: DerivationNode, knowledge: KnowledgeBase) -> None:
    rule = knowledge.rule(node.rule_id)
    branch = parent.add(f"[cyan]{node.rule_id}[/]: {escape(rule.title)}")
    branch.add(Text(rule.because, style="italic"))
    shown = set()
    for evidence in node.facts:
        if evidence.from_user and evidence.name not in shown:  # a fact two tests read is shown once
            shown.add(evidence.name)
            fact = knowledge.vocabulary.fact(evidence.name)
            asked = fact.question if fact else evidence.name
            answer = value_words(evidence.name, evidence.value, knowledge.vocabulary)
            branch.add(f"[dim]given:[/] {escape(asked)} {escape(answer)}")
    unit = knowledge.guide.unit(rule.source)
    branch.add(f"[dim]read: {escape(unit.title if unit else '')} {rule.source}[/]")
    for child in node.children:
        _add_node(branch, child, knowledge)


def render_summary(console: Console, summary: SessionSummary, knowledge: KnowledgeBase) -> None:
    console.print()
    ended = "ended early" if summary.interrupted else "complete"
    console.rule(f"[bold]Session {ended}[/]", align="left")
    if summary.ran_out:
        console.print("[yellow]No more distinct questions for this selection; the session is shorter.[/]")
    minutes, seconds = divmod(round(summary.seconds), 60)
    console.print(f"Score: [bold]{summary.correct}/{summary.asked}[/] ({percent(summary.accuracy)})"
                  f"   Time: {minutes}m {seconds:02d}s   Seed: {summary.seed}")
    if summary.sections:
        table = Table("Section", "Score", "", box=box.SIMPLE_HEAD, title="By section", title_justify="left")
        for score in summary.sections:
            fraction = score.correct / score.asked
            table.add_row(score.heading, f"{score.correct}/{score.asked}", bar_with_percent(fraction))
        console.print(table)
    if summary.weakest:
        console.print("[bold]Weakest topics to re-read:[/]")
        for topic in summary.weakest:
            console.print(f"  • {escape(topic.title)} ({topic.decision}): missed {topic.missed} of "
                          f"{topic.asked}; {percent(topic.accuracy_overall)} right overall")
            for unit in topic.units:
                console.print(f"      {escape(unit.title)}: {unit.url}", soft_wrap=True)
    elif summary.asked:
        console.print("[green]No missed topics this session.[/]")


def render_stats(console: Console, stats: DrillStats, where: str) -> None:
    if not stats.answered:
        console.print(f"No drill answers yet in {escape(where)}. Start with `advisor drill`.")
        return
    console.print(f"[bold]{count(stats.answered, 'answer')}[/] in {count(stats.sessions, 'session')}, "
                  f"[bold]{percent(stats.accuracy)}[/] right   [dim]{escape(where)}[/]")
    console.print(_area_table("By section, weakest first", "Section", stats.sections))
    console.print(_area_table("By decision, weakest first", "Decision", stats.decisions))
    timeline = Table("Day", "Answers", "Right", box=box.SIMPLE_HEAD, title="Over time", title_justify="left")
    for day in stats.days:
        timeline.add_row(day.day, str(day.answered), bar_with_percent(day.accuracy))
    console.print(timeline)


def _area_table(title: str, what: str, rows: tuple[AreaStats, ...]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    longest = max((len(visible(row.label)) for row in rows), default=0)
    table.add_column(what, min_width=min(longest, 32))  # a name stays whole on an 80-column screen
    for header in ("Answers", "Right", f"Last {RECENT}", "Trend", "Last"):
        table.add_column(header, no_wrap=True)
    for row in rows:
        change = row.recent_accuracy - row.accuracy
        trend = "↑" if change > 0.05 else "↓" if change < -0.05 else "="
        when = dt.datetime.fromtimestamp(row.last_answered_at).strftime("%Y-%m-%d")
        table.add_row(row.label, str(row.answered), bar_with_percent(row.accuracy),
                      percent(row.recent_accuracy), trend, when)
    return table
