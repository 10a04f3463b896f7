"""`advisor rules lint`: check the rule base itself (exit 0 clean, 1 findings, 2 error)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from advisor.cli import framework as cli
from advisor.cli.options import format_option, output_option
from advisor.presentation.formats import Format


def register(rules_app: cli.App) -> None:
    @rules_app.command("lint")
    def lint(
        rules_dir: Optional[Path] = cli.Option(
            None, "--rules-dir", metavar="FOLDER",
            help="The rules folder to check (default: the one the advisor uses)."),
        format: Optional[Format] = format_option("rules lint"),
        output: Optional[Path] = output_option("the findings"),
        guide_text: Optional[Path] = cli.Option(
            None, "--guide-text", metavar="FILE",
            help="The study guide text to check sources against, with dp100-language-models.md beside it "
                 "(default: ../shared/dp100-study-guide.md "
                 "next to the repository, when it exists)."),
    ) -> None:
        """Find never-true rules, conflicts, shadowed rules, unreachable choices and bad sources."""
        from advisor.cli.options import chosen_format
        from advisor.cli.output import emit
        from advisor.errors import AdvisorError
        from advisor.lint import lint_rules
        from advisor.paths import rules_dir as default_rules_dir

        if guide_text is not None and not guide_text.is_file():
            what = "no such file" if not guide_text.exists() else "is not a regular file (a folder, a FIFO or a device)"
            raise AdvisorError(what, where=str(guide_text), allowed="the study guide's Markdown text")
        report = lint_rules(rules_dir or default_rules_dir(), guide_text)
        emit(report, chosen_format("rules lint", format, output), output)
        raise cli.Exit(report.exit_code)
