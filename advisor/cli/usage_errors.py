"""Usage errors (an unknown option, an extra argument, a bad choice) repeat what was typed or
globbed: a file name holding ESC would reach the terminal raw. The framework prints these
itself, so the `echo` its exceptions print with is wrapped, once, to show control characters
as `\\x1b` (issue 16, class 8). Newlines and tabs stay: usage text has them."""

from __future__ import annotations

import sys


def visible_usage_errors() -> None:
    import typer

    from advisor.presentation.escape.terminal import visible

    module = sys.modules.get(typer.BadParameter.__module__)
    original = getattr(module, "echo", None)
    if original is None or getattr(original, "_advisor_visible", False):
        return

    def echo(message=None, *args, **kwargs):
        if isinstance(message, str):
            message = visible(message)
        return original(message, *args, **kwargs)

    echo._advisor_visible = True  # type: ignore[attr-defined]
    module.echo = echo
