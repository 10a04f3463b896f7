"""The consultation report's formats as the registry (presentation/registry.py) calls them.
`summary=True`: the architecture, warnings and open decisions that matter only (`consult
--summary`); `full=True` (text): the derivation trees, components and facts given too."""

from __future__ import annotations

from typing import Any

from advisor.presentation.consultation.data import Report
from advisor.presentation.escape.json import json_document


def draw_text(report: Report, console: Any, *, summary: bool = False, full: bool = False) -> None:
    from advisor.presentation.consultation.text import render_report, render_summary

    if summary:
        render_summary(report, console)
    else:
        render_report(report, console, full=full)


def render_json(report: Report, *, summary: bool = False, full: bool = False) -> str:
    data = report.to_dict()
    if summary:
        from advisor.presentation.consultation.outline import ARCHITECTURE_DECISIONS

        data = {"scenario": data["scenario"], "recommendations": data["recommendations"],
                "warnings": data["warnings"],
                "open": [o for o in data["open"] if o["decision"] in ARCHITECTURE_DECISIONS]}
        for rec in data["recommendations"]:
            rec.pop("derivation")
    return json_document(data)


def render_markdown(report: Report, *, summary: bool = False, full: bool = False) -> str:
    from advisor.presentation.consultation.markdown import render_report_markdown, render_summary_markdown

    return (render_summary_markdown if summary else render_report_markdown)(report)


def render_html(report: Report, *, summary: bool = False, full: bool = False) -> str:
    from advisor.presentation.consultation.html import render_html as html

    return html(report)


def render_svg(report: Report, *, summary: bool = False, full: bool = False) -> str:
    from advisor.presentation.consultation.diagram import render_svg as svg

    return svg(report)


def render_mermaid(report: Report, *, summary: bool = False, full: bool = False) -> str:
    from advisor.presentation.consultation.diagram import render_mermaid as mermaid

    return mermaid(report)
