"""`advisor rules coverage`: which rules scenarios make fire, checked against `advisor consult`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

SITUATIONS = {
    "images.yaml": {"ml_task": "computer_vision", "data_format": "unstructured", "dataset_size": "large",
                    "stage": "production", "prediction_timing": "at_set_times"},
    "tabular.yaml": {"ml_task": "classification", "data_format": "tabular", "dataset_size": "small",
                     "python_preferred": True},
    "nothing-known.yaml": {},
}


@pytest.fixture
def library(tmp_path) -> Path:
    for name, facts in SITUATIONS.items():
        (tmp_path / name).write_text(yaml.safe_dump({"name": name, "facts": facts}), encoding="utf-8")
    return tmp_path


@pytest.fixture(scope="module")
def all_rules(knowledge) -> list[str]:
    return [r.id for r in knowledge.rules]


def fired_by_consult(cli, path: Path) -> set[str]:
    report = json.loads(cli("consult", str(path), "--format", "json").stdout)
    return {f["rule"] for f in report["fired"]}


def test_coverage_counts_what_consult_fires(cli, library, all_rules):
    proc = cli("rules", "coverage", str(library), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    fired = {name: fired_by_consult(cli, library / name) for name in SITUATIONS}
    union = set().union(*fired.values())
    assert union and fired["nothing-known.yaml"] == set()

    assert [r["id"] for r in report["rules"]] == all_rules
    for rule in report["rules"]:
        assert rule["scenarios"] == sum(rule["id"] in ids for ids in fired.values())
    assert report["never_fired"] == [r for r in all_rules if r not in union]
    assert report["summary"] == {
        "rules": len(all_rules), "fired": len(union), "never_fired": len(all_rules) - len(union),
        "percent": round(100 * len(union) / len(all_rules), 1), "scenarios": 3, "errors": 0}
    assert report["errors"] == []


def test_min_percent_sets_the_exit_code(cli, library):
    percent = json.loads(cli("rules", "coverage", str(library), "--format", "json").stdout)["summary"]["percent"]
    assert 0 < percent < 100
    below = cli("rules", "coverage", str(library), "--min", str(percent + 0.5))
    assert below.returncode == 1
    assert f"coverage {percent:.1f}% is below --min" in below.stderr
    assert cli("rules", "coverage", str(library), "--min", str(percent)).returncode == 0
    assert cli("rules", "coverage", str(library), "--min", "101").returncode == 2  # bad usage


def test_table_lists_never_fired_rules_and_ends_with_the_total(cli, library, all_rules):
    report = json.loads(cli("rules", "coverage", str(library), "--format", "json").stdout)
    proc = cli("rules", "coverage", str(library))
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    s = report["summary"]
    assert lines[-1] == f"{s['fired']} of {s['rules']} rules fired ({s['percent']:.1f}%) in 3 scenarios"
    never = {line.split()[0] for line in lines if line.endswith("never fired")}
    assert never == set(report["never_fired"])
    assert len([line for line in lines if line.startswith("  ")]) == len(all_rules)


def test_a_broken_file_is_reported_and_exits_2(cli, library):
    (library / "broken.yaml").write_text("name: [\n", encoding="utf-8")
    proc = cli("rules", "coverage", str(library), "--format", "json")
    assert proc.returncode == 2
    report = json.loads(proc.stdout)
    assert report["summary"]["scenarios"] == 3 and report["summary"]["errors"] == 1
    [error] = report["errors"]
    assert error["file"] == str(library / "broken.yaml") and "malformed YAML" in error["error"]
    table = cli("rules", "coverage", str(library))
    assert table.returncode == 2
    assert any(line.startswith("ERROR  ") and "broken.yaml" in line for line in table.stdout.splitlines())


def test_missing_path_is_an_error(cli, tmp_path):
    proc = cli("rules", "coverage", str(tmp_path / "nowhere"), "--format", "json")
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["errors"][0]["error"].endswith("nowhere: no such file or directory")
