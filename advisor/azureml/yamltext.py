"""Write YAML by hand so each value can carry a comment (the rule behind it, or a placeholder
note). Block mappings, flow lists of scalars, and scalars quoted by PyYAML's safe dumper."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

import yaml

PLACEHOLDER = "PLACEHOLDER"
HEADER_WIDTH = 98


@dataclass(frozen=True)
class Noted:
    """A value with a comment; `placeholder` marks what the scenario does not know."""

    value: Any
    note: str
    placeholder: bool = False


def placeholder(value: Any, note: str) -> Noted:
    return Noted(value, note, placeholder=True)


def scalar(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000)
    text = text.strip()
    if text.endswith("\n..."):
        text = text[: -len("\n...")]
    return text.removesuffix("...").strip()


def _comment(item: Any) -> str:
    if not isinstance(item, Noted):
        return ""
    prefix = f"{PLACEHOLDER}: " if item.placeholder else ""
    return f"  # {prefix}{item.note}"


def _lines(data: dict[str, Any], indent: int) -> list[str]:
    pad = "  " * indent
    lines = []
    for key, item in data.items():
        value = item.value if isinstance(item, Noted) else item
        comment = _comment(item)
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:{comment}")
            lines.extend(_lines(value, indent + 1))
        elif isinstance(value, list):
            lines.append(f"{pad}{key}: [{', '.join(scalar(v) for v in value)}]{comment}")
        else:
            lines.append(f"{pad}{key}: {scalar(value)}{comment}")
    return lines


def dump(data: dict[str, Any], header: list[str]) -> str:
    """The document: a comment header, then the mapping."""
    head = []
    for line in header:
        indent = " " * (len(line) - len(line.lstrip()))
        wrapped = textwrap.wrap(line, HEADER_WIDTH, subsequent_indent=indent + "    ",
                                break_long_words=False, break_on_hyphens=False) or [""]
        head.extend(("# " + part).rstrip() for part in wrapped)
    return "\n".join(head + _lines(data, 0)) + "\n"


def count_placeholders(data: Any) -> int:
    if isinstance(data, Noted):
        return int(data.placeholder) + count_placeholders(data.value)
    if isinstance(data, dict):
        return sum(count_placeholders(v) for v in data.values())
    return 0
