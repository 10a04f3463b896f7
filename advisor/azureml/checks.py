"""The review's checks (checks.yaml): each rule a review reports, its severity (impact: high =
security or outage, medium = cost or correctness risk, low = advice) and the kinds it checks.
A warning from a rule not listed here (a rule added elsewhere that review facts happen to fire)
is reported at medium, said so by `advisor review --list`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from advisor.records import record

SEVERITIES = ("low", "medium", "high")
DEFAULT_SEVERITY = "medium"
CATALOG = Path(__file__).with_name("checks.yaml")


@record(frozen=True)
class Check:
    rule_id: str
    severity: str
    kinds: tuple[str, ...]
    hint: bool = False
    line: str | None = None  # the fact whose line the finding sits on (default: the settings behind it)


@cache
def checks() -> dict[str, Check]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: this runs on every review
    data = yaml.load(CATALOG.read_text(encoding="utf-8"), Loader=loader)["checks"]
    return {rule_id: Check(rule_id, spec["severity"], tuple(spec.get("kinds", ())), bool(spec.get("hint")),
                           spec.get("line"))
            for rule_id, spec in data.items()}


def check(rule_id: str) -> Check:
    return checks().get(rule_id) or Check(rule_id, DEFAULT_SEVERITY, ())


def severity_of(rule_id: str) -> str:
    return check(rule_id).severity


def catalog(knowledge) -> list[dict]:
    """Every check, for `advisor review --list`: the review rules that warn, then the rules of
    other areas that review facts fire (checks.yaml lists them)."""
    rules = [r for r in knowledge.rules_in_area("review") if r.conclusion.kind == "warn"]
    listed = {r.id for r in rules}
    rules += [r for rule_id in checks() if rule_id not in listed
              for r in [knowledge.rule(rule_id)] if r is not None]
    return [{"id": r.id, "severity": check(r.id).severity, "kinds": list(check(r.id).kinds),
             "hint": check(r.id).hint, "title": r.title, "source": r.source} for r in rules]
