"""A consultation report: `data` builds the typed report from the engine's result; `text`,
`markdown` and `html` turn it into each format (`formats` is what the format registry calls),
`diagram` draws the recommended architecture (SVG, Mermaid), `outline` orders what every
format shows."""

from __future__ import annotations

from typing import Any

from advisor.presentation.formats import Format


def render_as(report: Any, fmt: Format) -> str:
    """The report as text in a format (presentation/registry.py)."""
    from advisor.presentation.registry import render

    return render(report, fmt, kind="report")
