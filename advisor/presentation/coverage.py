"""Renderers of rule coverage: a terminal report and JSON."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from advisor.evaluation.coverage import Coverage
from advisor.presentation.escape.json import json_document
from advisor.presentation.escape.terminal import visible


def coverage_as_json(coverage: Coverage) -> dict[str, Any]:
    return {
        "summary": {"rules": len(coverage.rules), "fired": len(coverage.fired),
                    "never_fired": len(coverage.never_fired), "percent": coverage.percent,
                    "scenarios": coverage.scenarios, "errors": len(coverage.errors)},
        "rules": [{"id": r.rule_id, "area": r.area, "scenarios": r.scenarios} for r in coverage.rules],
        "never_fired": [r.rule_id for r in coverage.never_fired],
        "errors": [{"file": e.file, "error": e.error} for e in coverage.errors],
    }


def render_coverage_json(coverage: Coverage) -> str:
    return json_document(coverage_as_json(coverage))


def coverage_summary_line(coverage: Coverage) -> str:
    return (f"{len(coverage.fired)} of {len(coverage.rules)} rules fired ({coverage.percent:.1f}%) "
            f"in {coverage.scenarios} scenario{'' if coverage.scenarios == 1 else 's'}")


def render_coverage_table(coverage: Coverage) -> Text:
    text = Text()
    areas: dict[str, list[tuple[str, int]]] = {}
    for rule in coverage.rules:
        areas.setdefault(rule.area, []).append((rule.rule_id, rule.scenarios))
    width = max((len(r.rule_id) for r in coverage.rules), default=0)
    for area, rules in areas.items():
        fired = sum(1 for _, n in rules if n)
        text.append(f"{area}: {fired}/{len(rules)} rules fired\n", style="bold")
        for rule_id, count in rules:
            if count:
                text.append(f"  {rule_id:<{width}}  {count} scenario{'' if count == 1 else 's'}\n")
            else:
                text.append(f"  {rule_id:<{width}}  never fired\n", style="red")
    if coverage.errors:
        text.append("\n")
        for error in coverage.errors:
            text.append("ERROR ", style="bold red")
            text.append(f" {visible(error.error)}\n")
    text.append("\n")
    text.append(coverage_summary_line(coverage), style="bold")
    text.append("\n")
    return text
