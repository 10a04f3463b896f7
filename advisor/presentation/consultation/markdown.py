"""The report as Markdown, for pull requests, wikis and design documents. The answer first:
summary table, warnings, the architecture as a Mermaid diagram; then the derivations by guide
section, the facts given in words, open decisions, sources and provenance. Every text that
comes from a scenario file is escaped (escape/markdown.py)."""

from __future__ import annotations

from typing import Any

from advisor.knowledge.vocabulary import value_text
from advisor.presentation.consultation import outline
from advisor.presentation.consultation.data import report_summary_line
from advisor.presentation.consultation.diagram import build_diagram, render_mermaid
from advisor.presentation.escape.markdown import md_cell, md_code, md_link, md_paragraph, md_text
from advisor.presentation.words import warning_kind


def _tree(node: dict[str, Any], depth: int, lines: list[str], printed: set[str]) -> None:
    pad = "  " * depth
    if node["rule"] in printed:
        lines.append(f"{pad}- {md_code(node['rule'])} → {md_text(node['conclusion'])} (shown above)")
        return
    printed.add(node["rule"])
    lines.append(f"{pad}- {md_code(node['rule'])} → {md_text(node['conclusion'])}: {md_text(node['because'])} "
                 f"(source: {md_link(node['source'], node['unit'])})")
    for fact in node["facts"]:
        if fact["origin"] == "user":
            lines.append(f"{pad}  - given: {md_code(fact['name'] + ' = ' + value_text(fact['value']))}")
    for child in node["children"]:
        _tree(child, depth + 1, lines, printed)


def render_report_markdown(report: dict[str, Any]) -> str:
    lines: list[str] = []
    for part in (_header, _summary, _warnings, _architecture, _recommendations, _facts, _set_aside, _open, _sources):
        part(report, lines)
    lines += ["---", "", md_text(outline.provenance_line(report)), ""]
    return "\n".join(lines)


def _header(report: dict[str, Any], lines: list[str]) -> None:
    scenario = report.get("scenario") or {}
    lines += [f"# {md_text(outline.title(report))}", ""]
    if scenario.get("description"):
        lines += [md_paragraph(scenario["description"]), ""]


def _summary(report: dict[str, Any], lines: list[str]) -> None:
    lines += ["## Summary", "", report_summary_line(report), ""]
    if not report["recommendations"]:
        lines += ["No recommendation: no rule's conditions were met by these facts.", ""]
        return
    lines += ["| Decision | Recommended | Certainty |", "|---|---|---|"]
    for rec in outline.summary_rows(report):
        marks = "".join(f" **{m}**" for m in outline.marks(rec))
        lines.append(f"| {md_cell(rec['title'])} | {md_cell(rec['label'])} | {rec['certainty']:.2f}{marks} |")
    lines.append("")


def _warnings(report: dict[str, Any], lines: list[str]) -> None:
    if not report["warnings"]:
        return
    lines += ["## Warnings", ""]
    for w in report["warnings"]:
        lines.append(f"- **{warning_kind(w['kind'])}** {md_code(w['rule'])}: {md_text(w['message'])} "
                     f"(source: {md_link(w['source'], w['unit'])})")
    lines.append("")


def _architecture(report: dict[str, Any], lines: list[str]) -> None:
    if not build_diagram(report).boxes:
        return
    lines += ["## Architecture", "", "Data and models flow left to right; dashed boxes are decisions still open.",
              "", "```mermaid", render_mermaid(report).rstrip("\n"), "```", ""]


def _recommendations(report: dict[str, Any], lines: list[str]) -> None:
    lines += ["## Recommendations", ""]
    for heading, recs in outline.by_section(report):
        lines += [f"### {md_text(heading)}", ""]
        for rec in recs:
            flag = "".join(f" ({m})" for m in outline.marks(rec))
            lines.append(f"#### {md_text(rec['title'])}: {md_text(rec['label'])}")
            choice = md_code(rec["decision"] + " = " + rec["choice"])
            lines += ["", f"{choice}, certainty {rec['certainty']:.2f}{flag}", ""]
            printed: set[str] = set()
            for node in rec["derivation"]:
                _tree(node, 0, lines, printed)
            for alt in rec["alternatives"]:
                lines.append(f"- not {md_code(alt['choice'])} ({md_text(', '.join(alt['rules']))}): "
                             f"{md_text(alt['reason'])}")
            lines.append("")


def _facts(report: dict[str, Any], lines: list[str]) -> None:
    if not report.get("given"):
        return
    lines += ["## Facts given", "", "| Question | Answer |", "|---|---|"]
    lines += [f"| {md_cell(f['question'])} | {md_cell(f['answer'])} |" for f in report["given"]]
    lines.append("")


def _set_aside(report: dict[str, Any], lines: list[str]) -> None:
    if not report.get("set_aside"):
        return
    lines += ["## Set aside", ""]
    for item in report["set_aside"]:
        lines.append(f"- **{md_text(item['title'])}** ({md_code(item['scope'])}: {md_text(item['when'])}): "
                     f"{md_text(item['because'])} Not recommended, asked or drawn: "
                     f"{md_text(', '.join(item['decision_titles'] or item['rules']))} "
                     f"(source: {md_link(item['source'], item['unit'])})")
    lines.append("")


def _open(report: dict[str, Any], lines: list[str]) -> None:
    if not report["open"]:
        return
    lines += ["## Decisions left open", ""]
    for item in report["open"]:
        lines.append(f"- {md_text(item['title'])} ({md_code(item['decision'])}): would be settled by "
                     + ", ".join(md_code(n) for n in item["settled_by"]))
    lines.append("")


def _sources(report: dict[str, Any], lines: list[str]) -> None:
    cited = outline.sources(report)
    if not cited:
        return
    lines += ["## Sources", ""]
    lines += [f"- {md_link(s['url'], s['unit'])} ({md_text(', '.join(s['rules']))})" for s in cited]
    lines.append("")
