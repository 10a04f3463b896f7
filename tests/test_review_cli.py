"""`advisor review` as CI runs it, in-process: folders, exit codes, --severity, --output,
the SARIF (validated against the official 2.1.0 schema), GitHub annotations, inline
suppressions and the configuration file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import run_cli
from review_fixtures import CLEAN, FIXTURES, FLAWED, UNREADABLE, expected_rules, given_facts

SARIF_SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json")
                          .read_text(encoding="utf-8"))


class Reviewed:
    def __init__(self, done) -> None:
        self.exit_code, self.stdout, self.stderr = done.returncode, done.stdout, done.stderr


@pytest.fixture
def review(monkeypatch, tmp_path):
    """Run `advisor review ...` in-process, from a folder with no configuration file."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str):
        return Reviewed(run_cli("review", *args))
    return run


def test_exit_codes(review):
    assert review(*FLAWED[:3]).exit_code == 1
    assert review(*CLEAN).exit_code == 0
    for path in UNREADABLE:
        result = review(path)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"advisor: error: {path}") and "Traceback" not in result.stderr


def test_a_folder_is_reviewed_whole_with_an_unreadable_file_among_good_ones(review, tmp_path):
    folder = tmp_path / "azureml"
    shutil.copytree(FIXTURES / "folders" / "training", folder / "training")
    shutil.copy(FIXTURES / "unreadable" / "malformed.yml", folder / "broken.yml")
    (folder / "conda.yml").write_text("name: env\ndependencies: [python=3.10]\n", encoding="utf-8")
    (folder / "src").symlink_to(FIXTURES / "src")
    for job in (folder / "training").glob("*.yml"):
        job.write_text(job.read_text(encoding="utf-8").replace("../../src", "../src")
                       .replace("../../assets", str(FIXTURES / "assets")), encoding="utf-8")
    result = review(folder)
    assert result.exit_code == 1  # the unreadable file is reported, and doesn't mask the findings
    assert "broken.yml:3: malformed YAML" in result.stderr
    out = result.stdout
    assert "review.concurrency-above-cluster-nodes" in out and "review.instances-above-cluster-nodes" in out
    assert out.rstrip().endswith("4 files reviewed, 2 findings (1 medium, 1 low), 1 skipped, 1 unreadable.")
    assert "conda.yml: skipped (not Azure ML YAML)" in review(folder, "--verbose").stdout
    assert review(folder, "--strict").exit_code == 2


def test_exit_2_only_when_nothing_could_be_reviewed(review, tmp_path):
    shutil.copy(FIXTURES / "unreadable" / "malformed.yml", tmp_path / "broken.yml")
    assert review(tmp_path).exit_code == 2
    shutil.copy(CLEAN[0], tmp_path / "clean.yml")
    assert review(tmp_path).exit_code == 0
    assert review(tmp_path, "--strict").exit_code == 2


def test_a_named_file_that_is_not_azure_ml_is_an_error(review, tmp_path):
    conda = tmp_path / "conda.yml"
    conda.write_text("name: env\ndependencies: [python=3.10]\n", encoding="utf-8")
    result = review(conda)
    assert result.exit_code == 2 and "not a kind of Azure ML YAML" in result.stderr


def test_text_names_rule_reason_link_severity_and_settings(review):
    path = FIXTURES / "flawed" / "sweep-bayesian-loguniform.yml"
    quiet = review(path).stdout
    assert quiet.startswith(f"{path}:9: medium sweep.bayesian-unsupported-expressions ")
    assert "why:" not in quiet and len(quiet.splitlines()) == 2  # one line per finding, then the summary
    out = review(path, "--verbose").stdout
    assert f"{path}:9: sweep.bayesian-unsupported-expressions [caution, medium, certainty 1.00]" in out
    assert "why: You can only use Bayesian sampling with choice, uniform and quniform" in out
    assert "see: https://learn.microsoft.com/en-gb/training/modules/perform-hyperparameter-tuning" in out
    assert "hyperparameter_expressions = [choice, loguniform] (line 10)" in out


def test_context_facts_complete_what_the_file_cannot_say(review, tmp_path):
    deployment = tmp_path / "deployment.yml"
    deployment.write_text("endpoint_name: e\nmodel: azureml:churn:2\ninstance_type: Standard_DS3_v2\n"
                          "instance_count: 3\n", encoding="utf-8")
    assert review(deployment).exit_code == 0
    result = review(deployment, "--fact", "deployment_model_type=custom_model")
    assert result.exit_code == 1 and "deployment.missing-scoring-script" in result.stdout
    bad = review(deployment, "--fact", "stage=someday")
    assert bad.exit_code == 2 and "stage" in bad.stderr


