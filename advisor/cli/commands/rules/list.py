"""`advisor rules list`: every rule with its id, section, conclusion kind and title."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from advisor.cli import completion
from advisor.cli import framework as cli
from advisor.cli.options import format_option, output_option
from advisor.presentation.formats import Format


def register(rules_app: cli.App) -> None:
    @rules_app.command("list")
    def list_rules(
        format: Optional[Format] = format_option("rules list"),
        output: Optional[Path] = output_option("the list"),
        section: Optional[str] = cli.Option(None, metavar="SECTION", help="Only rules of this guide section.",
                                              autocompletion=completion.sections),
        area: Optional[str] = cli.Option(None, metavar="AREA", help="Only rules of this area (rule file).",
                                           autocompletion=completion.areas),
    ) -> None:
        """List every rule: id, section, title (and source in JSON). Piped, one rule a line, tab-separated."""
        from advisor.cli.options import chosen_format
        from advisor.cli.output import emit
        from advisor.errors import AdvisorError
        from advisor.knowledge import load_knowledge

        kb = load_knowledge()
        if section is not None and section not in kb.guide.section_ids:
            raise AdvisorError(f"unknown section {section!r}", allowed=", ".join(kb.guide.section_ids))
        if area is not None and area not in kb.areas:
            raise AdvisorError(f"unknown area {area!r}", allowed=", ".join(kb.areas))
        rules = [r for r in kb.rules if (section is None or r.section == section) and (area is None or r.area == area)]
        emit(rules, chosen_format("rules list", format, output), output, kind="rule_list")
