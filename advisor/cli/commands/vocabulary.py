"""`advisor vocabulary`: the facts a scenario can state and the decisions the advisor makes."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from advisor.cli.options import format_option, output_option
from advisor.presentation.formats import Format


def register(app: typer.Typer) -> None:
    @app.command()
    def vocabulary(
        format: Format = format_option(Format.text, Format.json),
        output: Optional[Path] = output_option("the vocabulary"),
    ) -> None:
        """List the fact and decision vocabulary. Piped, one name a line, tab-separated."""
        from advisor.cli.output import show_listing, write_text
        from advisor.knowledge import load_knowledge
        from advisor.presentation import vocabulary as present

        vocab = load_knowledge().vocabulary
        if format is Format.json:
            write_text(present.render_json(vocab), output)
        else:
            show_listing(lambda console: present.render_tables(vocab, console),
                         lambda: present.render_plain(vocab), output)
