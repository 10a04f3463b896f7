"""The shipped scenario library exercises the whole rule base (issue: coverage enforced in CI)."""

from __future__ import annotations

import json

from conftest import SCENARIOS


def test_shipped_library_fires_every_rule(cli, knowledge):
    result = cli("rules", "coverage", str(SCENARIOS), "--min", "100", "--format", "json")
    report = json.loads(result.stdout)
    never = [r["id"] for r in report["rules"] if not r["scenarios"]]
    assert never == [], f"rules no shipped scenario fires: {never}"
    assert result.returncode == 0, result.stderr
    assert report["summary"]["rules"] == len(knowledge.rules)
    assert report["summary"]["errors"] == 0
