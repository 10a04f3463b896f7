"""rich renderers run into a string, for pipes and files (no colour codes unless asked)."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO

from rich.console import Console

_TRAILING = re.compile(r"[ \t]+$", re.M)


def rich_text(render: Callable[[Console], None], *, width: int | None = None, color: bool | None = None) -> str:
    """What `render` draws, `width` columns wide (default $COLUMNS, else 80), without the spaces
    rich pads lines with."""
    if width is None:
        from advisor.presentation.registry import text_width

        width = text_width()
    buffer = StringIO()
    console = Console(file=buffer, width=width, force_terminal=bool(color), no_color=not color,
                      highlight=False, soft_wrap=False)
    render(console)
    text = buffer.getvalue()
    return text if color else _TRAILING.sub("", text)
