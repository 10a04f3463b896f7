"""The parts of a consultation report every format shows, in the order it shows them:
title, architecture summary (five lines), warnings, the diagram, recommendations by guide
section (one row per decision), the derivations (collapsed), facts given in words, open
decisions, sources, provenance. Formats differ only in markup."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from advisor.presentation.consultation.data import Recommendation, Report, Step

CERTAINTY_NOTE = (
    "Each rule carries a strength (0 to 1). A rule that fires gets the certainty strength × the "
    "weakest of its premises (a fact you gave counts 1.0; a concluded fact counts the certainty of "
    "the rule that concluded it). When several rules support the same choice their certainties "
    "combine as in MYCIN: cf = cf1 + cf2 × (1 − cf1). Below 0.6 a recommendation is marked weak; "
    "contested means rules of equal rank proposed different choices.")

FIRM_CERTAINTY = 0.8

# The architecture in five lines: each line's decisions, most telling first.
SUMMARY_LINES = (
    ("Service", ("training_service",)),
    ("Training", ("training_compute", "processor", "vm_family", "distributed_processing", "cluster_tier",
                  "job_type", "sampling", "early_termination", "environment")),
    ("Data", ("training_data_store", "data_asset_type", "datastore_type", "ingestion_tool")),
    ("Deployment", ("endpoint_type", "deployment_compute", "model_type", "rollout", "scoring_assets")),
    ("Operations", ("monitoring", "retraining_trigger", "retraining_automation", "workspace_layout")),
)
CHOICES_PER_LINE = 3
ARCHITECTURE_DECISIONS = frozenset(d for _, decisions in SUMMARY_LINES for d in decisions)


def certainty_word(rec: Recommendation) -> str:
    """The certainty in one word: contested, weak (< 0.6), likely (< 0.8) or firm."""
    if rec.contested:
        return "contested"
    if rec.weak:
        return "weak"
    return "likely" if rec.certainty < FIRM_CERTAINTY else "firm"


@dataclass(frozen=True)
class SummaryLine:
    area: str
    chosen: tuple[Recommendation, ...]   # at most CHOICES_PER_LINE
    more: int                            # further choices not shown on the line
    open: tuple[str, ...]                # titles of its decisions still open (when nothing is chosen)


def architecture_summary(report: Report) -> list[SummaryLine]:
    """At most five lines: service, training, data, deployment, operations; a line with nothing
    chosen and nothing open is left out."""
    open_titles = {o.decision: o.title for o in report.open}
    lines = []
    for area, decisions in SUMMARY_LINES:
        chosen = [rec for d in decisions for rec in report.chosen(d)]
        still_open = tuple(open_titles[d] for d in decisions if d in open_titles)
        if chosen or still_open:
            lines.append(SummaryLine(area, tuple(chosen[:CHOICES_PER_LINE]),
                                     max(0, len(chosen) - CHOICES_PER_LINE), () if chosen else still_open[:2]))
    return lines


def title(report: Report) -> str:
    return report.title


def marks(rec: Recommendation) -> list[str]:
    """'weak', 'contested' (both can hold)."""
    return rec.marks


def by_section(report: Report) -> list[tuple[str, list[Recommendation]]]:
    """The recommendations in guide order, grouped under each section's heading."""
    groups = []
    for section in report.sections:
        recs = [r for r in report.recommendations if r.section == section.id]
        if recs:
            groups.append((section.heading, recs))
    return groups


def rows_by_section(report: Report) -> list[tuple[str, list[list[Recommendation]]]]:
    """By guide section, one row per decision: a decision with several choices is one row."""
    out = []
    for heading, recs in by_section(report):
        rows: dict[str, list[Recommendation]] = {}
        for rec in recs:
            rows.setdefault(rec.decision, []).append(rec)
        out.append((heading, list(rows.values())))
    return out


def summary_rows(report: Report) -> list[Recommendation]:
    """Every recommendation once, in the order the derivations follow."""
    return [rec for _, recs in by_section(report) for rec in recs]


def shared_chains(report: Report) -> dict[str, Step]:
    """Sub-derivations (a concluded fact and how it came about) met more than once in the
    report: rule id -> its first tree. Formats print each once and refer to it elsewhere."""
    seen: Counter[str] = Counter()
    first: dict[str, Step] = {}
    for rec in report.recommendations:
        for root in rec.derivation:
            for child in root.children:
                for node in child.walk():
                    seen[node.rule] += 1
                    first.setdefault(node.rule, node)
    shared = {rule for rule, n in seen.items() if n > 1}
    # A chain inside a shared chain is printed with it: list only the chains a recommendation
    # reaches outside every shared chain. One that a derivation also reaches directly (two
    # paths to one concluded fact) stays listed, or its card would print it twice.
    while True:
        reached = {node.rule for rec in report.recommendations for root in rec.derivation
                   for child in root.children for node in _outside(child, shared)}
        if shared <= reached:
            return {rule: first[rule] for rule in first if rule in shared}
        shared &= reached


def _outside(node: Step, shared: set[str]):
    """The nodes of a card's tree as printed: a shared chain is a reference, not walked into."""
    yield node
    if node.rule not in shared:
        for child in node.children:
            yield from _outside(child, shared)


def chain(rec: Recommendation) -> tuple[list[str], list[str]]:
    """A derivation collapsed to one line: the rules from the conclusion down, and the user's
    facts at its leaves (each once)."""
    rules: list[str] = []
    given: list[str] = []
    for root in rec.derivation:
        for node in root.walk():
            if node.rule not in rules:
                rules.append(node.rule)
            for fact in node.facts:
                if fact.from_user and fact.name not in given:
                    given.append(fact.name)
    return rules, given


def sources(report: Report) -> list[dict]:
    """Every guide unit the report cites, in first-cited order: url, unit title, rules citing it."""
    cited: dict[str, dict] = {}

    def cite(url: str, unit: str, rule: str) -> None:
        entry = cited.setdefault(url, {"url": url, "unit": unit, "rules": []})
        if rule not in entry["rules"]:
            entry["rules"].append(rule)

    for rec in summary_rows(report):
        for root in rec.derivation:
            for node in root.walk():
                cite(node.source, node.unit, node.rule)
    for warning in report.warnings:
        cite(warning.source, warning.unit, warning.rule)
    return list(cited.values())


def provenance_line(report: Report) -> str:
    p = report.provenance
    parts = [f"advisor {p.advisor}", f"rule base {p.rule_base}", p.date]
    if report.scenario.file:
        parts.append(f"scenario {report.scenario.file}")
    return "Written by " + ", ".join(part for part in parts if part) + ", from the DP-100 study guide."
