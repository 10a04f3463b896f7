"""`advisor vocabulary`: the facts a scenario can state and the decisions the advisor makes."""

from __future__ import annotations

from enum import Enum

import typer


class VocabularyFormat(str, Enum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    @app.command()
    def vocabulary(
        format: VocabularyFormat = typer.Option(VocabularyFormat.text, "--format", "-f"),
    ) -> None:
        """List the fact and decision vocabulary."""
        from advisor.knowledge import load_knowledge

        vocab = load_knowledge().vocabulary
        if format is VocabularyFormat.json:
            import json

            print(json.dumps(vocab.as_json(), indent=2, ensure_ascii=False))
            return
        from rich.console import Console
        from rich.table import Table

        facts = Table("fact", "type", "values", "question", title="Facts", show_lines=False)
        for f in vocab.input_facts:
            values = ", ".join(f.values) if f.values else (f.allowed())
            facts.add_row(f.name, f.type, values, f.question)
        decisions = Table("decision", "choices", "title", title="Decisions")
        for d in vocab.decisions:
            decisions.add_row(d.name, ", ".join(d.choices) + (" (several)" if d.multiple else ""), d.title)
        console = Console()
        console.print(facts)
        console.print(decisions)
