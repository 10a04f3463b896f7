"""Text made safe to show: control characters are written out, never sent.

An ESC or a C1 control in a file name or a value would otherwise let a file rename the terminal
window, move the cursor or hide text; a bidirectional override would reorder what a reader sees
(the "Trojan Source" characters); a zero-width or tag character hides text; a byte of a file
name that is not UTF-8 cannot be encoded at all. Each one is written as a visible escape
(`\\x1b`, `\\u202e`, `\\xff` for such a byte).
Base-level, so errors and every presentation use the same set.
"""

from __future__ import annotations

import re
from functools import cache

# Bidirectional overrides, isolates and marks that reorder what a reader sees.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Characters that show nothing or break a line where no line break is seen: zero-width space,
# Mongolian vowel separator, word joiner and invisible operators, line and paragraph separators, the
# byte-order mark, interlinear annotation marks, and the tag characters (U+E0000 block).
_INVISIBLE = "\u180e\u200b\u2028\u2029\u2060-\u2064\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
# Lone surrogates: a file name that is not UTF-8 (Python keeps its bytes as U+DC80-U+DCFF),
# which no encoder can write.
_SURROGATES = "\ud800-\udfff"
UNSAFE = f"\x7f-\x9f{_BIDI}{_INVISIBLE}{_SURROGATES}"


@cache
def _control(one_line: bool) -> re.Pattern[str]:
    """C0 controls except tab and newline (`one_line`: those too), DEL, C1 controls, and the
    characters above. Compiled when first needed: a set this size costs ~1 ms to compile, and
    most runs show no text through here."""
    return re.compile(f"[\x00-\x1f{UNSAFE}]" if one_line else f"[\x00-\x08\x0b-\x1f{UNSAFE}]")


def escape_match(match: re.Match[str]) -> str:
    """The visible escape of one matched character."""
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 file name: shown as that byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def visible(text: str, *, one_line: bool = False) -> str:
    """`text` with every control character written out; `one_line` also shows newlines and tabs."""
    return _control(one_line).sub(escape_match, str(text))
