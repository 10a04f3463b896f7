"""The terminal report, with rich. The answer first: the architecture in five lines, the
counts, the warnings; then one row per decision by guide section, each with its reasoning
collapsed to one line (`full=True` draws the derivation trees, the architecture's components,
the facts given and every open decision); the sources last, their URLs whole (links on a
terminal that supports them)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from advisor.knowledge.vocabulary import value_text
from advisor.presentation.consultation import outline
from advisor.presentation.consultation.data import Recommendation, Report, Step, report_summary_line
from advisor.presentation.consultation.diagram import STAGES, build_diagram
from advisor.presentation.escape.terminal import markup, visible
from advisor.presentation.words import count, warning_kind

MARK_STYLE = {"weak": "yellow", "contested": "red"}
WORD_STYLE = {"firm": "green", "likely": "cyan", "weak": "yellow", "contested": "red"}
OPEN_SHOWN = 8


class Sources:
    """Numbered references: lines cite [n], the full URLs are listed once at the end, whole."""

    def __init__(self) -> None:
        self.urls: dict[str, tuple[int, str]] = {}

    def number(self, title: str, url: str) -> int:
        number, _ = self.urls.setdefault(url, (len(self.urls) + 1, title))
        return number

    def cite(self, title: str, url: str) -> str:
        return f"[dim]source \\[{self.number(title, url)}] {markup(title)}[/dim]"

    def render(self, console: Console) -> None:
        if not self.urls:
            return
        console.rule("[bold]Sources[/]", align="left")
        for url, (number, title) in self.urls.items():
            line = Text(f"[{number}] {visible(title)}: ")
            shown = visible(url, one_line=True)
            line.append(shown, style=Style(link=shown))  # OSC 8 on a terminal; plain text in a pipe
            line.no_wrap = True
            line.overflow = "ignore"
            console.print(line, soft_wrap=True)


def certainty_figure(rec: Recommendation) -> str:
    """The certainty and its marks (weak, contested)."""
    text = f"{rec.certainty:.2f}"
    for mark in rec.marks:
        text += f", [{MARK_STYLE[mark]}]{mark}[/]"
    return text


def certainty_text(rec: Recommendation) -> str:
    return f"certainty {certainty_figure(rec)}"


def _word(rec: Recommendation) -> str:
    word = outline.certainty_word(rec)
    return f"[{WORD_STYLE[word]}]{word}[/]"


def render_architecture_summary(report: Report, console: Console) -> None:
    """The recommended architecture in at most five lines, each choice with its certainty word."""
    lines = outline.architecture_summary(report)
    if not lines:
        console.print("[bold]No recommendation[/]: no rule's conditions were met by these facts.")
        return
    console.print("[bold]Recommended architecture[/]")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for line in lines:
        if line.chosen:
            text = " · ".join(f"{markup(rec.label)} ({_word(rec)})" for rec in line.chosen)
            if line.more:
                text += f" [dim]+{line.more} more[/]"
        else:
            text = "[italic dim]open: " + markup(", ".join(line.open)) + "[/]"
        grid.add_row(line.area, text)
    console.print(grid)


def _warnings(report: Report, console: Console, sources: Sources) -> None:
    if not report.warnings:
        return
    console.rule(f"[bold yellow]{count(len(report.warnings), 'Warning')}[/]", align="left")
    for w in report.warnings:
        console.print(Group(
            Text.from_markup(f"[yellow]⚠ {warning_kind(w.kind)}[/] [cyan]{markup(w.rule)}[/]"),
            Padding(Text(visible(w.message)), (0, 0, 0, 2)),
            Padding(Text.from_markup(sources.cite(w.unit, w.source)), (0, 0, 0, 2)),
        ))
    console.print()


def _open_that_matter(report: Report, console: Console, *, full: bool) -> None:
    if not report.open:
        return
    if full:
        console.rule("[bold]Decisions left open[/]", align="left")
        for item in report.open:
            console.print(f"• {markup(item.title)} [dim]({markup(item.decision)})[/]: "
                          f"would be settled by {markup(', '.join(item.settled_by))}")
        console.print()
        return
    matter = [o for o in report.open if o.decision in outline.ARCHITECTURE_DECISIONS]
    rest = len(report.open) - len(matter)
    console.rule("[bold]Open decisions that matter[/]", align="left")
    bullets = Table.grid()
    bullets.add_column(width=2, no_wrap=True)
    bullets.add_column()
    for item in matter[:OPEN_SHOWN]:
        bullets.add_row("•", f"{markup(item.title)}: would be settled by {markup(', '.join(item.settled_by))}")
    console.print(bullets)
    more = len(matter[OPEN_SHOWN:]) + rest
    if more:
        console.print(f"[dim]{count(more, 'other decision')} open (the full report lists them: --full)[/]")
    console.print()


def render_summary(report: Report, console: Console) -> None:
    """`consult --summary` and the `r` key: the architecture, the warnings, the open decisions
    that matter, and the counts."""
    sources = Sources()
    console.print(f"[bold]{markup(report.title)}[/]")
    render_architecture_summary(report, console)
    console.print(f"[dim]{report_summary_line(report)}[/]")
    console.print()
    _warnings(report, console, sources)
    _open_that_matter(report, console, full=False)
    sources.render(console)


def _choices(recs: list[Recommendation]) -> str:
    if len(recs) == 1:
        return f"[bold green]{markup(recs[0].label)}[/]  [dim]{certainty_figure(recs[0])}[/]"
    return " · ".join(f"[bold green]{markup(r.label)}[/] [dim]({certainty_figure(r)})[/]" for r in recs)


def _why(rec: Recommendation, sources: Sources) -> str:
    rules, given = outline.chain(rec)
    refs = sorted({sources.number(node.unit, node.source) for root in rec.derivation for node in root.walk()})
    text = "[dim]why: " + markup(" ← ".join(rules))
    if given:
        text += " · given: " + markup(", ".join(given))
    if refs:
        text += " · " + " ".join(f"\\[{n}]" for n in refs)
    return text + "[/]"


def _add_derivation(parent: Tree, node: Step, sources: Sources, printed: set[str]) -> None:
    if node.rule in printed:  # a chain this card already shows
        parent.add(f"[cyan]{markup(node.rule)}[/] → {markup(node.conclusion)} [dim](shown above)[/]")
        return
    printed.add(node.rule)
    branch = parent.add(f"[bold cyan]{markup(node.rule)}[/] → {markup(node.conclusion)}")
    branch.add(f"[italic]{markup(node.because)}[/]")
    branch.add(sources.cite(node.unit, node.source))
    for fact in node.facts:
        if fact.from_user:
            branch.add(f"given: {markup(fact.name)} = {markup(value_text(fact.value))} [dim](you)[/dim]")
    for child in node.children:
        _add_derivation(branch, child, sources, printed)


def _recommendations(report: Report, console: Console, sources: Sources, *, full: bool) -> None:
    if not report.recommendations:
        return
    console.rule("[bold]Recommendations[/]", align="left")
    for heading, rows in outline.rows_by_section(report):
        console.print(f"[bold]{markup(heading)}[/]")
        for recs in rows:
            console.print(f"✔ {markup(recs[0].title)}: {_choices(recs)}")
            for rec in recs:
                if full:
                    tree = Tree(f"[dim]{markup(rec.decision)} = {markup(rec.choice)} · {certainty_text(rec)}[/]")
                    printed: set[str] = set()
                    for node in rec.derivation:
                        _add_derivation(tree, node, sources, printed)
                    for alt in rec.alternatives:
                        tree.add(f"[yellow]not {markup(alt.choice)}[/] ({markup(', '.join(alt.rules))}): "
                                 f"{markup(alt.reason)}")
                    console.print(tree)
                else:
                    console.print(Padding(Text.from_markup(_why(rec, sources)), (0, 0, 0, 2)))
        console.print()


def _architecture(report: Report, console: Console) -> None:
    diagram = build_diagram(report)
    if not diagram.boxes:
        return
    console.rule("[bold]Architecture[/]", align="left")
    if diagram.workspaces:
        console.print(markup(diagram.workspaces))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column(style="bold")
    grid.add_column()
    for stage in STAGES:
        for i, component in enumerate(b for b in diagram.boxes if b.component.stage == stage):
            chosen = "; ".join(f"[italic dim]{markup(t)}[/]" if is_open else markup(t)
                               for t, is_open in component.lines)
            grid.add_row(stage if i == 0 else "", markup(component.component.title), chosen)
    console.print(grid)
    names = {b.component.id: b.component.title.lower() for b in diagram.boxes}
    flows = [f"{names[a]} → {names[b]} ({what})" for a, b, what in diagram.flows]
    if flows:
        console.print("[dim]Flow: " + markup(", ".join(flows)) + "[/]")
    console.print()


def _facts(report: Report, console: Console) -> None:
    if not report.given:
        return
    console.rule("[bold]Facts given[/]", align="left")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", ratio=1)
    grid.add_column(style="bold", ratio=1)
    for fact in report.given:
        grid.add_row(markup(fact.question), markup(fact.answer))
    console.print(grid)
    console.print()


def _set_aside(report: Report, console: Console) -> None:
    if not report.set_aside:
        return
    console.rule("[bold]Set aside[/]", align="left")
    for item in report.set_aside:
        console.print(f"• [bold]{markup(item.title)}[/] [dim]({markup(item.scope)}: "
                      f"{markup(item.when)})[/]: {markup(item.because)}")
        retired = item.decision_titles or tuple(f"rule {r}" for r in item.rules)
        console.print(f"  Not recommended, asked or drawn: {markup(', '.join(retired))}")
    console.print()


def render_report(report: Report, console: Console, *, full: bool = False) -> None:
    sources = Sources()
    console.print(Panel(markup(report.title), subtitle=markup(report.scenario.file or ""), style="bold"))
    if report.scenario.description:
        console.print(markup(report.scenario.description.strip()))
    console.print()
    render_architecture_summary(report, console)
    console.print()
    console.print(f"[bold]Summary[/]: {report_summary_line(report)}")
    console.print()
    _warnings(report, console, sources)
    if full:
        _architecture(report, console)
    _recommendations(report, console, sources, full=full)
    if full:
        _facts(report, console)
    _set_aside(report, console)
    _open_that_matter(report, console, full=full)
    sources.render(console)
    console.print()
    console.print(f"[bold]{report_summary_line(report)}[/]")
    console.print(f"[dim]{markup(outline.provenance_line(report))}[/]")

