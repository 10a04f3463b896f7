"""Text for XML 1.0 (JUnit). ElementTree escapes `<`, `&` and quotes, but writes characters
XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF) as they are, which makes
the whole document unparseable. They are replaced by a visible escape such as `\\x1b`, and so
is every character text output shows escaped (C1 controls, bidi overrides, zero-width and tag
characters: advisor/visible.py), since CI pages show these reports to people."""

from __future__ import annotations

import re

from advisor.visible import UNSAFE, escape_match

_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff{UNSAFE}]")


def xml_text(text: str | None) -> str:
    """`text` holding only characters XML 1.0 allows (escaping of markup is ElementTree's job)."""
    return _FORBIDDEN.sub(escape_match, "" if text is None else str(text))
