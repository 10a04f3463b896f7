"""`advisor review`: existing Azure ML YAML becomes facts, the rule base finds the mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from advisor.azureml.documents import read_document
from advisor.azureml.facts import read_facts
from advisor.azureml.review import review_file
from advisor.errors import AdvisorError
from advisor.scenarios import load_scenario

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "azureml"
FLAWED = sorted((FIXTURES / "flawed").glob("*.yml"))
CLEAN = sorted((FIXTURES / "clean").glob("*.yml"))
UNREADABLE = sorted((FIXTURES / "unreadable").glob("*.yml"))


def expected_rules(path: Path) -> set[str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must say which rule catches it"
    return {r.strip() for r in first[len("# expect: "):].split(",")}


def test_there_are_enough_fixtures():
    assert len(FLAWED) >= 12 and len(CLEAN) >= 6 and len(UNREADABLE) >= 3


@pytest.mark.parametrize("path", FLAWED, ids=lambda p: p.name)
def test_each_flawed_file_is_caught_by_the_right_rule(advisor, knowledge, path):
    review = review_file(path, advisor)
    assert {f.rule_id for f in review.findings} == expected_rules(path)
    for finding in review.findings:
        rule = knowledge.rule(finding.rule_id)
        assert finding.source == rule.source and knowledge.guide.unit(finding.source) is not None
        assert finding.because == rule.because
        assert finding.facts, "a finding names the settings behind it"


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_clean_files_give_no_finding(advisor, path):
    review = review_file(path, advisor)
    assert review.findings == (), [f.rule_id for f in review.findings]
    assert review.facts, "a clean file still yields facts (otherwise nothing was checked)"


def test_facts_read_from_a_sweep_job_with_their_lines(knowledge):
    document = read_document(FIXTURES / "flawed" / "sweep-bandit-both-slacks.yml")
    assert document.kind == "sweep_job"
    read = read_facts(document, knowledge.vocabulary)
    assert read.facts == {"planned_sampling": "random", "hyperparameter_expressions": ("loguniform",),
                          "tuned_hyperparameter_count": 1, "max_total_trials": 50,
                          "planned_early_termination": "bandit", "bandit_slack": "both"}
    assert read.lines["planned_sampling"] == 9 and read.lines["planned_early_termination"] == 21


def test_facts_read_from_a_sobol_sweep_and_a_deployment(knowledge):
    read = read_facts(read_document(FIXTURES / "flawed" / "sweep-bandit-no-slack.yml"), knowledge.vocabulary)
    assert read.facts["planned_sampling"] == "sobol" and read.facts["bandit_slack"] == "neither"
    read = read_facts(read_document(FIXTURES / "flawed" / "kubernetes-custom-no-script.yml"), knowledge.vocabulary)
    assert read.facts["planned_endpoint_type"] == "kubernetes_online"
    assert read.facts["deployment_model_type"] == "custom_model" and read.origins["deployment_model_type"] == "default"
    assert read.facts["has_scoring_script"] is False and read.origins["has_scoring_script"] == "not in the file"
    assert read.facts["deployment_has_environment"] is True


def test_finding_points_at_the_line_of_the_setting(advisor):
    review = review_file(FIXTURES / "flawed" / "compute-min-above-max.yml", advisor)
    (finding,) = review.findings
    assert finding.line == 6  # min_instances: 4
    assert {(f.name, f.value, f.line) for f in finding.facts} == {
        ("cluster_min_instances", 4, 6), ("cluster_max_instances", 2, 7)}


def test_values_outside_the_vocabulary_become_notes(advisor, tmp_path):
    path = tmp_path / "deployment.yml"
    path.write_text("endpoint_name: e\nmodel: {path: ., type: mlflow_model}\ninstance_count: 0\n", encoding="utf-8")
    review = review_file(path, advisor)
    assert "deployment_instance_count" not in {f.name for f in review.facts}
    assert any(n.startswith("deployment_instance_count not checked (line 3)") for n in review.notes)


@pytest.mark.parametrize("path", UNREADABLE, ids=lambda p: p.name)
def test_unreadable_files_raise_one_clear_error(path):
    with pytest.raises(AdvisorError) as raised:
        read_document(path)
    assert raised.value.where == str(path) and raised.value.line is not None


# --- the command --------------------------------------------------------------------------

def test_cli_exit_codes(cli):
    flawed = cli("review", *map(str, FLAWED))
    assert flawed.returncode == 1, flawed.stderr
    assert f"{len(FLAWED)} files reviewed, {len(FLAWED)} findings." in flawed.stdout
    clean = cli("review", *map(str, CLEAN))
    assert clean.returncode == 0, clean.stdout
    for path in UNREADABLE:
        result = cli("review", str(path))
        assert result.returncode == 2
        assert result.stderr.startswith(f"advisor: error: {path}") and "Traceback" not in result.stderr


def test_cli_reviews_the_readable_files_and_still_exits_2(cli):
    result = cli("review", str(CLEAN[0]), str(UNREADABLE[0]), str(FIXTURES / "missing.yml"))
    assert result.returncode == 2
    assert f"{CLEAN[0]} (" in result.stdout and "1 file reviewed, 0 findings, 2 unreadable." in result.stdout
    assert "missing.yml: no such file" in result.stderr


def test_cli_text_names_rule_reason_and_link(cli):
    path = FIXTURES / "flawed" / "sweep-bayesian-loguniform.yml"
    result = cli("review", str(path))
    out = result.stdout
    assert f"{path}:9: sweep.bayesian-unsupported-expressions [caution]" in out
    assert "why: You can only use Bayesian sampling with choice, uniform and quniform" in out
    assert "see: https://learn.microsoft.com/en-gb/training/modules/perform-hyperparameter-tuning" in out
    assert "hyperparameter_expressions = [choice, loguniform] (line 10)" in out


def test_cli_context_facts_complete_what_the_file_cannot_say(cli, tmp_path):
    cluster = tmp_path / "cluster.yml"
    cluster.write_text("type: amlcompute\nname: c\nmin_instances: 1\nmax_instances: 3\n", encoding="utf-8")
    assert cli("review", str(cluster)).returncode == 0  # without the stage nothing says it's for development
    result = cli("review", str(cluster), "--fact", "stage=experimentation")
    assert result.returncode == 1 and "review.dev-cluster-idle-dedicated" in result.stdout
    assert "stage = experimentation (command line)" in result.stdout
    assert "planned_cluster_tier = dedicated (default)" in result.stdout

    deployment = tmp_path / "deployment.yml"
    deployment.write_text("endpoint_name: e\nmodel: azureml:churn:2\ninstance_type: Standard_DS3_v2\n",
                          encoding="utf-8")
    assert cli("review", str(deployment)).returncode == 0
    result = cli("review", str(deployment), "--fact", "deployment_model_type=custom_model")
    assert result.returncode == 1 and "deployment.missing-scoring-script" in result.stdout
    bad = cli("review", str(deployment), "--fact", "stage=someday")
    assert bad.returncode == 2 and "stage" in bad.stderr


def test_cli_json(cli):
    path = FIXTURES / "flawed" / "compute-dev-dedicated-warm.yml"
    result = cli("review", str(path), str(CLEAN[0]), "--format", "json")
    assert result.returncode == 1
    first, second = json.loads(result.stdout)
    assert first["path"] == str(path) and first["kind"] == "compute"
    (finding,) = first["findings"]
    assert finding["rule_id"] == "review.dev-cluster-idle-dedicated" and finding["line"] == 6
    assert {f["name"] for f in finding["facts"]} == {"stage", "planned_cluster_tier", "cluster_min_instances"}
    assert second["findings"] == []


# --- the rules of review.yaml: scenarios and examples cover every one -------------------

def review_rule_ids(knowledge) -> set[str]:
    return {r.id for r in knowledge.rules_in_area("review")}


def test_review_scenarios_fire_every_review_rule(advisor, knowledge):
    fired: set[str] = set()
    for path in sorted((ROOT / "scenarios" / "review").glob("*.yaml")):
        scenario = load_scenario(path, knowledge)
        consultation = advisor.consult(scenario.facts)
        expect = scenario.expect
        for decision, choice in expect.decisions.items():
            assert consultation.chosen(decision) == (choice,), (path.name, decision)
        assert set(expect.fires) <= consultation.fired_ids(), path.name
        assert not set(expect.does_not_fire) & consultation.fired_ids(), path.name
        assert set(expect.warns) <= {w.rule_id for w in consultation.warnings}, path.name
        fired |= set(expect.fires)
    assert review_rule_ids(knowledge) <= fired


def test_rule_examples_cover_every_review_rule(knowledge):
    examples = yaml.safe_load((ROOT / "rules" / "review.examples.yaml").read_text(encoding="utf-8"))
    assert set(examples) == review_rule_ids(knowledge)
    assert all(e["fires"] and e["does_not_fire"] for e in examples.values())
