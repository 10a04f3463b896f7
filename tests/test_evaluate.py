"""`advisor evaluate`: batch runs of scenario files through the real console script."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from conftest import DEEP, SCENARIOS

# A situation with clear answers (unstructured images -> deep learning -> GPU; batch scoring).
FACTS = {
    "ml_task": "computer_vision", "data_format": "unstructured", "dataset_size": "large",
    "data_source": "files", "stage": "production", "prediction_timing": "at_set_times",
    "trained_with_mlflow": True, "framework": "pytorch", "tolerates_interruption": True,
}
SUMMARY_LINE = re.compile(r"^(\d+) scenarios?, (\d+) passed, (\d+) failed, (\d+) errors?$")


def write_scenario(path: Path, name: str, facts: dict | None = None, expect: dict | None = None) -> Path:
    data = {"name": name, "facts": FACTS if facts is None else facts}
    if expect is not None:
        data["expect"] = expect
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def answer(advisor):
    """What the real engine answers for FACTS: single choices, multiple choices, fired rules."""
    consultation = advisor.consult(FACTS)
    vocabulary = advisor.knowledge.vocabulary
    single = {r.decision: r for r in consultation.recommendations if not vocabulary.decision(r.decision).multiple}
    multiple = {}
    for r in consultation.recommendations:
        if vocabulary.decision(r.decision).multiple:
            multiple.setdefault(r.decision, []).append(r.choice)
    assert single["processor"].choice == "gpu"
    return {"single": single, "multiple": multiple, "consultation": consultation}


def other_choice(knowledge, decision: str, choice: str) -> str:
    return next(c for c in knowledge.vocabulary.decision(decision).choices if c != choice)


def run_json(cli, *args: str) -> tuple[int, dict]:
    proc = cli("evaluate", *args, "--format", "json")
    assert proc.stdout, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def by_file(report: dict) -> dict[str, dict]:
    return {r["file"]: r for r in report["results"]}


# --- the done-when test: one wrong expectation and one broken file in a copy of the library ---

def test_planted_wrong_expectation_and_broken_file_in_a_library_copy(cli, knowledge, tmp_path):
    library = tmp_path / "library"
    if DEEP:
        shutil.copytree(SCENARIOS, library)
    else:  # two of its folders (29 scenarios), each evaluated three times below: all 244 in CI
        for folder in ("deploy", "manage"):
            shutil.copytree(SCENARIOS / folder, library / folder)
    code, baseline = run_json(cli, str(library))
    assert baseline["summary"]["total"] > 0

    # Plant: change one single-choice expectation of a passing scenario to another valid choice.
    target = decision = old = None
    for result in baseline["results"]:
        if result["status"] != "passed":
            continue
        data = yaml.safe_load(Path(result["file"]).read_text(encoding="utf-8"))
        for name, choice in (data.get("expect") or {}).get("decisions", {}).items():
            if not knowledge.vocabulary.decision(name).multiple:
                target, decision, old = Path(result["file"]), name, choice
                break
        if target:
            break
    assert target is not None, "the library needs a passing scenario that expects a single-choice decision"
    data["expect"]["decisions"][decision] = new = other_choice(knowledge, decision, old)
    target.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    broken = library / "zz-broken.yaml"
    broken.write_text("name: broken\nfacts: [unclosed\n", encoding="utf-8")

    code, report = run_json(cli, str(library))
    assert code == 2  # an error outranks a failure
    results = by_file(report)
    assert len(results) == baseline["summary"]["total"] + 1

    failed = results[str(target)]
    assert failed["status"] == "failed" and failed["error"] is None
    [mismatch] = failed["mismatches"]
    assert (mismatch["check"], mismatch["subject"], mismatch["expected"], mismatch["got"]) == (
        "decision", decision, new, old)
    consulted = json.loads(cli("consult", str(target), "--format", "json").stdout)
    behind = next(r["rules"] for r in consulted["recommendations"] if r["decision"] == decision)
    assert mismatch["rules"] == behind and behind
    assert mismatch["reasons"] and mismatch["reasons"][0].startswith(f"{new}: ")

    error = results[str(broken)]
    assert error["status"] == "error" and error["name"] is None
    assert error["error"].startswith(f"{broken}:3: malformed YAML")  # found at the end of the input

    # Everything else is reported exactly as before.
    for result in baseline["results"]:
        if result["file"] != str(target):
            assert results[result["file"]] == result
    summary = report["summary"]
    assert summary == {"total": len(results), "errors": baseline["summary"]["errors"] + 1,
                       "failed": baseline["summary"]["failed"] + 1,
                       "passed": baseline["summary"]["passed"] - 1}

    # The table tells the same story and ends with the summary line.
    table = cli("evaluate", str(library))
    assert table.returncode == 2
    assert f"FAILED  {target}" in table.stdout
    assert f"- decision {decision}: expected {new}, got {old}" in table.stdout
    assert f"from: {', '.join(behind)}" in table.stdout
    assert f"ERROR   {broken}:3: malformed YAML" in table.stdout
    last = table.stdout.rstrip("\n").splitlines()[-1]
    assert last == (f"{summary['total']} scenarios, {summary['passed']} passed, {summary['failed']} failed, "
                    f"{summary['errors']} error{'' if summary['errors'] == 1 else 's'}")

    # Without the broken file only the failure is left: exit 1.
    broken.unlink()
    if baseline["summary"]["errors"] == 0:
        assert cli("evaluate", str(library)).returncode == 1


def test_every_shipped_scenario_passes(cli):
    code, report = run_json(cli, str(SCENARIOS))
    problems = [(r["file"], r["error"] or [m for m in r["mismatches"]]) for r in report["results"]
                if r["status"] != "passed"]
    assert problems == []
    assert code == 0
    shipped = [p for p in SCENARIOS.rglob("*") if p.suffix in (".yaml", ".yml")]
    assert report["summary"]["total"] == len(shipped) > 0


# --- semantics -----------------------------------------------------------------

def test_exit_codes_and_summary_line(cli, knowledge, answer, tmp_path):
    processor = answer["single"]["processor"].choice
    good = write_scenario(tmp_path / "a-good.yaml", "good", expect={"decisions": {"processor": processor}})
    proc = cli("evaluate", str(good))
    assert (proc.returncode, proc.stdout) == (0, "1 scenario, 1 passed, 0 failed, 0 errors\n")

    write_scenario(tmp_path / "b-bad.yaml", "bad",
                   expect={"decisions": {"processor": other_choice(knowledge, "processor", processor)}})
    proc = cli("evaluate", str(tmp_path))
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[-1] == "2 scenarios, 1 passed, 1 failed, 0 errors"

    (tmp_path / "c-empty.yaml").write_text("", encoding="utf-8")
    proc = cli("evaluate", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stdout.splitlines()[-1] == "3 scenarios, 1 passed, 1 failed, 1 error"
    assert proc.stderr == ""


def test_a_scenario_without_expectations_passes_when_it_runs(cli, tmp_path):
    path = write_scenario(tmp_path / "plain.yaml", "no expectations")
    code, report = run_json(cli, str(path))
    assert code == 0
    assert report["results"] == [{"file": str(path), "name": "no expectations", "status": "passed",
                                  "checks": 0, "mismatches": [], "error": None}]


def test_multiple_choice_decisions_compare_as_sets(cli, knowledge, answer, tmp_path):
    decision, chosen = next(iter(answer["multiple"].items()))
    extra = other_choice(knowledge, decision, chosen[0]) if len(chosen) == 1 else None
    write_scenario(tmp_path / "a-same-set.yaml", "same set, any order",
                   expect={"decisions": {decision: list(reversed(chosen))}})
    write_scenario(tmp_path / "b-subset.yaml", "fewer than recommended",
                   expect={"decisions": {decision: chosen[:-1] or []}})
    if extra:
        write_scenario(tmp_path / "c-superset.yaml", "more than recommended",
                       expect={"decisions": {decision: [*chosen, extra]}})
    code, report = run_json(cli, str(tmp_path))
    results = {Path(r["file"]).name: r for r in report["results"]}
    assert results["a-same-set.yaml"]["status"] == "passed"
    subset = results["b-subset.yaml"]
    assert subset["status"] == "failed"
    assert subset["mismatches"][0]["got"] == [c for c in knowledge.vocabulary.decision(decision).choices
                                              if c in chosen]
    assert any(reason.startswith(f"{chosen[-1]} (not expected)") for reason in subset["mismatches"][0]["reasons"])
    if extra:
        superset = results["c-superset.yaml"]["mismatches"][0]
        assert extra in superset["expected"] and extra not in chosen
        assert superset["reasons"][0].startswith(f"{extra}: ")
    assert code == 1


def test_a_list_for_a_single_choice_decision_is_an_error(cli, tmp_path):
    path = write_scenario(tmp_path / "list.yaml", "list for one choice", expect={"decisions": {"processor": ["gpu"]}})
    code, report = run_json(cli, str(path))
    assert code == 2
    line = path.read_text(encoding="utf-8").splitlines().index("    processor:") + 1
    error = report["results"][0]["error"]
    assert error.startswith(f"{path}:{line}: expect.decisions.processor: processor takes a single choice")


def test_fires_does_not_fire_warns_and_open(cli, knowledge, answer, tmp_path):
    consultation = answer["consultation"]
    fired = sorted(consultation.fired_ids())
    silent = next(r.id for r in knowledge.rules if r.id not in fired and r.conclusion.kind == "warn")
    undecided = next(d.name for d in knowledge.vocabulary.decisions
                     if d.name not in {r.decision for r in consultation.recommendations})
    write_scenario(tmp_path / "a-right.yaml", "right",
                   expect={"fires": fired[:2], "does_not_fire": [silent], "open": [undecided]})
    write_scenario(tmp_path / "b-wrong.yaml", "wrong",
                   expect={"fires": [silent], "does_not_fire": [fired[0]], "warns": [silent],
                           "open": ["processor"]})
    code, report = run_json(cli, str(tmp_path))
    assert code == 1
    right, wrong = report["results"]
    assert right["status"] == "passed" and right["checks"] == 4
    checks = {(m["check"], m["subject"]): m for m in wrong["mismatches"]}
    assert list(checks) == [("open", "processor"), ("fires", silent), ("does_not_fire", fired[0]),
                            ("warns", silent)]
    assert checks[("open", "processor")]["got"] == "gpu"
    assert checks[("open", "processor")]["rules"] == list(answer["single"]["processor"].rules)
    assert checks[("fires", silent)]["got"] == "not fired"
    assert checks[("fires", silent)]["reasons"][0].startswith(f"{silent} needs ")
    assert checks[("does_not_fire", fired[0])]["reasons"][0].startswith(f"{fired[0]} fired (")
    assert checks[("warns", silent)]["got"] == "no warning"


# --- output formats ------------------------------------------------------------

@pytest.fixture
def mixed(tmp_path, knowledge, answer):
    """A folder with passing, failing and broken scenarios."""
    processor = answer["single"]["processor"].choice
    wrong = other_choice(knowledge, "processor", processor)
    write_scenario(tmp_path / "s" / "pass-1.yaml", "passes once", expect={"decisions": {"processor": processor}})
    write_scenario(tmp_path / "s" / "pass-2.yml", "passes <twice> & | pipes", expect={"open": ["sampling"]})
    write_scenario(tmp_path / "s" / "sub" / "fail.yaml", "fails",
                   expect={"decisions": {"processor": wrong}, "open": ["processor"]})
    (tmp_path / "s" / "sub" / "broken.yaml").write_text("- a list\n", encoding="utf-8")
    (tmp_path / "s" / "notes.txt").write_text("not a scenario", encoding="utf-8")
    return tmp_path / "s"


def test_json_output_contract(cli, mixed):
    code, report = run_json(cli, str(mixed))
    assert code == 2
    assert set(report) == {"summary", "results"}
    assert report["summary"] == {"total": 4, "passed": 2, "failed": 1, "errors": 1}
    assert all(type(v) is int for v in report["summary"].values())
    assert [Path(r["file"]).name for r in report["results"]] == ["pass-1.yaml", "pass-2.yml", "broken.yaml",
                                                                 "fail.yaml"]
    for result in report["results"]:
        assert set(result) == {"file", "name", "status", "checks", "mismatches", "error"}
        assert isinstance(result["file"], str) and type(result["checks"]) is int
        assert result["status"] in ("passed", "failed", "error")
        assert isinstance(result["name"], str) or (result["name"] is None and result["status"] == "error")
        assert isinstance(result["error"], str) == (result["status"] == "error")
        assert bool(result["mismatches"]) == (result["status"] == "failed")
        for m in result["mismatches"]:
            assert set(m) == {"check", "subject", "expected", "got", "rules", "reasons"}
            assert m["check"] in ("decision", "open", "fires", "does_not_fire", "warns")
            assert isinstance(m["subject"], str)
            assert isinstance(m["expected"], (str, list))
            assert m["got"] is None or isinstance(m["got"], (str, list))
            assert all(isinstance(x, str) for x in m["rules"] + m["reasons"])
    broken = report["results"][2]
    assert broken["error"] == (f"{mixed / 'sub' / 'broken.yaml'}:1: "
                               "top level is a list; expected a mapping with name and facts")
    assert "\n" not in broken["error"]
    assert [m["check"] for m in report["results"][3]["mismatches"]] == ["decision", "open"]


def test_junit_output_is_junit_xml(cli, mixed):
    proc = cli("evaluate", str(mixed), "--format", "junit")
    assert proc.returncode == 2
    root = ET.fromstring(proc.stdout)
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    for element in (root, suite):
        assert (element.get("tests"), element.get("failures"), element.get("errors")) == ("4", "1", "1")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["passes once", "passes <twice> & | pipes",
                                               str(mixed / "sub" / "broken.yaml"), "fails"]
    assert all(c.get("classname") == c.get("file") for c in cases)
    assert [len(c) for c in cases[:2]] == [0, 0]
    [error] = cases[2]
    assert error.tag == "error"
    assert error.get("message").endswith("top level is a list; expected a mapping with name and facts")
    [failure] = cases[3]
    assert failure.tag == "failure"
    assert failure.get("message").startswith("decision processor: expected ")
    assert "(and 1 more)" in failure.get("message")
    assert "open processor: expected open, got gpu" in failure.text


def test_markdown_output(cli, mixed):
    proc = cli("evaluate", str(mixed), "--format", "markdown")
    assert proc.returncode == 2
    text = proc.stdout
    assert "**4 scenarios, 2 passed, 1 failed, 1 error**" in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[0] == "| Status | File | Scenario | Details |"
    assert len(rows) == 3  # header + the failure + the error; passes go in a details block
    assert all(row.count(" | ") == 3 for row in rows[1:])  # no cell breaks the table
    assert "passes &lt;twice&gt; &amp; \\| pipes" in text


def test_output_file_and_glob_patterns(cli, mixed, tmp_path):
    out = tmp_path / "report.json"
    proc = cli("evaluate", str(mixed / "**" / "*.yaml"), "--format", "json", "--output", str(out))
    assert (proc.returncode, proc.stdout) == (2, "")
    report = json.loads(out.read_text(encoding="utf-8"))
    # The pattern matches .yaml only (not pass-2.yml).
    assert [Path(r["file"]).name for r in report["results"]] == ["pass-1.yaml", "broken.yaml", "fail.yaml"]
    # A file named twice is evaluated once; a pattern matching no scenario is an error.
    proc = cli("evaluate", str(mixed / "pass-1.yaml"), str(mixed / "pass-1.yaml"), str(mixed / "*.txt"))
    assert proc.returncode == 2
    assert "no scenario files (*.yaml, *.yml) match this pattern" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "2 scenarios, 1 passed, 0 failed, 1 error"

    missing = cli("evaluate", str(mixed), "--output", str(tmp_path / "nowhere" / "r.txt"))
    assert missing.returncode == 2
    assert "the folder for the output file does not exist" in missing.stderr


def test_schema_json_next_to_scenarios_is_skipped(cli, mixed):
    (mixed / "scenario.schema.json").write_text(cli("schema").stdout, encoding="utf-8")
    files = sorted(str(p) for p in mixed.glob("*"))  # what a shell makes of `advisor evaluate s/*`
    code, report = run_json(cli, *[f for f in files if not f.endswith(".txt")])
    assert "scenario.schema.json" not in {Path(r["file"]).name for r in report["results"]}
    assert report["summary"]["total"] == 4


def test_parallel_output_equals_serial_output_byte_for_byte(cli, cli_process, mixed):
    # Enough files that the pool is really used (few files run in-process).
    for i in range(40):
        shutil.copy(mixed / ("pass-1.yaml", "sub/fail.yaml", "sub/broken.yaml")[i % 3], mixed / f"copy-{i:02d}.yaml")
    for fmt in ("table", "json", "junit"):
        serial = cli("evaluate", str(mixed), "--jobs", "1", "--format", fmt)
        parallel = cli_process("evaluate", str(mixed), "--jobs", "2", "--format", fmt)  # forked workers
        assert serial.returncode == parallel.returncode == 2
        assert parallel.stdout == serial.stdout
        assert parallel.stderr == serial.stderr == ""  # and no progress bar when piped
    assert serial.stdout.count("<testcase ") == 44


def test_a_serial_evaluation_imports_no_process_pool(mixed):
    """--jobs 1 (and a batch too small for a pool) never starts workers, so it pays for neither
    multiprocessing nor concurrent.futures (issue 26: ~10-15 ms of every serial run), nor for
    the why-not explanations while every expectation holds, nor (JSON) for the Markdown and XML
    escapes. A fresh interpreter: the point."""
    unused = ("multiprocessing", "concurrent.futures", "advisor.explain.whynot",
              "advisor.presentation.escape.markdown", "advisor.presentation.escape.xml")
    code = ("import sys\nfrom advisor.cli.app import main\n"
            "try:\n    main(['evaluate', sys.argv[1], '--jobs', '1', '--format', 'json'])\n"
            "except SystemExit as exit_:\n    assert exit_.code == 0, exit_.code\n"
            f"print(sorted(m for m in {unused!r} if m in sys.modules), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", code, str(mixed / "pass-1.yaml")], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines()[-1] == "[]"


def test_bad_usage_exits_2(cli, mixed):
    assert cli("evaluate").returncode == 2
    assert cli("evaluate", str(mixed), "--jobs", "0").returncode == 2
    assert cli("evaluate", str(mixed), "--format", "yaml").returncode == 2


def test_verbose_table_lists_passed_scenarios(cli, mixed):
    proc = cli("evaluate", str(mixed), "--verbose")
    lines = proc.stdout.splitlines()
    assert f"PASSED  {mixed / 'pass-1.yaml'}  passes once" in lines
    assert lines[-1] == "4 scenarios, 2 passed, 1 failed, 1 error"


def test_progress_bar_on_a_terminal_only(mixed):
    import pexpect
    from conftest import CONSOLE_SCRIPT

    for i in range(60):
        shutil.copy(mixed / "pass-1.yaml", mixed / f"copy-{i:02d}.yaml")
    # A terminal that can draw a bar (rich draws none for TERM=dumb, as a CI log may set).
    child = pexpect.spawn(CONSOLE_SCRIPT, ["evaluate", str(mixed), "--jobs", "2"], encoding="utf-8",
                          timeout=120, dimensions=(40, 120), env={**os.environ, "TERM": "xterm"})
    screen = child.read()
    child.close()
    assert child.exitstatus == 2
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)
    assert "evaluating" in plain and "/64" in plain  # the bar, counting files
    assert plain.rstrip().splitlines()[-1].strip() == "64 scenarios, 62 passed, 1 failed, 1 error"
