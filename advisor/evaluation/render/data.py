"""The JSON form of an evaluation run (the contract of `advisor evaluate --format json`)."""

from __future__ import annotations

import json
from typing import Any

from advisor.evaluation.results import EvaluationRun, Mismatch, ScenarioResult
from advisor.knowledge.vocabulary import plain


def run_as_json(run: EvaluationRun) -> dict[str, Any]:
    summary = run.summary
    return {
        "summary": {"total": summary.total, "passed": summary.passed, "failed": summary.failed,
                    "errors": summary.errors},
        "results": [result_as_json(r) for r in run.results],
    }


def result_as_json(result: ScenarioResult) -> dict[str, Any]:
    return {
        "file": result.file,
        "name": result.name,
        "status": result.status,
        "checks": result.checks,
        "mismatches": [mismatch_as_json(m) for m in result.mismatches],
        "error": result.error,
    }


def mismatch_as_json(mismatch: Mismatch) -> dict[str, Any]:
    return {
        "check": mismatch.check,
        "subject": mismatch.subject,
        "expected": _value(mismatch.expected),
        "got": _value(mismatch.got),
        "rules": list(mismatch.rules),
        "reasons": list(mismatch.reasons),
    }


def render_json(run: EvaluationRun) -> str:
    return json.dumps(run_as_json(run), indent=2, ensure_ascii=False) + "\n"


def _value(value: str | tuple[str, ...] | None) -> str | list[str] | None:
    return plain(value)
