"""`advisor vocabulary`: the facts a scenario can state and the decisions the advisor makes."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from advisor.cli import framework as cli
from advisor.cli.options import format_option, output_option
from advisor.presentation.formats import Format


def register(app: cli.App) -> None:
    @app.command()
    def vocabulary(
        format: Optional[Format] = format_option("vocabulary"),
        output: Optional[Path] = output_option("the vocabulary"),
    ) -> None:
        """List the fact and decision vocabulary. Piped, one name a line, tab-separated."""
        from advisor.cli.options import chosen_format
        from advisor.cli.output import emit
        from advisor.knowledge import load_knowledge

        emit(load_knowledge().vocabulary, chosen_format("vocabulary", format, output), output)
