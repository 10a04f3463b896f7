"""`advisor scenarios`: the shipped scenario library by name (`advisor consult NAME` runs one)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from advisor.cli import framework as cli
from advisor.cli.options import output_option


def listing_text(with_titles: bool) -> str:
    from advisor.scenarios.library import scenario_title, shipped_scenarios

    lines = []
    for item in shipped_scenarios():
        name = f"{item.group}/{item.name}" if item.group else item.name
        lines.append(f"{name}\t{scenario_title(item.path)}" if with_titles else name)
    return "\n".join(lines) + "\n"


def register(app: cli.App) -> None:
    @app.command()
    def scenarios(
        names_only: bool = cli.Option(False, "--names", help="Only the names, one a line."),
        output: Optional[Path] = output_option("the list"),
    ) -> None:
        """List the shipped example scenarios: NAME and title; run one with advisor consult NAME."""
        from advisor.cli.output import write_text

        write_text(listing_text(not names_only), output)