def test_severity_filters_what_is_shown_and_what_fails(review):
    low_only = FIXTURES / "flawed" / "command-image-latest.yml"  # one low finding (advice)
    assert review(low_only).exit_code == 1
    result = review(low_only, "--severity", "medium")
    assert result.exit_code == 0 and "review.environment-image-not-pinned" not in result.stdout
    assert "1 below --severity" in result.stdout
    sarif = review(low_only, "--severity", "medium", "--format", "sarif")
    assert json.loads(sarif.stdout)["runs"][0]["results"] == []
    assert review(FIXTURES / "flawed" / "compute-max-zero.yml", "--severity", "high").exit_code == 1


def test_severity_is_the_checks_impact_not_its_certainty(review):
    secret = review(FIXTURES / "flawed" / "datastore-blob-account-key.yml").stdout
    assert ": high review.credentials-in-yaml " in secret
    listed = review("--list").stdout
    row = next(line for line in listed.splitlines() if line.startswith("review.online-instances-stage-unknown "))
    assert "low (hint)" in row and "online_deployment" in row and "https://learn.microsoft.com/" in row
    assert any(line.startswith("deployment.missing-scoring-script  high") for line in listed.splitlines())


def test_repeated_stage_cautions_collapse_into_one_hint(review, tmp_path):
    source = (FIXTURES / "flawed" / "online-two-instances-stage-unknown.yml").read_text(encoding="utf-8")
    for name in ("a", "b", "c", "d"):
        (tmp_path / f"{name}.yml").write_text(source.replace("name: green", f"name: {name}"), encoding="utf-8")
    result = review(tmp_path)
    assert result.exit_code == 0
    (hint,) = [line for line in result.stdout.splitlines() if line.startswith("hint:")]
    assert hint.startswith("hint: 4 files (") and "and 1 more" in hint and "--fact stage=" in hint
    assert result.stdout.rstrip().endswith("4 files reviewed, 0 findings, 4 hints.")


