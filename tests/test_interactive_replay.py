"""Each end-to-end scenario replayed through the interview: the interview's report is the file's.

A user who answers from the scenario file and says "don't know" to anything else; the
scenario saved at the end, run through `advisor consult FILE` (in-process), gives the same
JSON report, minus the `scenario` block that names where the facts came from.

The scenarios are replayed with the prompts answered by value (`ValuePrompter`: the same
Prompt objects the real prompter builds, each answered with what its key presses would give,
without prompt_toolkit: the interview, planner, drafts, saving and report are all real): every
scenario in CI (tests/conftest.py: DEEP), and while developing a sample in which every decision
any end-to-end scenario recommends is recommended at least once (11 of 28 scenarios today), so
an interview that leaves out what some decision needs still fails here. The real prompts driven
by key presses replay a sample covering every prompt kind while developing, and every scenario
in CI; for the sample, both replays must ask the same prompts in the same order and give the
same report.
"""

from __future__ import annotations

import json

import pytest
from conftest import DEEP, END_TO_END, recommending_every_decision
from test_interactive import DONT_KNOW, KeyTerminal, ValuePrompter, run

from advisor.cli.commands.consult import consult_file
from advisor.interactive import Prompter
from advisor.scenarios import load_scenario

# Replayed with key presses while developing: between them a number typed, a list ticked, a
# checklist, a choice, yes/no and "don't know" (the test below checks the sample still covers them).
KEY_PRESS_SAMPLE = ("vision-defect-detection-on-the-edge", "weekly-demand-forecasting")
KEY_PRESSES = [p for p in END_TO_END if DEEP or p.stem in KEY_PRESS_SAMPLE]
BY_VALUE = END_TO_END if DEEP else recommending_every_decision(KEY_PRESS_SAMPLE)  # ~0.3 CPU s a replay


def comparable(report: dict, indent: int | None = None) -> str:
    """The JSON report as text (so key order and number types count), minus the `scenario` block."""
    return json.dumps({k: v for k, v in report.items() if k != "scenario"}, indent=indent, ensure_ascii=False)


def assert_same_report(got: dict, expected: dict) -> None:
    # Compared compact (json's C encoder; `indent` takes its pure-Python one, ~10 ms a report),
    # and shown indented only when they differ, for a readable diff.
    if comparable(got) != comparable(expected):
        assert comparable(got, indent=2) == comparable(expected, indent=2)


def replay(tmp_path, path, knowledge, prompter: type[Prompter] = Prompter) -> tuple[dict, KeyTerminal]:
    facts = load_scenario(path, knowledge).facts
    saved = tmp_path / "answers.yaml"
    terminal = KeyTerminal(dict(facts), default=DONT_KNOW, save=str(saved))
    report, _, _ = run(tmp_path, terminal, prompter=prompter(terminal))

    assert terminal.asked, "the consultation asked something"
    assert_same_report(report, consult_file(saved).to_dict())
    # The interview asked every fact the file's own report rests on: same recommendations.
    from_file = consult_file(path).to_dict()
    assert {(r["decision"], r["choice"]) for r in report["recommendations"]} == \
           {(r["decision"], r["choice"]) for r in from_file["recommendations"]}
    return report, terminal


_BY_VALUE: dict[str, tuple[dict, KeyTerminal]] = {}  # each scenario's replay by value, kept for the tests below


def replay_by_value(tmp_path, path, knowledge) -> tuple[dict, KeyTerminal]:
    if path.stem not in _BY_VALUE:
        _BY_VALUE[path.stem] = replay(tmp_path / "value", path, knowledge, ValuePrompter)
    return _BY_VALUE[path.stem]


@pytest.mark.parametrize("path", BY_VALUE, ids=[p.stem for p in BY_VALUE])
def test_replayed_scenario_reports_as_its_saved_answers_do(tmp_path, path, knowledge):
    _BY_VALUE.pop(path.stem, None)
    replay_by_value(tmp_path, path, knowledge)


@pytest.mark.parametrize("path", KEY_PRESSES, ids=[p.stem for p in KEY_PRESSES])
def test_replayed_by_key_presses_asks_and_reports_as_by_value(tmp_path, path, knowledge):
    by_keys, keyed = replay(tmp_path / "keys", path, knowledge)
    by_value, valued = replay_by_value(tmp_path, path, knowledge)

    assert [(p.key, p.kind, p.options, p.default) for p in keyed.prompts] == \
           [(p.key, p.kind, p.options, p.default) for p in valued.prompts]
    assert_same_report(by_keys, by_value)


def test_the_key_press_sample_covers_every_prompt_kind(tmp_path, knowledge):
    """Between them the sampled scenarios type a number, tick a list and a checklist, pick a
    choice and yes/no, and answer "don't know"; so key presses reach every prompt kind."""
    seen: set[str] = set()
    vocabulary = knowledge.vocabulary
    for path in END_TO_END:
        if path.stem not in KEY_PRESS_SAMPLE:
            continue
        _, terminal = replay_by_value(tmp_path / path.stem, path, knowledge)
        for prompt in terminal.prompts:
            spec = vocabulary.fact(prompt.key)
            seen.add(spec.type if spec is not None else prompt.key)
        seen.update("don't know" for value in terminal.given.values() if value is None)
    assert {"number", "list", "checklist", "choice", "bool", "don't know"} <= seen, sorted(seen)
