"""A consultation report: `data` builds the report object (the JSON contract) from the
engine's result; `text`, `markdown` and `html` turn that object into each format, `diagram`
draws the recommended architecture (SVG, Mermaid), `outline` orders what every format shows."""

from __future__ import annotations

from typing import Any

from advisor.presentation.escape.json import json_document
from advisor.presentation.formats import Format


def render_as(report: dict[str, Any], fmt: Format) -> str:
    """The report as text in a file format (the terminal format is text.render_report)."""
    if fmt is Format.json:
        return json_document(report)
    if fmt is Format.markdown:
        from advisor.presentation.consultation.markdown import render_report_markdown

        return render_report_markdown(report)
    if fmt is Format.html:
        from advisor.presentation.consultation.html import render_html

        return render_html(report)
    if fmt is Format.svg:
        from advisor.presentation.consultation.diagram import render_svg

        return render_svg(report)
    if fmt is Format.mermaid:
        from advisor.presentation.consultation.diagram import render_mermaid

        return render_mermaid(report)
    raise ValueError(f"a consultation report has no {fmt.value} format")