def test_a_baseline_accepts_known_findings_and_fails_on_new_ones(review, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(FIXTURES / "flawed" / "compute-max-zero.yml", tmp_path / "cluster.yml")
    first = review("cluster.yml", "--baseline", "baseline.json")
    assert first.exit_code == 0 and "wrote the baseline" in first.stderr
    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert data["findings"][0]["path"] == "cluster.yml" and data["findings"][0]["rule_id"] == "review.cluster-max-zero"
    text = (tmp_path / "cluster.yml").read_text(encoding="utf-8")
    (tmp_path / "cluster.yml").write_text("# a comment moves every line down\n" + text, encoding="utf-8")
    again = review("cluster.yml", "--baseline", "baseline.json")
    assert again.exit_code == 0 and "1 in the baseline" in again.stdout
    (tmp_path / "cluster.yml").write_text(text.replace("min_instances: 0", "min_instances: 3"), encoding="utf-8")
    new = review("cluster.yml", "--baseline", "baseline.json")
    assert new.exit_code == 1 and "review.min-above-max" in new.stdout
    (tmp_path / "bad.json").write_text("[]", encoding="utf-8")
    assert review("cluster.yml", "--baseline", "bad.json").exit_code == 2


def test_json(review):
    path = FIXTURES / "flawed" / "compute-dev-dedicated-warm.yml"
    result = review(path, CLEAN[0], "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"version", "files", "findings", "hints", "skipped", "errors", "summary"}
    assert data["summary"]["files_reviewed"] == 2 and data["summary"]["findings"] == 1
    assert data["summary"]["by_severity"] == {"low": 0, "medium": 1, "high": 0}
    first, second = data["files"]
    assert first["path"] == str(path) and first["kind"] == "compute"
    (finding,) = first["findings"]
    assert data["findings"] == [finding] and finding["path"] == str(path)
    assert finding["rule_id"] == "review.dev-cluster-idle-dedicated" and finding["line"] == 6
    assert finding["severity"] == "medium" and finding["certainty"] == pytest.approx(0.9)
    assert {f["name"] for f in finding["facts"]} == {"stage", "planned_cluster_tier", "cluster_min_instances"}
    assert second["findings"] == [] and second["suppressed"] == []


def test_sarif_validates_against_the_official_schema_and_has_what_github_reads(review, tmp_path):
    folder = tmp_path / "repo"
    shutil.copytree(FIXTURES, folder / "azureml")
    (folder / "azureml" / "flawed" / "compute-max-zero.yml").write_text(
        (FIXTURES / "flawed" / "compute-max-zero.yml").read_text(encoding="utf-8")
        .replace("max_instances: 0", "max_instances: 0  # advisor: ignore[review.cluster-max-zero] parked"),
        encoding="utf-8")
    result = review(folder / "azureml" / "flawed", folder / "azureml" / "unreadable" / "malformed.yml",
                    "--format", "sarif", "-o", folder / "review.sarif")
    assert result.exit_code == 1  # findings; the unreadable file is a notification beside them
    log = json.loads((folder / "review.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(log, SARIF_SCHEMA)
    (run,) = log["runs"]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    expected = set().union(*(expected_rules(p) for p in FLAWED if not given_facts(p)))
    assert set(rules) == expected - {"review.online-instances-stage-unknown"}  # a hint: not a code-scanning alert
    rule = rules["review.sobol-needs-seed"]
    assert rule["helpUri"].startswith("https://learn.microsoft.com/en-gb/training/modules/")
    assert "Configure a sampling method" in rule["help"]["text"] and rule["help"]["markdown"]
    assert rule["fullDescription"]["text"] and rule["shortDescription"]["text"]
    results = run["results"]
    sobol = next(r for r in results if r["ruleId"] == "review.sobol-needs-seed")
    location = sobol["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("azureml/flawed/sweep-sobol-without-seed.yml")
    assert not location["artifactLocation"]["uri"].startswith("/")
    assert location["region"]["startLine"] == 9 and sobol["level"] == "note"  # low: advice
    assert run["tool"]["driver"]["rules"][sobol["ruleIndex"]]["id"] == sobol["ruleId"]
    parked = next(r for r in results if r["ruleId"] == "review.cluster-max-zero")
    assert parked["suppressions"] == [{"kind": "inSource", "justification": "parked"}]
    assert {r["level"] for r in results} == {"error", "warning", "note"}
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert "malformed YAML" in notification["message"]["text"]


def test_github_annotations_are_escaped(review, tmp_path):
    odd = tmp_path / "odd,name:1.yml"
    odd.write_text("type: computeinstance\nname: i\nsize: Standard_DS3_v2\n", encoding="utf-8")
    result = review(odd, FIXTURES / "flawed" / "sweep-sobol-without-seed.yml", "--format", "github")
    lines = result.stdout.splitlines()
    instance = next(line for line in lines if "review.instance-never-stops" in line)
    assert instance.startswith("::warning file=") and "odd%2Cname%3A1.yml" in instance  # medium: cost
    assert ",line=1," in instance and "title=review.instance-never-stops%3A" in instance
    sobol = next(line for line in lines if "review.sobol-needs-seed" in line)
    assert ",line=9," in sobol and "::" in sobol.split("title=", 1)[1]
    assert lines[-1] == "2 files reviewed, 2 findings (1 medium, 1 low)."


def test_github_messages_cannot_inject_commands(review, tmp_path):
    path = tmp_path / "job.yml"
    path.write_text("type: command\ncommand: \"papermill a.ipynb\\n::error::injected \\x1b]0;x\\x07\"\n"
                    "environment: e\n", encoding="utf-8")
    out = review(path, "--format", "github").stdout
    assert "\n::error::injected" not in out and "\x1b" not in out


def test_inline_suppressions_on_the_line_and_in_the_header(review, tmp_path):
    on_line = tmp_path / "cluster.yml"
    on_line.write_text("type: amlcompute\nname: c\nmin_instances: 0\n"
                       "max_instances: 0  # advisor: ignore[review.cluster-max-zero] parked until Q3\n",
                       encoding="utf-8")
    result = review(on_line, "--verbose")
    assert result.exit_code == 0
    assert "suppressed: review.cluster-max-zero (line 4) by inline comment (line 4): parked until Q3" in result.stdout
    assert result.stdout.rstrip().endswith("1 file reviewed, 0 findings, 1 suppressed.")

    header = tmp_path / "instance.yml"
    header.write_text("# advisor: ignore[review.instance-never-stops, review.gpu-size-for-cpu-workload] "
                      "shared lab machine\ntype: computeinstance\nname: i\nsize: Standard_NC6s_v3\n", encoding="utf-8")
    result = review(header, "--fact", "ml_task=classification", "--fact", "data_format=tabular",
                    "--fact", "dataset_size=small", "--format", "json")
    assert result.exit_code == 0
    (data,) = json.loads(result.stdout)["files"]
    assert data["findings"] == []
    assert {(s["finding"]["rule_id"], s["by"]) for s in data["suppressed"]} == {
        ("review.instance-never-stops", "file comment (line 1)"),
        ("review.gpu-size-for-cpu-workload", "file comment (line 1)")}

    other_rule = tmp_path / "other.yml"
    other_rule.write_text("type: amlcompute\nname: c\nmax_instances: 0  # advisor: ignore[review.min-above-max]\n",
                          encoding="utf-8")
    assert review(other_rule).exit_code == 1  # a comment for another rule suppresses nothing


def test_configuration_file_skips_rules_assumes_facts_and_excludes_paths(review, tmp_path):
    repo = tmp_path / "repo"
    (repo / "azureml" / "experiments").mkdir(parents=True)
    shutil.copy(FIXTURES / "flawed" / "compute-warm-stage-unknown.yml", repo / "azureml" / "cluster.yml")
    shutil.copy(FIXTURES / "flawed" / "instance-never-stops.yml", repo / "azureml" / "instance.yml")
    shutil.copy(FIXTURES / "flawed" / "compute-max-zero.yml", repo / "azureml" / "experiments" / "empty.yml")
    (repo / ".advisor.yaml").write_text(
        "skip:\n  review.instance-never-stops: instances are stopped by a runbook\n"
        "facts:\n  stage: production\nexclude:\n  - azureml/experiments/**\n", encoding="utf-8")
    import os

    os.chdir(repo / "azureml")  # the config is found in a parent folder
    result = review(".", "--verbose")
    assert result.exit_code == 0, result.stdout
    out = result.stdout
    # a missing setting sits on the line that says what the file is (`type:`), where a comment can suppress it
    assert "suppressed: review.instance-never-stops (line 4) by config: instances are stopped by a runbook" in out
    assert "experiments/empty.yml: skipped (excluded by the configuration)" in out
    assert out.rstrip().endswith("2 files reviewed, 0 findings, 1 suppressed, 1 skipped.")
    assert review(".", "--fact", "stage=experimentation").exit_code == 0  # low priority nodes: no finding
    assert review(".", "--no-config").exit_code == 1

    (repo / ".advisor.yaml").unlink()
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.advisor]\n"
                                         "skip = ['review.instance-never-stops']\n", encoding="utf-8")
    result = review(".", "--format", "json")
    assert result.exit_code == 1  # the warm cluster, stage unknown again
    assert [s["by"] for d in json.loads(result.stdout)["files"] for s in d["suppressed"]] == ["config"]


@pytest.mark.parametrize("text,message", [
    ("skip: [review.no-such-rule]\n", "skip: no rule 'review.no-such-rule'"),
    ("facts: {stage: someday}\n", "facts.stage"),
    ("facts: {no_such_fact: 1}\n", "unknown fact 'no_such_fact'"),
    ("excludes: [x]\n", "unknown setting 'excludes'"),
    ("exclude: 3\n", "exclude must be a list of globs"),
    ("- a\n", "the configuration must be a mapping"),
])
def test_a_bad_configuration_is_one_clear_error(review, tmp_path, text, message):
    (tmp_path / ".advisor.yaml").write_text(text, encoding="utf-8")
    reviewed = shutil.copy(CLEAN[0], tmp_path)  # the config is found from the reviewed file (issue 24)
    result = review(reviewed)
    assert result.exit_code == 2
    assert result.stderr.startswith("advisor: error: ") and message in result.stderr
    assert "Traceback" not in result.stderr


def test_control_characters_never_reach_the_terminal(review, tmp_path):
    path = tmp_path / "evil\x1b]0;pwned\x07.yml"
    path.write_text("type: sweep\nsearch_space: {\"lr\\e[31m\": {type: \"\\e]0;x\\a\"}}\n"
                    "early_termination: \"\\e[2J\"\n", encoding="utf-8")
    broken = tmp_path / "broken\x1b[2J.yml"
    broken.write_text("type: [\n", encoding="utf-8")
    result = review(path, broken, "--facts")
    assert result.exit_code == 0  # the sweep gives notes only; the broken file is reported, not masking it
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\x07" not in stream
    assert "\\x1b" in result.stdout and "\\x1b" in result.stderr
