"""The one Format choice every command offers (each command accepts the formats its result
has). `text` is the human format everywhere; `table`, the old name of evaluate's, rules
list's, lint's and coverage's human format, is still accepted."""

from __future__ import annotations

from enum import Enum


class Format(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"
    junit = "junit"
    svg = "svg"
    mermaid = "mermaid"
    sarif = "sarif"    # advisor review: GitHub code scanning
    github = "github"  # advisor review: GitHub Actions workflow annotations


ALIASES = {"table": Format.text, "md": Format.markdown}


def parse_format(value: str | Format, allowed: tuple[Format, ...]) -> Format:
    """The Format named by `value`, or ValueError naming the allowed ones."""
    if isinstance(value, Format):
        chosen: Format | None = value
    else:
        name = value.strip().lower()
        chosen = ALIASES.get(name) or next((f for f in Format if f.value == name), None)
    if chosen is None or chosen not in allowed:
        raise ValueError(f"{value!r} is not one of {', '.join(f.value for f in allowed)}")
    return chosen
