"""The report as Markdown, for pull requests, wikis and design documents."""

from __future__ import annotations

from typing import Any

from advisor.knowledge.vocabulary import value_text
from advisor.presentation.consultation.data import summary_line
from advisor.presentation.words import warning_kind


def _tree(node: dict[str, Any], depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    lines.append(f"{pad}- `{node['rule']}` → {node['conclusion']}: {node['because']} "
                 f"(source: [{node['unit']}]({node['source']}))")
    for fact in node["facts"]:
        if fact["origin"] == "user":
            lines.append(f"{pad}  - given: `{fact['name']} = {value_text(fact['value'])}`")
    for child in node["children"]:
        _tree(child, depth + 1, lines)


def render_markdown(report: dict[str, Any]) -> str:
    scenario = report.get("scenario") or {}
    lines = [f"# {scenario.get('name') or 'Consultation'}", ""]
    if scenario.get("description"):
        lines += [scenario["description"], ""]
    if report["facts"]:
        lines += ["**Facts given:** " + ", ".join(f"`{k} = {value_text(v)}`" for k, v in report["facts"].items()), ""]
    for section in report["sections"]:
        recs = [r for r in report["recommendations"] if r["section"] == section["id"]]
        if not recs:
            continue
        lines += [f"## {section['heading']}", ""]
        for rec in recs:
            flag = " (contested)" if rec["contested"] else (" (weak)" if rec["weak"] else "")
            lines.append(f"### {rec['title']}: {rec['label']}")
            lines += ["", f"`{rec['decision']} = {rec['choice']}`, certainty {rec['certainty']:.2f}{flag}", ""]
            for node in rec["derivation"]:
                _tree(node, 0, lines)
            for alt in rec["alternatives"]:
                lines.append(f"- not `{alt['choice']}` ({', '.join(alt['rules'])}): {alt['reason']}")
            lines.append("")
    if report["warnings"]:
        lines += ["## Warnings", ""]
        for w in report["warnings"]:
            lines.append(f"- **{warning_kind(w['kind'])}** `{w['rule']}`: {w['message']} "
                         f"(source: [{w['unit']}]({w['source']}))")
        lines.append("")
    if report["open"]:
        lines += ["## Decisions left open", ""]
        for item in report["open"]:
            lines.append(f"- {item['title']} (`{item['decision']}`): would be settled by "
                         + ", ".join(f"`{n}`" for n in item["settled_by"]))
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
