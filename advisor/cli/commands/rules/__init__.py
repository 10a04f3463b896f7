"""`advisor rules ...`: the rule catalogue and checks on the rule base, one module per
sub-command. Each sub-command is added here, explicitly, in the order `--help` lists them; its
module is imported only when it runs, is completed or is listed."""

from __future__ import annotations

from importlib import import_module

from advisor.cli import framework as cli

SUBCOMMANDS = ("list", "show", "new", "lint", "coverage")


def register(app: cli.App) -> None:
    rules_app = cli.App(help="Browse and check the rule base.", no_args_is_help=True)
    for name in SUBCOMMANDS:
        rules_app.add_lazy(name, lambda group, name=name: import_module(f"{__name__}.{name}").register(group))
    app.add_group(rules_app, name="rules")
