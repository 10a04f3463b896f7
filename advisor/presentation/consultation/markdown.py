"""The report as Markdown, for pull requests, wikis and design documents. The answer first:
the architecture in five lines and the Mermaid diagram under it, the counts and warnings; then
one row per decision by guide section, the derivations folded in `<details>`, the facts given
in words, open decisions, sources and provenance. Every text that comes from a scenario file is
escaped (escape/markdown.py)."""

from __future__ import annotations

from advisor.knowledge.vocabulary import value_text
from advisor.presentation.consultation import outline
from advisor.presentation.consultation.data import Report, Step, report_summary_line
from advisor.presentation.consultation.diagram import build_diagram, render_mermaid
from advisor.presentation.escape.markdown import md_cell, md_code, md_link, md_paragraph, md_text
from advisor.presentation.words import warning_kind


def _tree(node: Step, depth: int, lines: list[str], printed: set[str]) -> None:
    pad = "  " * depth
    if node.rule in printed:
        lines.append(f"{pad}- {md_code(node.rule)} → {md_text(node.conclusion)} (shown above)")
        return
    printed.add(node.rule)
    lines.append(f"{pad}- {md_code(node.rule)} → {md_text(node.conclusion)}: {md_text(node.because)} "
                 f"(source: {md_link(node.source, node.unit)})")
    for fact in node.facts:
        if fact.from_user:
            lines.append(f"{pad}  - given: {md_code(fact.name + ' = ' + value_text(fact.value))}")
    for child in node.children:
        _tree(child, depth + 1, lines, printed)


def render_report_markdown(report: Report) -> str:
    lines: list[str] = []
    for part in (_header, _summary, _warnings, _recommendations, _facts, _set_aside, _open, _sources):
        part(report, lines)
    lines += ["---", "", md_text(outline.provenance_line(report)), ""]
    return "\n".join(lines)


def render_summary_markdown(report: Report) -> str:
    """The architecture, the diagram, counts and warnings only (`consult --summary --format markdown`)."""
    lines: list[str] = []
    for part in (_header, _summary, _warnings):
        part(report, lines)
    return "\n".join(lines)


def _header(report: Report, lines: list[str]) -> None:
    lines += [f"# {md_text(report.title)}", ""]
    if report.scenario.description:
        lines += [md_paragraph(report.scenario.description), ""]


def _summary(report: Report, lines: list[str]) -> None:
    lines += ["## Summary", ""]
    summary = outline.architecture_summary(report)
    if not summary:
        lines += ["No recommendation: no rule's conditions were met by these facts.", ""]
    for line in summary:
        if line.chosen:
            text = " · ".join(f"{md_text(r.label)} ({outline.certainty_word(r)})" for r in line.chosen)
            text += f" +{line.more} more" if line.more else ""
        else:
            text = "*open: " + md_text(", ".join(line.open)) + "*"
        lines.append(f"- **{line.area}**: {text}")
    lines.append("")
    if build_diagram(report).boxes:
        lines += ["Data and models flow left to right; dashed boxes are decisions still open.",
                  "", "```mermaid", render_mermaid(report).rstrip("\n"), "```", ""]
    lines += [report_summary_line(report), ""]


def _warnings(report: Report, lines: list[str]) -> None:
    if not report.warnings:
        return
    lines += ["## Warnings", ""]
    for w in report.warnings:
        lines.append(f"- **{warning_kind(w.kind)}** {md_code(w.rule)}: {md_text(w.message)} "
                     f"(source: {md_link(w.source, w.unit)})")
    lines.append("")


def _recommendations(report: Report, lines: list[str]) -> None:
    if not report.recommendations:
        return
    lines += ["## Recommendations", ""]
    for heading, rows in outline.rows_by_section(report):
        lines += [f"### {md_text(heading)}", "", "| Decision | Recommended | Certainty |", "|---|---|---|"]
        for recs in rows:
            labels = " · ".join(md_cell(r.label) for r in recs)
            figures = " · ".join(f"{r.certainty:.2f}" + "".join(f" **{m}**" for m in r.marks) for r in recs)
            lines.append(f"| {md_cell(recs[0].title)} | {labels} | {figures} |")
        lines.append("")
        for recs in rows:
            for rec in recs:
                lines += ["<details>", f"<summary>Why {md_text(rec.title)}: {md_text(rec.label)}</summary>", ""]
                printed: set[str] = set()
                for node in rec.derivation:
                    _tree(node, 0, lines, printed)
                for alt in rec.alternatives:
                    lines.append(f"- not {md_code(alt.choice)} ({md_text(', '.join(alt.rules))}): "
                                 f"{md_text(alt.reason)}")
                lines += ["", "</details>", ""]


def _facts(report: Report, lines: list[str]) -> None:
    if not report.given:
        return
    lines += ["## Facts given", "", "| Question | Answer |", "|---|---|"]
    lines += [f"| {md_cell(f.question)} | {md_cell(f.answer)} |" for f in report.given]
    lines.append("")


def _set_aside(report: Report, lines: list[str]) -> None:
    if not report.set_aside:
        return
    lines += ["## Set aside", ""]
    for item in report.set_aside:
        lines.append(f"- **{md_text(item.title)}** ({md_code(item.scope)}: {md_text(item.when)}): "
                     f"{md_text(item.because)} Not recommended, asked or drawn: "
                     f"{md_text(', '.join(item.decision_titles or item.rules))} "
                     f"(source: {md_link(item.source, item.unit)})")
    lines.append("")


def _open(report: Report, lines: list[str]) -> None:
    if not report.open:
        return
    lines += ["## Decisions left open", ""]
    for item in report.open:
        lines.append(f"- {md_text(item.title)} ({md_code(item.decision)}): would be settled by "
                     + ", ".join(md_code(n) for n in item.settled_by))
    lines.append("")


def _sources(report: Report, lines: list[str]) -> None:
    cited = outline.sources(report)
    if not cited:
        return
    lines += ["## Sources", ""]
    lines += [f"- {md_link(s['url'], s['unit'])} ({md_text(', '.join(s['rules']))})" for s in cited]
    lines.append("")
