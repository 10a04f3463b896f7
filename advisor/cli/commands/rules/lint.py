"""`advisor rules lint`: check the rule base itself (exit 0 clean, 1 findings, 2 error)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from advisor.cli.options import format_option, output_option
from advisor.presentation.formats import Format


def register(rules_app: typer.Typer) -> None:
    @rules_app.command("lint")
    def lint(
        rules_dir: Optional[Path] = typer.Option(
            None, "--rules-dir", metavar="FOLDER",
            help="The rules folder to check (default: the one the advisor uses)."),
        format: Format = format_option(Format.text, Format.json),
        output: Optional[Path] = output_option("the findings"),
        guide_text: Optional[Path] = typer.Option(
            None, "--guide-text", metavar="FILE",
            help="The study guide text to check sources against, with dp100-language-models.md beside it "
                 "(default: ../shared/dp100-study-guide.md "
                 "next to the repository, when it exists)."),
    ) -> None:
        """Find never-true rules, conflicts, shadowed rules, unreachable choices and bad sources."""
        from advisor.cli.output import show, write_text
        from advisor.errors import AdvisorError
        from advisor.lint import lint_rules
        from advisor.paths import rules_dir as default_rules_dir
        from advisor.presentation import lint as present

        if guide_text is not None and not guide_text.is_file():
            what = "no such file" if not guide_text.exists() else "is not a regular file (a folder, a FIFO or a device)"
            raise AdvisorError(what, where=str(guide_text), allowed="the study guide's Markdown text")
        report = lint_rules(rules_dir or default_rules_dir(), guide_text)
        if format is Format.json:
            write_text(present.render_json(report), output)
        else:
            show(lambda console: present.render_table(report, console), output, width=120)
        raise typer.Exit(report.exit_code)
