"""`advisor rules list`: every rule with its id, section, conclusion kind and title."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from advisor.cli.options import format_option, output_option
from advisor.presentation.formats import Format


def register(rules_app: typer.Typer) -> None:
    @rules_app.command("list")
    def list_rules(
        format: Format = format_option(Format.text, Format.json),
        output: Optional[Path] = output_option("the list"),
        section: Optional[str] = typer.Option(None, metavar="SECTION", help="Only rules of this guide section."),
        area: Optional[str] = typer.Option(None, metavar="AREA", help="Only rules of this area (rule file)."),
    ) -> None:
        """List every rule: id, section, title (and source in JSON). Piped, one rule a line, tab-separated."""
        from advisor.cli.output import show_listing, write_text
        from advisor.errors import AdvisorError
        from advisor.knowledge import load_knowledge
        from advisor.presentation import rules as catalogue

        kb = load_knowledge()
        if section is not None and section not in kb.guide.section_ids:
            raise AdvisorError(f"unknown section {section!r}", allowed=", ".join(kb.guide.section_ids))
        if area is not None and area not in kb.areas:
            raise AdvisorError(f"unknown area {area!r}", allowed=", ".join(kb.areas))
        rules = [r for r in kb.rules if (section is None or r.section == section) and (area is None or r.area == area)]
        if format is Format.json:
            write_text(catalogue.render_list_json(rules), output)
        else:
            show_listing(lambda console: catalogue.render_list_table(rules, console),
                         lambda: catalogue.render_list_plain(rules), output)
