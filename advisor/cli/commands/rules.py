"""`advisor rules list|show`: the rule catalogue, in the spirit of `ruff rule CODE`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer


class ListFormat(str, Enum):
    table = "table"
    json = "json"


rules_app = typer.Typer(help="Browse the rule base.", no_args_is_help=True)


def rule_as_json(rule) -> dict:
    from advisor.knowledge.conditions import describe

    c = rule.conclusion
    return {
        "id": rule.id, "title": rule.title, "section": rule.section, "area": rule.area,
        "source": rule.source, "priority": rule.priority, "strength": rule.strength,
        "when": describe(rule.condition),
        "then": {"kind": c.kind, "name": c.name, "value": c.value},
        "because": rule.because,
        "examples": {kind: [{k: list(v) if isinstance(v, tuple) else v for k, v in e.facts.items()}
                            for e in getattr(rule.examples, kind)]
                     for kind in ("fires", "does_not_fire")},
    }


@rules_app.command("list")
def list_rules(
    format: ListFormat = typer.Option(ListFormat.table, "--format", "-f"),
    section: Optional[str] = typer.Option(None, help="Only rules of this guide section."),
    area: Optional[str] = typer.Option(None, help="Only rules of this area (rule file)."),
) -> None:
    """List every rule: id, section, title (and source in JSON)."""
    from advisor.errors import AdvisorError
    from advisor.knowledge import load_knowledge

    kb = load_knowledge()
    if section is not None and section not in kb.guide.section_ids:
        raise AdvisorError(f"unknown section {section!r}", allowed=", ".join(kb.guide.section_ids))
    if area is not None and area not in kb.areas:
        raise AdvisorError(f"unknown area {area!r}", allowed=", ".join(kb.areas))
    rules = [r for r in kb.rules if (section is None or r.section == section) and (area is None or r.area == area)]
    if format is ListFormat.json:
        import json

        print(json.dumps([rule_as_json(r) for r in rules], indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "section", "then", "title", title=f"{len(rules)} rules")
    for r in rules:
        table.add_row(r.id, r.section, r.conclusion.kind, r.title)
    Console().print(table)


@rules_app.command("show")
def show_rule(rule_id: str = typer.Argument(..., help="A rule id, e.g. sweep.sobol-for-reproducibility.")) -> None:
    """Explain one rule: conditions in plain words, conclusion, rationale and source."""
    import difflib

    from rich.console import Console

    from advisor.errors import AdvisorError
    from advisor.knowledge import load_knowledge
    from advisor.render.rule import render_rule

    kb = load_knowledge()
    rule = kb.rule(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, [r.id for r in kb.rules], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `advisor rules list`"
        raise AdvisorError(f"unknown rule {rule_id!r}{hint}")
    render_rule(rule, kb, Console())


@rules_app.command("new")
def new_rule(
    rule_id: str = typer.Argument(..., metavar="AREA.NAME", help="The new rule's id, e.g. compute.spot-for-sweeps."),
    section: Optional[str] = typer.Option(None, help="The guide section the rule belongs to."),
    rules_dir: Optional[Path] = typer.Option(
        None, "--rules-dir", help="The rules folder to add to (default: the one the advisor uses)."),
) -> None:
    """Write a rule skeleton into rules/AREA.yaml and its examples into rules/AREA.examples.yaml."""
    from advisor.errors import AdvisorError
    from advisor.knowledge import load_knowledge
    from advisor.knowledge.scaffold import new_rule as scaffold
    from advisor.paths import rules_dir as default_rules_dir

    if section is not None:  # the six sections never change with the rules being edited
        sections = load_knowledge().guide.section_ids
        if section not in sections:
            raise AdvisorError(f"unknown section {section!r}", allowed=", ".join(sections))
    result = scaffold(rules_dir or default_rules_dir(), rule_id, section)
    area = "new area " if result.new_area else ""
    print(f"wrote {area}rule {result.rule_id} to {result.rule_file} and its examples to {result.examples_file}")
    print("next:")
    for number, step in enumerate(result.next_steps(), 1):
        print(f"  {number}. {step}")


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")
