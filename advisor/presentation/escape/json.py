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
    if indent == 2:
        return safe_json(indented(data)) + "\n"
    return safe_json(json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)) + "\n"


# --- json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False), twice as fast -------------
# With an indent, json.dumps leaves its C encoder for a Python generator per container; this
# writes the same text (tests/test_output_escaping.py compares them on generated data) in one
# recursive pass, strings still escaped by json's own C function.

_STRING = json.encoder.encode_basestring  # what ensure_ascii=False escapes strings with
_INFINITY = float("inf")


def indented(data: Any) -> str:
    """The text of `json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)`."""
    out: list[str] = []
    _write(data, out, "\n")
    return "".join(out)


def _write(value: Any, out: list[str], newline: str) -> None:
    # The order of json's own checks: str, None, True, False, int, float, list/tuple, dict.
    if isinstance(value, str):
        out.append(_STRING(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, list | tuple):
        _write_list(value, out, newline)
    elif isinstance(value, dict):
        _write_dict(value, out, newline)
    else:
        raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _write_list(value: list[Any] | tuple[Any, ...], out: list[str], newline: str) -> None:
    if not value:
        out.append("[]")
        return
    inner = newline + "  "
    out.append("[" + inner)
    first = True
    for item in value:
        if first:
            first = False
        else:
            out.append("," + inner)
        _write(item, out, inner)
    out.append(newline + "]")


def _write_dict(value: dict[Any, Any], out: list[str], newline: str) -> None:
    if not value:
        out.append("{}")
        return
    inner = newline + "  "
    out.append("{" + inner)
    first = True
    for key, item in value.items():
        if first:
            first = False
        else:
            out.append("," + inner)
        out.append(_STRING(_key(key)) + ": ")
        _write(item, out, inner)
    out.append(newline + "}")


def _float(value: float) -> str:
    if value != value or value in (_INFINITY, -_INFINITY):
        raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
    return float.__repr__(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    if isinstance(key, float):
        return _float(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")
