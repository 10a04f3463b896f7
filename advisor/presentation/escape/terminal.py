"""Text for a terminal: control characters are shown, never sent (see advisor/visible.py)."""

from __future__ import annotations

from advisor.visible import visible

__all__ = ["markup", "visible"]


def markup(text: str, *, one_line: bool = False) -> str:
    """`visible` text made safe inside rich markup (square brackets are not tags)."""
    from rich.markup import escape

    return escape(visible(text, one_line=one_line))
