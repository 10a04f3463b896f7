"""Drill output with rich: questions, feedback, the session summary and the progress tables."""

from __future__ import annotations

import datetime as dt

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from advisor.drill.feedback import Feedback, split_answer
from advisor.drill.questions import ORDERING, OTHER, DrillQuestion
from advisor.drill.schedule import TOP_BOX
from advisor.drill.session import SessionSummary
from advisor.drill.stats import RECENT, AreaStats, DrillStats
from advisor.drill.wording import value_words
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
    kind = f"review, box {question.box} of {TOP_BOX}" if question.box else "new"
    where = f"Domain {question.domain}, skill {question.skill}" if question.domain else _heading(question, knowledge)
    console.print()
    console.rule(f"[bold]Question {number} of {total}[/]  [dim]{escape(where)} · {kind}[/]", align="left")
    if question.scenario:
        console.print(Text(visible(question.scenario)))
    if question.snippet:
        console.print(Text(visible(question.snippet), style="cyan"))
    if list_options or question.kind == ORDERING:  # otherwise the prompt shows the question and its options
        console.print(Text(visible(question.stem), style="bold cyan"))
        for i, option in enumerate(question.options, 1):
            name = f" [dim]({escape(option)})[/]" if _typed_name(question, option) else ""
            console.print(f"  {i}. {escape(question.label(option))}{name}", soft_wrap=True)


def _typed_name(question: DrillQuestion, option: str) -> bool:
    """Whether to show an option's name beside its label: a short name one can type as an answer."""
    return option != question.label(option) and not option.startswith(OTHER) and question.kind != ORDERING


def _heading(question: DrillQuestion, knowledge: KnowledgeBase) -> str:
    section = knowledge.guide.section(question.section) if question.section in knowledge.guide.section_ids else None
    return section.heading if section else question.section


def answer_words(question: DrillQuestion, answer: str) -> str:
    """An answer string in the options' labels."""
    parts = split_answer(question, answer)
    joiner = " → " if question.kind == ORDERING else " and "
    return joiner.join(question.label(p) for p in parts)


def render_feedback(console: Console, feedback: Feedback, knowledge: KnowledgeBase) -> None:
    question = feedback.question
    key = answer_words(question, question.key_text)
    if feedback.correct:
        console.print(f"[bold green]✔ Right:[/] {escape(key)}")
    else:
        console.print(f"[bold red]✘ Wrong:[/] you chose {escape(answer_words(question, feedback.chosen))}; "
                      f"the right answer is [bold]{escape(key)}[/]")
    if question.notes:
        options = Tree("[bold]Each option[/]")
        for option in question.options:
            mark = "[green]✔[/]" if option in question.answer_keys else "[red]✘[/]"
            options.add(f"{mark} [bold]{escape(question.label(option))}[/]: {escape(question.note(option))}")
        console.print(options)
    if feedback.derivation:
        tree = Tree("[bold]Why[/]")
        for node in feedback.derivation:
            _add_node(tree, node, knowledge)
        console.print(tree)
    if feedback.warnings:
        notes = Tree("[bold yellow]Also note[/]")
        for warning in feedback.warnings:
            notes.add(f"[cyan]{warning.rule_id}[/]: {escape(warning.message)}")
        console.print(notes)
    if question.source:
        unit = knowledge.guide.unit(question.source)
        title = f"{unit.title}: " if unit else ""
        console.print(f"[dim]Read: {escape(title)}{question.source}[/]", soft_wrap=True)
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
    if stats.domains:
        console.print(_area_table("By exam domain", "Domain", stats.domains))
    if stats.queues:
        queue = Table("Domain", "Due today", *(f"Box {b}" for b in range(1, TOP_BOX + 1)), "Mastered",
                      box=box.SIMPLE_HEAD, title="Review queue", title_justify="left")
        for q in stats.queues:
            queue.add_row(f"{q.domain}. {escape(q.title)}", str(q.due_today), *(str(n) for n in q.boxes),
                          str(q.mastered))
        console.print(queue)
    if stats.skills:
        console.print(_area_table("By exam skill, weakest first", "Skill", stats.skills))
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


# --- mock exam ----------------------------------------------------------------------------

def render_exam_result(console: Console, result, knowledge: KnowledgeBase) -> None:
    console.print()
    ended = "time is up" if result.timed_out else "ended early" if result.interrupted else "complete"
    console.rule(f"[bold]Exam {ended}[/]", align="left")
    verdict = "[bold green]PASS[/]" if result.passed else "[bold red]FAIL[/]"
    minutes, seconds = divmod(round(result.seconds), 60)
    console.print(f"Score: [bold]{result.score}[/] of 1000 ({result.passing_score} to pass)  {verdict}   "
                  f"Right: {result.correct}/{result.questions} (answered {result.answered})   "
                  f"Time: {minutes}m {seconds:02d}s   Seed: {result.seed}")
    table = Table("Domain", "Questions", "Right", box=box.SIMPLE_HEAD, title="By exam domain", title_justify="left")
    for domain in result.domains:
        fraction = domain.correct / domain.asked if domain.asked else 0.0
        table.add_row(f"{domain.number}. {escape(domain.title)}", str(domain.asked),
                      bar_with_percent(fraction) if domain.asked else Text("-"))
    console.print(table)
    if result.wrong:
        console.rule("[bold]Review of wrong answers[/]", align="left")
        for number, feedback in enumerate(result.wrong, 1):
            question = feedback.question
            console.print()
            console.print(f"[bold]{number}.[/] {escape(question.stem)}")
            if question.scenario:
                console.print(Text(visible(question.scenario), style="dim"))
            if question.snippet:
                console.print(Text(visible(question.snippet), style="cyan"))
            render_feedback(console, feedback, knowledge)


# --- export ---------------------------------------------------------------------------------

def export_text(records, kind: str) -> str:
    """`jsonl`: one object a line; `csv`: Anki's front and back (HTML fields, with a header)."""
    import csv
    import html
    import io
    import json

    if kind == "jsonl":
        return "".join(json.dumps(r.as_dict(), ensure_ascii=False) + "\n" for r in records)
    out = io.StringIO()
    out.write("#separator:Comma\n#html:true\n#columns:Front,Back\n")
    writer = csv.writer(out, lineterminator="\n")
    letters = "ABCDEFGHIJ"

    def lines(text: str) -> str:
        return "<br>".join(html.escape(line) for line in text.splitlines())

    for r in records:
        front = lines(r.question) + "<br><br>" + "<br>".join(
            f"{letters[i]}. {html.escape(o)}" for i, o in enumerate(r.options))
        key = (" → " if r.kind == "ordering" else ", ").join(letters[i] for i in r.answers)
        back = (f"<b>{html.escape(key)}</b><br><br>" + lines(r.explanation)
                + f"<br><br>Domain {r.domain}, skill {html.escape(r.skill)}<br>{html.escape(r.source)}")
        writer.writerow([_no_formula(front), _no_formula(back)])
    return out.getvalue()


def _no_formula(cell: str) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula: quote it."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell
