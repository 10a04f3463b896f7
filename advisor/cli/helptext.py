"""Help text a user can read: no Python type names.

typer 0.2x prints each argument's Python type after its name (`SCENARIO <path>`,
`PATH <list[str]>`) and wraps a required argument in braces on the usage line
(`{SCENARIO}`), and shows an option without a metavar as `--config <path>`. The display
methods are replaced once, when the app is built, by click's conventions (`SCENARIO`,
`[SCENARIO]`, `PATH...`, `--config CONFIG`, `--format text|json`).
tests/test_cli_conventions.py checks every help page.
"""

from __future__ import annotations


def plain_argument_help() -> None:
    try:
        from typer.core import TyperArgument, TyperOption
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
    if hasattr(TyperOption, "display_type_rich"):
        shown = TyperOption.display_type_rich

        def option_value(self, ctx):
            if self.metavar is not None:
                return self.metavar
            text = shown(self, ctx)
            if not text or not text.startswith("<"):
                return text
            inner = text.strip("<>.")
            if "|" in inner and "[" not in inner:  # a choice: its values, click's way
                return inner
            return (self.name or "value").upper() + ("..." if text.endswith("...") else "")

        TyperOption.display_type_rich = option_value
    TyperArgument._advisor_plain_help = True
