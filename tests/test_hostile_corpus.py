"""The hostile-input corpus (tests/hostile/) against every command that reads scenario or
Azure ML YAML: each bad file is one clear line naming file and line, exit code 2, never a
traceback; in a batch it fails alone; the drill library skips it."""

from __future__ import annotations

import shutil

import pytest
from conftest import SCENARIOS
from hostile.harness import assert_clean, corpus, expectation, run, strict_json, well_formed_xml

SCENARIO_FILES = corpus("scenarios")
AZUREML_FILES = corpus("azureml")
GOOD = SCENARIOS / "image-classifier.yaml"
CLEAN_AZUREML = SCENARIOS.parent / "tests" / "fixtures" / "azureml" / "clean" / "compute-production-warm.yml"
COMMANDS = {
    "consult-text": ["consult", "{}"],
    "consult-json": ["consult", "{}", "--format", "json"],
    "consult-markdown": ["consult", "{}", "--format", "markdown"],
    "consult-html": ["consult", "{}", "--format", "html"],
    "explain-text": ["explain", "{}"],
    "explain-json": ["explain", "{}", "--format", "json"],
    "emit": ["emit", "{}", "--out", "{out}"],
}


def _expect_error(result, path, what):
    line, message = expectation(path)
    assert_clean(result, what)
    assert result.code == 2, f"{what}: exit {result.code}; {result.stdout[-300:]}"
    prefix = f"advisor: error: {path}:" + (f"{line}: " if line else "")
    assert result.error_lines[0].startswith(prefix), (result.error_lines[0], prefix)
    assert message in result.error_lines[0], (result.error_lines[0], message)


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_a_hostile_scenario_is_one_clear_error(path, command, tmp_path):
    args = [a.format(path, out=tmp_path / "out") for a in COMMANDS[command]]
    result = run(*args)
    _expect_error(result, path, f"{command} {path.name}")
    assert not (tmp_path / "out").exists(), "emit wrote files for a scenario it refused"


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("path", [*SCENARIO_FILES, *AZUREML_FILES], ids=lambda p: p.parent.name + "/" + p.stem)
def test_review_refuses_a_hostile_file_and_reviews_the_rest(path, fmt):
    # --strict: an unreadable file fails the run (without it, it is reported beside the others'
    # findings, issue 24); --verbose lists every reviewed file, clean ones too.
    result = run("review", str(path), str(CLEAN_AZUREML), "--format", fmt, "--strict", "--verbose")
    assert_clean(result, f"review {path.name}", batch=True)
    assert result.code == 2
    [error] = result.error_lines
    line, message = expectation(path)
    assert error.startswith(f"advisor: error: {path}:"), error
    # A scenario is not Azure ML YAML: refused for what it is, or for its YAML first.
    assert message in error or (path.parent.name == "scenarios" and "not a kind of Azure ML YAML" in error), error
    if line and message in error:
        assert error.startswith(f"advisor: error: {path}:{line}: "), error
    if fmt == "json":
        strict_json(result.stdout)
    assert CLEAN_AZUREML.name in result.stdout


@pytest.mark.parametrize("fmt", ["table", "json", "junit", "markdown"])
def test_evaluate_reports_each_hostile_file_and_the_rest_of_the_batch(fmt, tmp_path):
    result = run("evaluate", *map(str, SCENARIO_FILES), str(GOOD), "--jobs", "1", "--format", fmt)
    assert_clean(result, f"evaluate --format {fmt}", batch=True)
    assert result.code == 2, result.stderr  # errors in the batch
    out = result.stdout
    if fmt == "json":
        report = strict_json(out)
        by_file = {r["file"]: r for r in report["results"]}
        assert by_file[str(GOOD)]["status"] == "passed"
        for path in SCENARIO_FILES:
            line, message = expectation(path)
            assert by_file[str(path)]["status"] == "error"
            assert message in by_file[str(path)]["error"], by_file[str(path)]["error"]
            if line:
                assert by_file[str(path)]["error"].startswith(f"{path}:{line}: ")
    elif fmt == "junit":
        well_formed_xml(out)
    for path in SCENARIO_FILES:
        assert path.name in out, f"{path.name} missing from the {fmt} report"


def test_the_drill_library_skips_hostile_files(tmp_path):
    library = tmp_path / "library"
    shutil.copytree(SCENARIOS.parent / "tests" / "hostile" / "scenarios", library)
    shutil.copy(GOOD, library / "good.yaml")
    answers = tmp_path / "answers.txt"
    answers.write_text("1\n" * 6)
    result = run("drill", "--count", "6", "--seed", "3", "--db", str(tmp_path / "d.sqlite3"),
                 "--library", str(library), "--answers", str(answers))
    assert_clean(result, "drill")
    assert result.code == 0, result.stderr
    assert "Session complete" in result.stdout


def test_every_hostile_library_file_is_skipped(advisor):
    import random

    from advisor.drill.library import LibrarySource

    source = LibrarySource(SCENARIO_FILES[0].parent, advisor, random.Random(1), lambda decision: True)
    assert list(source.questions()) == []
    assert sorted(source.skipped) == sorted(p.name for p in SCENARIO_FILES)
