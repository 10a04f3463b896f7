"""Each end-to-end scenario replayed through the real prompts: the interview's report is the file's.

A user who answers from the scenario file and says "don't know" to anything else; the
scenario saved at the end, run through `advisor consult FILE` (in-process), gives the same
JSON report, minus the `scenario` block that names where the facts came from.
"""

from __future__ import annotations

import json

import pytest
from conftest import SCENARIOS
from test_interactive import DONT_KNOW, KeyTerminal, run

from advisor.cli.commands.consult import consult_file
from advisor.scenarios import load_scenario

END_TO_END = sorted((SCENARIOS / "end-to-end").glob("*.yaml"))


def comparable(report: dict) -> str:
    return json.dumps({k: v for k, v in report.items() if k != "scenario"}, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("path", END_TO_END, ids=[p.stem for p in END_TO_END])
def test_replayed_scenario_reports_as_its_saved_answers_do(tmp_path, path, knowledge):
    facts = load_scenario(path, knowledge).facts
    saved = tmp_path / "answers.yaml"
    terminal = KeyTerminal(dict(facts), default=DONT_KNOW, save=str(saved))
    report, answers, _ = run(tmp_path, terminal)

    assert terminal.asked, "the consultation asked something"
    assert comparable(report) == comparable(consult_file(saved).to_dict())
    # The interview asked every fact the file's own report rests on: same recommendations.
    from_file = consult_file(path).to_dict()
    assert {(r["decision"], r["choice"]) for r in report["recommendations"]} == \
           {(r["decision"], r["choice"]) for r in from_file["recommendations"]}
