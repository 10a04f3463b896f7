"""`advisor emit`: the Azure ML YAML a scenario's recommendations imply, and nothing more."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from advisor.azureml.emit import plan
from advisor.yamlio import parse_yaml

SCENARIOS = yaml.safe_load((Path(__file__).parent / "fixtures" / "azureml" / "emit-scenarios.yaml")
                           .read_text(encoding="utf-8"))
BAYESIAN_ONLINE = SCENARIOS["bayesian-online"]
SOBOL_BATCH = SCENARIOS["sobol-batch"]
GRID_SERVERLESS = SCENARIOS["grid-serverless"]
BANDIT_KUBERNETES = SCENARIOS["bandit-kubernetes"]


def emit_plan(advisor, knowledge, raw, name="Emit test"):
    facts = {n: knowledge.vocabulary.fact(n).check(v) for n, v in raw.items()}
    return plan(advisor.consult(facts), knowledge, name)


def files(result):
    return {f.name: f for f in result.files}


def data(emitted):
    return parse_yaml(emitted.text, emitted.name).data


def header(emitted):
    lines = []
    for line in emitted.text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines)


def test_bayesian_sweep_cluster_and_custom_online_deployment(advisor, knowledge):
    result = emit_plan(advisor, knowledge, BAYESIAN_ONLINE)
    emitted = files(result)
    assert set(emitted) == {"sweep-job.yml", "compute-cluster.yml", "online-deployment.yml"}
    assert not result.skipped
    assert result.support_files[0][0] == "src/README.md"

    sweep = data(emitted["sweep-job.yml"])
    assert sweep["type"] == "sweep" and sweep["sampling_algorithm"] == "bayesian"
    assert [p["type"] for p in sweep["search_space"].values()] == ["choice", "uniform", "choice"]
    assert sweep["limits"]["max_total_trials"] == 60          # 20 x 3 tuned hyperparameters
    assert "early_termination" not in sweep                   # the sources disagree: no policy picked
    assert sweep["compute"] == "azureml:cpu-cluster"
    head = header(emitted["sweep-job.yml"])
    assert "sweep.bayesian-learns-from-results" in head
    assert "sweep.bayesian-early-termination-conflict" in head

    cluster = data(emitted["compute-cluster.yml"])
    assert cluster["type"] == "amlcompute" and cluster["name"] == "cpu-cluster"
    assert cluster["size"] == "Standard_DS3_v2"               # general purpose (D series)
    assert cluster["tier"] == "low_priority" and cluster["min_instances"] == 0
    assert cluster["idle_time_before_scale_down"] == 120
    assert cluster["tags"] == {"stage": "experimentation"}

    deployment = data(emitted["online-deployment.yml"])
    assert deployment["$schema"].endswith("managedOnlineDeployment.schema.json")
    assert deployment["code_configuration"]["scoring_script"] == "score.py"
    assert "environment" in deployment
    assert emitted["online-deployment.yml"].rules == (
        "deployment.managed-online-for-real-time", "models.custom-when-not-mlflow",
        "deployment.custom-online-needs-script")


def test_sobol_median_stopping_gpu_cluster_and_mlflow_batch(advisor, knowledge):
    emitted = files(emit_plan(advisor, knowledge, SOBOL_BATCH))
    sweep = data(emitted["sweep-job.yml"])
    assert sweep["sampling_algorithm"] == {"type": "random", "rule": "sobol", "seed": 42}
    assert sweep["early_termination"] == {"type": "median_stopping", "evaluation_interval": 1,
                                          "delay_evaluation": 5}
    cluster = data(emitted["compute-cluster.yml"])
    assert cluster["name"] == "gpu-cluster" and cluster["size"] == "Standard_NC6s_v3"
    assert cluster["tier"] == "dedicated"
    batch = data(emitted["batch-deployment.yml"])
    assert batch["compute"] == "azureml:gpu-cluster"
    assert "code_configuration" not in batch and "environment" not in batch   # an MLflow model
    assert batch["output_action"] == "append_row"


def test_grid_on_serverless_skips_the_cluster_and_the_deployment(advisor, knowledge):
    result = emit_plan(advisor, knowledge, GRID_SERVERLESS)
    assert set(files(result)) == {"sweep-job.yml"}
    sweep = data(files(result)["sweep-job.yml"])
    assert sweep["sampling_algorithm"] == "grid" and "compute" not in sweep
    assert "early_termination" not in sweep
    assert sweep["limits"]["max_total_trials"] == 3           # every combination of one choice list
    assert sweep["limits"]["max_concurrent_trials"] == 3      # never more at once than in all
    reasons = {s.name: s.reason for s in result.skipped}
    assert reasons["compute-cluster.yml"].startswith("training_compute = serverless")
    assert "prediction_timing" in reasons["online-deployment.yml / batch-deployment.yml"]
    head = header(files(result)["sweep-job.yml"])
    assert "early_termination = none: sweep.no-policy-for-grid" in head


def test_bandit_and_blue_green_kubernetes_deployment(advisor, knowledge):
    emitted = files(emit_plan(advisor, knowledge, BANDIT_KUBERNETES))
    sweep = data(emitted["sweep-job.yml"])
    assert sweep["early_termination"]["type"] == "bandit"
    assert "slack_factor" in sweep["early_termination"] and "slack_amount" not in sweep["early_termination"]
    deployment = data(emitted["online-deployment.yml"])
    assert deployment["type"] == "kubernetes" and deployment["name"] == "green"
    assert deployment["instance_count"] == 3                  # production: three or more instances
    assert "instance_type" not in deployment


@pytest.mark.parametrize("raw", [BAYESIAN_ONLINE, SOBOL_BATCH, GRID_SERVERLESS, BANDIT_KUBERNETES])
def test_placeholders_are_marked_and_counted(advisor, knowledge, raw):
    for emitted in emit_plan(advisor, knowledge, raw).files:
        marked = [line for line in emitted.text.splitlines() if "# PLACEHOLDER:" in line]
        assert len(marked) == emitted.placeholders > 0
        assert "replace them first" in header(emitted)
        for rule_id in emitted.rules:
            assert rule_id in header(emitted)


def test_nothing_to_emit(advisor, knowledge):
    result = emit_plan(advisor, knowledge, {"data_source": "files"})
    assert not result.files and not result.support_files
    assert {s.name for s in result.skipped} == {"sweep-job.yml", "compute-cluster.yml",
                                                 "online-deployment.yml / batch-deployment.yml"}


def test_cli_writes_files_and_refuses_to_overwrite(cli, tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump({"name": "CLI emit", "facts": GRID_SERVERLESS}), encoding="utf-8")
    out = tmp_path / "out"
    first = cli("emit", str(scenario), "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert (out / "sweep-job.yml").is_file() and (out / "src" / "README.md").is_file()
    assert re.search(r"wrote .*sweep-job\.yml: \d+ placeholders to fill in", first.stdout)
    assert "skipped compute-cluster.yml: training_compute = serverless" in first.stdout
    again = cli("emit", str(scenario), "--out", str(out))
    assert again.returncode == 2 and "use --force" in again.stderr
    forced = cli("emit", str(scenario), "--out", str(out), "--force")
    assert forced.returncode == 0, forced.stderr


def test_cli_with_nothing_to_write(cli, tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump({"name": "Nothing", "facts": {"data_source": "files"}}), encoding="utf-8")
    result = cli("emit", str(scenario), "--out", str(tmp_path / "out"))
    assert result.returncode == 0
    assert "nothing to write" in result.stdout and not (tmp_path / "out").exists()
