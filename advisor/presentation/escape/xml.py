"""Text for XML 1.0 (JUnit). ElementTree escapes `<`, `&` and quotes, but writes characters
XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF) as they are, which makes
the whole document unparseable. They are replaced by a visible escape such as `\\x1b`."""

from __future__ import annotations

import re

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _show(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def xml_text(text: str | None) -> str:
    """`text` holding only characters XML 1.0 allows (escaping of markup is ElementTree's job)."""
    return _FORBIDDEN.sub(_show, "" if text is None else str(text))
