"""The terminal report, with rich."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text
from rich.tree import Tree

from advisor.knowledge.vocabulary import value_text
from advisor.presentation.consultation.data import summary_line
from advisor.presentation.escape.terminal import markup as escape
from advisor.presentation.words import warning_kind


def _fact_text(fact: dict[str, Any]) -> str:
    origin = "you" if fact["origin"] == "user" else fact["origin"]
    return f"{fact['name']} = {escape(value_text(fact['value']))} [dim]({escape(origin)})[/dim]"


class Sources:
    """Numbered references: trees cite [n], the full URLs are listed once at the end
    (tree lines are cropped to the terminal width; a URL must stay whole)."""

    def __init__(self) -> None:
        self.urls: dict[str, tuple[int, str]] = {}

    def cite(self, title: str, url: str) -> str:
        number, _ = self.urls.setdefault(url, (len(self.urls) + 1, title))
        return f"[dim]source \\[{number}] [link={url}]{escape(title)}[/link][/dim]"

    def render(self, console: Console) -> None:
        if not self.urls:
            return
        console.rule("[bold]Sources[/]", align="left")
        for url, (number, title) in self.urls.items():
            line = Text(f"[{number}] {title}: ")
            line.append(url, style=f"link {url}")
            line.no_wrap = True
            line.overflow = "ignore"
            console.print(line, soft_wrap=True)


def _add_derivation(parent: Tree, node: dict[str, Any], sources: Sources) -> None:
    branch = parent.add(f"[bold cyan]{node['rule']}[/] → {escape(node['conclusion'])}")
    branch.add(f"[italic]{escape(node['because'])}[/]")
    branch.add(sources.cite(node["unit"], node["source"]))
    for fact in node["facts"]:
        if fact["origin"] == "user":
            branch.add("given: " + _fact_text(fact))
    for child in node["children"]:
        _add_derivation(branch, child, sources)


def certainty_text(rec: dict[str, Any]) -> str:
    text = f"certainty {rec['certainty']:.2f}"
    if rec["contested"]:
        return text + ", [red]contested[/]"
    if rec["weak"]:
        return text + ", [yellow]weak[/]"
    return text


def render_report(report: dict[str, Any], console: Console) -> None:
    sources = Sources()
    scenario = report.get("scenario") or {}
    title = scenario.get("name") or "Consultation"
    console.print(Panel(escape(title), subtitle=escape(scenario.get("file", "")), style="bold"))
    if scenario.get("description"):
        console.print(escape(scenario["description"]))
    if report["facts"]:
        facts = ", ".join(_fact_text({"name": k, "value": v, "origin": "user"}).split(" [dim]")[0]
                          for k, v in report["facts"].items())
        console.print(f"[bold]Facts given:[/] {facts}")
    console.print()
    for section in report["sections"]:
        recs = [r for r in report["recommendations"] if r["section"] == section["id"]]
        if not recs:
            continue
        console.rule(f"[bold]{escape(section['heading'])}[/]", align="left")
        for rec in recs:
            tree = Tree(f"[bold green]✔ {escape(rec['title'])}: {escape(rec['label'])}[/]  "
                        f"[dim]{rec['decision']} = {rec['choice']} · {certainty_text(rec)}[/]")
            for node in rec["derivation"]:
                _add_derivation(tree, node, sources)
            for alt in rec["alternatives"]:
                tree.add(f"[yellow]not {alt['choice']}[/] ({', '.join(alt['rules'])}): {escape(alt['reason'])}")
            console.print(tree)
        console.print()
    if report["warnings"]:
        console.rule("[bold yellow]Warnings[/]", align="left")
        for w in report["warnings"]:
            console.print(Group(
                Text.from_markup(f"[yellow]⚠ {warning_kind(w['kind'])}[/] [cyan]{w['rule']}[/]"),
                Text("  " + w["message"]),
                Text.from_markup("  " + sources.cite(w["unit"], w["source"])),
            ))
        console.print()
    if report["open"]:
        console.rule("[bold]Decisions left open[/]", align="left")
        for item in report["open"]:
            console.print(f"• {escape(item['title'])} [dim]({item['decision']})[/]: "
                          f"would be settled by {', '.join(item['settled_by'])}")
        console.print()
    sources.render(console)
    console.print()
    console.print(f"[bold]{summary_line(report)}[/]")
