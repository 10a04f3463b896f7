"""rich renderers run into a string, for pipes and files (no colour codes unless asked)."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

from rich.console import Console


def rich_text(render: Callable[[Console], None], *, width: int = 100, color: bool | None = None) -> str:
    buffer = StringIO()
    console = Console(file=buffer, width=width, force_terminal=bool(color), no_color=not color,
                      highlight=False, soft_wrap=False)
    render(console)
    return buffer.getvalue()
