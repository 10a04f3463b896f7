"""`advisor schema`: the JSON Schema of scenario files, for editors (yaml-language-server)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from advisor.cli import framework as cli
from advisor.cli.options import output_option


def register(app: cli.App) -> None:
    @app.command()
    def schema(output: Optional[Path] = output_option("the schema")) -> None:
        """Print the JSON Schema (draft 2020-12) that scenario files follow."""
        from advisor.cli.output import write_text
        from advisor.evaluation.schema import render_schema
        from advisor.knowledge import load_knowledge

        write_text(render_schema(load_knowledge()), output)
