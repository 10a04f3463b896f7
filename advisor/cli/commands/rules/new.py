"""`advisor rules new AREA.NAME`: scaffold a rule and its examples, and say what to run next."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from advisor.cli import framework as cli


def register(rules_app: cli.App) -> None:
    @rules_app.command("new")
    def new_rule(
        rule_id: str = cli.Argument(..., metavar="AREA.NAME",
                                     help="The new rule's id, e.g. compute.spot-for-sweeps."),
        section: Optional[str] = cli.Option(None, metavar="SECTION", help="The guide section the rule belongs to."),
        rules_dir: Optional[Path] = cli.Option(
            None, "--rules-dir", metavar="FOLDER",
            help="The rules folder to add to (default: the one the advisor uses)."),
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
