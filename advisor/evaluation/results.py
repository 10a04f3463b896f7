"""Result objects of an evaluation run: plain data, small enough to send between processes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["passed", "failed", "error"]
CheckKind = Literal["decision", "open", "fires", "does_not_fire", "warns"]


@dataclass(frozen=True)
class Mismatch:
    """One expectation the advisor's answer did not meet, and why it answered as it did."""

    check: CheckKind
    subject: str                         # a decision name or a rule id
    expected: str | tuple[str, ...]
    got: str | tuple[str, ...] | None    # None: nothing (no recommendation)
    rules: tuple[str, ...] = ()          # the rules behind what it got
    reasons: tuple[str, ...] = ()        # plain-words explanation of the difference

    def summary(self) -> str:
        """One line, e.g. `decision sampling: expected sobol, got random`."""
        return f"{self.check} {self.subject}: expected {_words(self.expected)}, got {_words(self.got)}"


@dataclass(frozen=True)
class ScenarioResult:
    file: str
    name: str | None
    status: Status
    checks: int = 0                      # expectations checked
    mismatches: tuple[Mismatch, ...] = ()
    error: str | None = None             # one line, for status "error"
    fired: tuple[str, ...] = ()          # rule ids that fired (for coverage)


@dataclass(frozen=True)
class Summary:
    total: int
    passed: int
    failed: int
    errors: int

    def line(self) -> str:
        """`48 scenarios, 46 passed, 1 failed, 1 error`."""
        return (f"{self.total} scenario{'' if self.total == 1 else 's'}, {self.passed} passed, "
                f"{self.failed} failed, {self.errors} error{'' if self.errors == 1 else 's'}")


@dataclass(frozen=True)
class EvaluationRun:
    results: tuple[ScenarioResult, ...] = field(default_factory=tuple)

    @property
    def summary(self) -> Summary:
        count = {status: sum(r.status == status for r in self.results) for status in ("passed", "failed", "error")}
        return Summary(len(self.results), count["passed"], count["failed"], count["error"])

    @property
    def exit_code(self) -> int:
        """conftest style: 0 all passed, 1 some expectation failed, 2 some file could not be evaluated."""
        summary = self.summary
        if summary.errors:
            return 2
        return 1 if summary.failed else 0


def _words(value: str | tuple[str, ...] | None) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return value
