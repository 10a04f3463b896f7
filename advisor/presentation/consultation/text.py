"""The terminal report, with rich: the answer first (summary, warnings, architecture), then
the derivations by guide section, the facts given in words, open decisions, sources."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from advisor.knowledge.vocabulary import value_text
from advisor.presentation.consultation import outline
from advisor.presentation.consultation.data import report_summary_line
from advisor.presentation.consultation.diagram import STAGES, build_diagram
from advisor.presentation.escape.terminal import markup, visible
from advisor.presentation.words import warning_kind

MARK_STYLE = {"weak": "yellow", "contested": "red"}


class Sources:
    """Numbered references: trees cite [n], the full URLs are listed once at the end
    (tree lines are cropped to the terminal width; a URL must stay whole)."""

    def __init__(self) -> None:
        self.urls: dict[str, tuple[int, str]] = {}

    def cite(self, title: str, url: str) -> str:
        number, _ = self.urls.setdefault(url, (len(self.urls) + 1, title))
        return f"[dim]source \\[{number}] {markup(title)}[/dim]"

    def render(self, console: Console) -> None:
        if not self.urls:
            return
        console.rule("[bold]Sources[/]", align="left")
        for url, (number, title) in self.urls.items():
            line = Text(f"[{number}] {visible(title)}: ")
            line.append(visible(url, one_line=True))
            line.no_wrap = True
            line.overflow = "ignore"
            console.print(line, soft_wrap=True)


def certainty_figure(rec: dict[str, Any]) -> str:
    """The certainty and its marks (weak, contested), as the summary's certainty column shows them."""
    text = f"{rec['certainty']:.2f}"
    for mark in outline.marks(rec):
        text += f", [{MARK_STYLE[mark]}]{mark}[/]"
    return text


def certainty_text(rec: dict[str, Any]) -> str:
    return f"certainty {certainty_figure(rec)}"


def _add_derivation(parent: Tree, node: dict[str, Any], sources: Sources, printed: set[str]) -> None:
    if node["rule"] in printed:  # a chain this card already shows
        parent.add(f"[cyan]{markup(node['rule'])}[/] → {markup(node['conclusion'])} [dim](shown above)[/]")
        return
    printed.add(node["rule"])
    branch = parent.add(f"[bold cyan]{markup(node['rule'])}[/] → {markup(node['conclusion'])}")
    branch.add(f"[italic]{markup(node['because'])}[/]")
    branch.add(sources.cite(node["unit"], node["source"]))
    for fact in node["facts"]:
        if fact["origin"] == "user":
            branch.add(f"given: {markup(fact['name'])} = {markup(value_text(fact['value']))} [dim](you)[/dim]")
    for child in node["children"]:
        _add_derivation(branch, child, sources, printed)


def _summary(report: dict[str, Any], console: Console) -> None:
    table = Table("decision", "recommended", "certainty", box=box.SIMPLE_HEAD, title_justify="left",
                  title=f"[bold]Summary[/]: {report_summary_line(report)}")
    for rec in outline.summary_rows(report):
        table.add_row(markup(rec["title"]), f"[bold green]{markup(rec['label'])}[/]", certainty_figure(rec))
    if not report["recommendations"]:
        console.print("[bold]No recommendation[/]: no rule's conditions were met by these facts.")
    else:
        console.print(table)


def _warnings(report: dict[str, Any], console: Console, sources: Sources) -> None:
    if not report["warnings"]:
        return
    console.rule("[bold yellow]Warnings[/]", align="left")
    for w in report["warnings"]:
        console.print(Group(
            Text.from_markup(f"[yellow]⚠ {warning_kind(w['kind'])}[/] [cyan]{markup(w['rule'])}[/]"),
            Text("  " + visible(w["message"])),
            Text.from_markup("  " + sources.cite(w["unit"], w["source"])),
        ))
    console.print()


def _architecture(report: dict[str, Any], console: Console) -> None:
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


def render_report(report: dict[str, Any], console: Console) -> None:
    sources = Sources()
    scenario = report.get("scenario") or {}
    console.print(Panel(markup(outline.title(report)), subtitle=markup(scenario.get("file", "")), style="bold"))
    if scenario.get("description"):
        console.print(markup(scenario["description"].strip()))
    console.print()
    _summary(report, console)
    console.print()
    _warnings(report, console, sources)
    _architecture(report, console)
    for heading, recs in outline.by_section(report):
        console.rule(f"[bold]{markup(heading)}[/]", align="left")
        for rec in recs:
            tree = Tree(f"[bold green]✔ {markup(rec['title'])}: {markup(rec['label'])}[/]  "
                        f"[dim]{markup(rec['decision'])} = {markup(rec['choice'])} · {certainty_text(rec)}[/]")
            printed: set[str] = set()
            for node in rec["derivation"]:
                _add_derivation(tree, node, sources, printed)
            for alt in rec["alternatives"]:
                tree.add(f"[yellow]not {markup(alt['choice'])}[/] ({markup(', '.join(alt['rules']))}): "
                         f"{markup(alt['reason'])}")
            console.print(tree)
        console.print()
    if report.get("given"):
        console.rule("[bold]Facts given[/]", align="left")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim")
        grid.add_column(style="bold")
        for fact in report["given"]:
            grid.add_row(markup(fact["question"]), markup(fact["answer"]))
        console.print(grid)
        console.print()
    if report.get("set_aside"):
        console.rule("[bold]Set aside[/]", align="left")
        for item in report["set_aside"]:
            console.print(f"• [bold]{markup(item['title'])}[/] [dim]({markup(item['scope'])}: "
                          f"{markup(item['when'])})[/]: {markup(item['because'])}")
            retired = item["decision_titles"] or [f"rule {r}" for r in item["rules"]]
            console.print(f"  Not recommended, asked or drawn: {markup(', '.join(retired))}")
        console.print()
    if report["open"]:
        console.rule("[bold]Decisions left open[/]", align="left")
        for item in report["open"]:
            console.print(f"• {markup(item['title'])} [dim]({markup(item['decision'])})[/]: "
                          f"would be settled by {markup(', '.join(item['settled_by']))}")
        console.print()
    sources.render(console)
    console.print()
    console.print(f"[bold]{report_summary_line(report)}[/]")
    console.print(f"[dim]{markup(outline.provenance_line(report))}[/]")
