"""`advisor rules show ID`: one rule in plain words, in the spirit of `ruff rule CODE`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from advisor.cli import completion
from advisor.cli import framework as cli
from advisor.cli.options import output_option


def register(rules_app: cli.App) -> None:
    @rules_app.command("show")
    def show_rule(
        rule_id: str = cli.Argument(..., metavar="RULE_ID", help="A rule id, e.g. sweep.sobol-for-reproducibility.",
                                      autocompletion=completion.rule_ids),
        output: Optional[Path] = output_option("the explanation"),
    ) -> None:
        """Explain one rule: conditions in plain words, conclusion, rationale and source."""
        import difflib

        from advisor.cli.output import show
        from advisor.errors import AdvisorError
        from advisor.knowledge import load_knowledge
        from advisor.presentation.rules import render_rule

        kb = load_knowledge()
        rule = kb.rule(rule_id)
        if rule is None:
            close = difflib.get_close_matches(rule_id, [r.id for r in kb.rules], n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else "; see `advisor rules list`"
            raise AdvisorError(f"unknown rule {rule_id!r}{hint}")
        show(lambda console: render_rule(rule, kb, console), output)
