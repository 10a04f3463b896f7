"""Text for a terminal: control characters are shown, never sent.

An ESC or a C1 control in a scenario name would otherwise let a file rename the terminal
window, move the cursor or hide text. Each one is written as a visible escape (`\\x1b`).
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and the bidirectional overrides and
# isolates that reorder what a reader sees (the "Trojan Source" characters).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _show(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, *, one_line: bool = False) -> str:
    """`text` with every control character written out; `one_line` also shows newlines and tabs."""
    pattern = _CONTROL_OR_NEWLINE if one_line else _CONTROL
    return pattern.sub(_show, str(text))


def markup(text: str, *, one_line: bool = False) -> str:
    """`visible` text made safe inside rich markup (square brackets are not tags)."""
    from rich.markup import escape

    return escape(visible(text, one_line=one_line))
