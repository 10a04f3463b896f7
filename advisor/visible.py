"""Text made safe to show: control characters are written out, never sent.

An ESC or a C1 control in a file name or a value would otherwise let a file rename the terminal
window, move the cursor or hide text; a bidirectional override would reorder what a reader sees
(the "Trojan Source" characters). Each one is written as a visible escape (`\\x1b`, `\\u202e`).
Base-level, so errors and every presentation use the same set.
"""

from __future__ import annotations

import re

# Bidirectional overrides, isolates and marks that reorder what a reader sees.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 controls except tab and newline, DEL, C1 controls, and the bidi characters.
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_CONTROL_OR_NEWLINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")


def _show(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, *, one_line: bool = False) -> str:
    """`text` with every control character written out; `one_line` also shows newlines and tabs."""
    pattern = _CONTROL_OR_NEWLINE if one_line else _CONTROL
    return pattern.sub(_show, str(text))
