"""What the lint reports: findings about the rule base, and the overall outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.knowledge.vocabulary import plain

# Check ids, in the order findings are listed. Errors stop the rule base from loading.
CHECKS = {
    "duplicate-id": "two rules share an id",
    "source-not-in-guide": "a rule cites a URL that is not a unit of the study guide",
    "placeholder": "a rule still holds a TODO that `advisor rules new` wrote",
    "never-true": "a rule's condition can never be true, so it never fires",
    "conflict": "two rules at the same priority can fire together and disagree",
    "shadowed": "whenever the rule fires a higher-ranked rule overrules it, so it never wins",
    "contradiction": "a warning says the advisor picks nothing for a decision, yet a rule recommending it can fire",
    "unsourced-ranking": "a rule outranks a rival for the same decision with no `ranked_by` sentence that ranks them",
    "incompatible": "choices declared incompatible (rules/scope.yaml) can still be recommended together",
    "scope-never-holds": "a scope entry's condition can never be true, so it never sets anything aside",
    "scope-fact-still-read": "a fact a scope entry stops asking is still read by a rule it does not set aside",
    "unreachable-choice": "a decision's choice no live rule can recommend",
    "uncovered": "a decision (or derived fact) no rule produces",
    "no-example": "a rule without a `fires` or a `does_not_fire` example in its <area>.examples.yaml",
    "load-error": "the rule base does not load (the engine refuses it too), so the checks above it ran alone",
}
ERROR_CHECKS = frozenset({"load-error", "duplicate-id", "unsourced-ranking"})


@dataclass(frozen=True)
class LintFinding:
    check: str
    message: str
    rules: tuple[str, ...] = ()
    subject: str | None = None        # the decision or fact concerned, if any
    file: str | None = None
    line: int | None = None
    witness: dict[str, Any] | None = field(default=None, compare=False)  # facts showing the problem

    @property
    def severity(self) -> str:
        return "error" if self.check in ERROR_CHECKS else "warning"

    @property
    def location(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def as_json(self) -> dict[str, Any]:
        return {
            "check": self.check, "severity": self.severity, "rules": list(self.rules),
            "subject": self.subject, "file": self.file, "line": self.line, "message": self.message,
            "witness": None if self.witness is None else plain(self.witness),
        }


@dataclass(frozen=True)
class LintReport:
    rules_dir: Path
    rule_count: int
    loaded: bool                      # False: the semantic checks could not run
    findings: tuple[LintFinding, ...]
    guide_text: Path | None = None    # the study guide text the sources were checked against

    @property
    def status(self) -> str:
        if not self.loaded or any(f.severity == "error" for f in self.findings):
            return "error"
        return "findings" if self.findings else "clean"

    @property
    def exit_code(self) -> int:
        return {"clean": 0, "findings": 1, "error": 2}[self.status]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.check] = counts.get(finding.check, 0) + 1
        return counts

    def as_json(self) -> dict[str, Any]:
        return {
            "rules_dir": str(self.rules_dir),
            "rules": self.rule_count,
            "guide_text": None if self.guide_text is None else str(self.guide_text),
            "status": self.status,
            "counts": self.counts(),
            "findings": [f.as_json() for f in self.findings],
        }


def sort_findings(findings: list[LintFinding]) -> tuple[LintFinding, ...]:
    order = list(CHECKS)
    return tuple(sorted(findings, key=lambda f: (order.index(f.check), f.file or "", f.line or 0,
                                                 f.rules, f.subject or "")))
