"""`advisor rules ...`: the rule catalogue and checks on the rule base, one module per
sub-command. Each sub-command is added here, explicitly, in the order `--help` lists them."""

from __future__ import annotations

import typer

from advisor.cli.commands.rules import coverage, lint, list, new, show

SUBCOMMANDS = (list, show, new, lint, coverage)


def register(app: typer.Typer) -> None:
    rules_app = typer.Typer(help="Browse and check the rule base.", no_args_is_help=True)
    for module in SUBCOMMANDS:
        module.register(rules_app)
    app.add_typer(rules_app, name="rules")
