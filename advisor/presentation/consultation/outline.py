"""The parts of a consultation report every format shows, in the order it shows them:
title, summary, warnings, architecture, recommendations by guide section (derivations),
facts given in words, open decisions, sources, provenance. Formats differ only in markup."""

from __future__ import annotations

from collections import Counter
from typing import Any

CERTAINTY_NOTE = (
    "Each rule carries a strength (0 to 1). A rule that fires gets the certainty strength × the "
    "weakest of its premises (a fact you gave counts 1.0; a concluded fact counts the certainty of "
    "the rule that concluded it). When several rules support the same choice their certainties "
    "combine as in MYCIN: cf = cf1 + cf2 × (1 − cf1). Below 0.6 a recommendation is marked weak; "
    "contested means rules of equal rank proposed different choices.")


def title(report: dict[str, Any]) -> str:
    return (report.get("scenario") or {}).get("name") or "Consultation"


def marks(rec: dict[str, Any]) -> list[str]:
    """'weak', 'contested' (both can hold)."""
    return [name for name in ("weak", "contested") if rec[name]]


def by_section(report: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The recommendations in guide order, grouped under each section's heading."""
    groups = []
    for section in report["sections"]:
        recs = [r for r in report["recommendations"] if r["section"] == section["id"]]
        if recs:
            groups.append((section["heading"], recs))
    return groups


def summary_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every recommendation once, in the order the derivations follow."""
    return [rec for _, recs in by_section(report) for rec in recs]


def _walk(node: dict[str, Any]):
    yield node
    for child in node["children"]:
        yield from _walk(child)


def shared_chains(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Sub-derivations (a concluded fact and how it came about) met more than once in the
    report: rule id -> its first tree. Formats print each once and refer to it elsewhere."""
    seen: Counter[str] = Counter()
    first: dict[str, dict[str, Any]] = {}
    for rec in report["recommendations"]:
        for root in rec["derivation"]:
            for child in root["children"]:
                for node in _walk(child):
                    seen[node["rule"]] += 1
                    first.setdefault(node["rule"], node)
    shared = {rule for rule, n in seen.items() if n > 1}
    # A chain inside a shared chain is printed with it: list only the chains a recommendation
    # reaches outside every shared chain. One that a derivation also reaches directly (two
    # paths to one concluded fact) stays listed, or its card would print it twice.
    while True:
        reached = {node["rule"] for rec in report["recommendations"] for root in rec["derivation"]
                   for child in root["children"] for node in _outside(child, shared)}
        if shared <= reached:
            return {rule: first[rule] for rule in first if rule in shared}
        shared &= reached


def _outside(node: dict[str, Any], shared: set[str]):
    """The nodes of a card's tree as printed: a shared chain is a reference, not walked into."""
    yield node
    if node["rule"] not in shared:
        for child in node["children"]:
            yield from _outside(child, shared)


def sources(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every guide unit the report cites, in first-cited order: url, unit title, rules citing it."""
    cited: dict[str, dict[str, Any]] = {}

    def cite(url: str, unit: str, rule: str) -> None:
        entry = cited.setdefault(url, {"url": url, "unit": unit, "rules": []})
        if rule not in entry["rules"]:
            entry["rules"].append(rule)

    for rec in summary_rows(report):
        for root in rec["derivation"]:
            for node in _walk(root):
                cite(node["source"], node["unit"], node["rule"])
    for warning in report["warnings"]:
        cite(warning["source"], warning["unit"], warning["rule"])
    return list(cited.values())


def provenance_line(report: dict[str, Any]) -> str:
    p = report.get("provenance") or {}
    parts = [f"advisor {p.get('advisor', '?')}", f"rule base {p.get('rule_base', '?')}", p.get("date", "")]
    scenario_file = (report.get("scenario") or {}).get("file")
    if scenario_file:
        parts.append(f"scenario {scenario_file}")
    return "Written by " + ", ".join(part for part in parts if part) + ", from the DP-100 study guide."
