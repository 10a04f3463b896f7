"""Help text a user can read: no Python type names.

typer 0.2x prints each argument's Python type after its name (`SCENARIO <path>`,
`PATH <list[str]>`) and wraps a required argument in braces on the usage line
(`{SCENARIO}`). Options avoid it with a metavar; arguments cannot, so their two display
methods are replaced once, when the app is built, by click's conventions
(`SCENARIO`, `[SCENARIO]`, `PATH...`). tests/test_cli_conventions.py checks every help page.
"""

from __future__ import annotations


def plain_argument_help() -> None:
    try:
        from typer.core import TyperArgument
    except ImportError:  # an older typer formats arguments the way click does already
        return
    if getattr(TyperArgument, "_advisor_plain_help", False):
        return

    def usage_name(self) -> str:
        name = self.metavar or (self.name or "").upper()
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return name if self.required else f"[{name}]"

    def help_name(self) -> str:
        name = self.metavar or (self.name or "").upper()
        return name + ("..." if self.nargs != 1 and not name.endswith("...") else "")

    if hasattr(TyperArgument, "display_type_rich"):
        TyperArgument.display_type_rich = lambda self, ctx: None
    if hasattr(TyperArgument, "_usage_display_name"):
        TyperArgument._usage_display_name = usage_name
    if hasattr(TyperArgument, "_rich_display_name"):
        TyperArgument._rich_display_name = help_name
    TyperArgument._advisor_plain_help = True
