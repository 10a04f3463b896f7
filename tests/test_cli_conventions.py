"""Conventions a user expects of any CLI: `-o/--output` wherever a result is written, one
`--format` choice with `text` as the human format, `consult -` for standard input, help
without Python type names, and full names (never cut off) when output is piped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
FRAUD = ROOT / "scenarios" / "end-to-end" / "real-time-fraud-detection.yaml"

RESULT_COMMANDS = [["consult"], ["explain"], ["evaluate"], ["vocabulary"], ["schema"], ["drill"],
                   ["rules", "list"], ["rules", "show"], ["rules", "lint"], ["rules", "coverage"]]
TYPE_NAME = re.compile(r"<(?:int|str|float|bool|path|Path|datetime|uuid|list\[[^\]]*\]|[a-z]+ range)>|\{[A-Za-z_]+\}")


def all_commands() -> list[list[str]]:
    from advisor.cli.app import build_app
    from advisor.cli.framework import App

    found = []

    def walk(command, path):
        if isinstance(command, App):
            for name, sub in command.all_commands().items():
                walk(sub, path + [name])
        else:
            found.append(path)

    walk(build_app(), [])
    return found


def test_every_command_is_found():
    names = {" ".join(c) for c in all_commands()}
    assert {"consult", "explain", "rules list", "rules lint", "rules coverage", "rules show"} <= names


@pytest.mark.parametrize("command", RESULT_COMMANDS, ids=" ".join)
def test_every_command_that_writes_a_result_has_output(command):
    result = run_cli(*command, "--help")
    assert result.returncode == 0
    assert re.search(r"-o, --output FILE", result.stdout), result.stdout


def test_help_has_no_python_type_names():
    pages = [[]] + [c for c in all_commands()] + [["rules"]]
    for command in pages:
        result = run_cli(*command, "--help")
        assert result.returncode == 0, command
        leaked = TYPE_NAME.findall(result.stdout)
        assert not leaked, f"advisor {' '.join(command)} --help shows {leaked}"


@pytest.mark.parametrize("command", [["rules", "list"], ["rules", "lint"], ["evaluate", str(FRAUD)],
                                     ["rules", "coverage", str(FRAUD)], ["vocabulary"],
                                     ["explain", str(FRAUD), "--no-flips"]],
                         ids=lambda c: " ".join(c[:2]))
def test_text_is_the_human_format_everywhere(command):
    as_text = run_cli(*command, "--format", "text")
    default = run_cli(*command)
    assert as_text.returncode == default.returncode and as_text.returncode in (0, 1)
    assert as_text.stdout == default.stdout


def test_table_is_still_accepted_for_text():
    table = run_cli("evaluate", FRAUD, "--format", "table")
    text = run_cli("evaluate", FRAUD, "-f", "text")
    assert table.returncode == text.returncode == 0 and table.stdout == text.stdout


def test_a_format_a_command_does_not_have_is_refused_with_the_allowed_ones():
    result = run_cli("rules", "list", "--format", "junit")
    assert result.returncode == 2
    assert "text, json" in result.stderr


def test_consult_dash_reads_the_scenario_from_standard_input():
    piped = run_cli("consult", "-", "-f", "json", input=FRAUD.read_text())
    from_file = run_cli("consult", FRAUD, "-f", "json")
    assert piped.returncode == from_file.returncode == 0
    piped_report, file_report = json.loads(piped.stdout), json.loads(from_file.stdout)
    assert piped_report["scenario"]["file"] == "<stdin>"
    assert piped_report["recommendations"] == file_report["recommendations"]
    assert piped_report["scenario"]["name"] == file_report["scenario"]["name"]


def test_consult_dash_with_bad_input_is_one_line():
    result = run_cli("consult", "-", input=b"name: x\nfacts: {nope: 1}\n")
    assert result.returncode == 2
    assert result.stderr.startswith("advisor: error: <stdin>:2:") and result.stderr.count("\n") == 1
    result = run_cli("consult", "-", input=b"\xff\xfe")
    assert result.returncode == 2 and "not UTF-8" in result.stderr


def test_piped_rules_list_prints_every_rule_id_in_full(knowledge):
    result = run_cli("rules", "list")
    assert result.returncode == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == ["id", "section", "then", "title"]
    assert [row[0] for row in rows[1:]] == [r.id for r in knowledge.rules]
    assert [row[3] for row in rows[1:]] == [r.title for r in knowledge.rules]
    assert "…" not in result.stdout


def test_piped_vocabulary_prints_every_fact_name_in_full(knowledge):
    result = run_cli("vocabulary")
    assert result.returncode == 0
    facts_part, decisions_part = result.stdout.split("\n\n")
    fact_rows = [line.split("\t") for line in facts_part.splitlines()[1:]]
    assert [row[0] for row in fact_rows] == [f.name for f in knowledge.vocabulary.input_facts]
    assert [row[3] for row in fact_rows] == [f.question for f in knowledge.vocabulary.input_facts]
    decision_rows = [line.split("\t") for line in decisions_part.splitlines()[1:]]
    assert [row[0] for row in decision_rows] == [d.name for d in knowledge.vocabulary.decisions]
    assert "…" not in result.stdout


@pytest.mark.parametrize("command", [["rules", "list"], ["vocabulary"], ["schema"],
                                     ["rules", "show", "sweep.sobol-for-reproducibility"],
                                     ["explain", str(FRAUD), "--no-flips"], ["evaluate", str(FRAUD)],
                                     ["consult", str(FRAUD)]],
                         ids=lambda c: " ".join(c[:2]))
def test_output_file_holds_what_stdout_would(command, tmp_path):
    target = tmp_path / "out.txt"
    to_stdout = run_cli(*command)
    to_file = run_cli(*command, "-o", target)
    assert to_stdout.returncode == to_file.returncode == 0
    assert to_file.stdout == ""
    assert target.read_text(encoding="utf-8") == to_stdout.stdout
