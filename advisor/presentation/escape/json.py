"""JSON documents (reports, SARIF) that hold no character a terminal or an editor would act on.

json.dumps(ensure_ascii=False) writes C1 controls, bidi overrides, zero-width and tag
characters as they are, and a lone surrogate (a byte of a non-UTF-8 file name) that no encoder
can write. Each such character is written as a JSON `\\uXXXX` escape instead: the document
decodes to exactly the same values, while `cat report.json` shows the escape, not its effect.
Outside strings JSON is ASCII, so every match is inside a string, where the escape is valid.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from advisor.visible import UNSAFE


@cache
def _unsafe() -> re.Pattern[str]:
    return re.compile(f"[{UNSAFE}]")  # compiled when first needed (~0.6 ms): most documents are ASCII


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # beyond the BMP: a surrogate pair, as JSON spells it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def safe_json(text: str) -> str:
    """A JSON document's text with every unsafe character written as an escape."""
    if text.isascii() and "\x7f" not in text:  # DEL is the one unsafe character below U+0080
        return text
    return _unsafe().sub(_json_escape, text)


def json_document(data: Any, *, indent: int | None = 2) -> str:
    """`data` as a JSON document (finite numbers only), ending with a newline."""
    return safe_json(json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)) + "\n"
