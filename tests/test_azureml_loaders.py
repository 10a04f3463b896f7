"""The official azure-ai-ml loaders (offline) accept what `advisor emit` writes, and accept the
fixtures `advisor review` reads, flawed and clean, of every kind: the flawed ones hold mistakes
the loaders let through, which is what the review is for."""

from __future__ import annotations

import functools
import gc
import importlib.util
import logging
import warnings
from pathlib import Path

import pytest
import yaml
from review_fixtures import CLEAN, FIXTURES, FLAWED, FOLDER_FILES, loader_rejects

from advisor.azureml.documents import read_document


# Found, not imported: azure.ai.ml takes ~2 s to import, and every xdist worker collects this
# module while only the one that runs it needs the loaders (imported in _loaders()).
def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


pytestmark = pytest.mark.skipif(not _installed("azure.ai.ml"), reason="azure-ai-ml (dev dependency) is not installed")

SCENARIOS = yaml.safe_load((FIXTURES / "emit-scenarios.yaml").read_text(encoding="utf-8"))


@functools.cache
def _loaders() -> dict:
    import azure.ai.ml as azure_ml
    from azure.ai.ml.entities._load_functions import load_model_batch_deployment, load_schedule

    # azure.ai.ml's ~150,000 objects live as long as the worker: out of the collector's walks (as
    # tests/conftest.py does after collection), or every later full collection in this worker
    # walks them again (~0.15 CPU s each). Collected first: no garbage is kept.
    gc.collect()
    gc.freeze()

    return {"command_job": azure_ml.load_job, "sweep_job": azure_ml.load_job,
            "pipeline_job": azure_ml.load_job, "automl_job": azure_ml.load_job,
            "compute": azure_ml.load_compute, "compute_instance": azure_ml.load_compute,
            "kubernetes_compute": azure_ml.load_compute, "environment": azure_ml.load_environment,
            "data": azure_ml.load_data, "datastore": azure_ml.load_datastore, "model": azure_ml.load_model,
            "online_endpoint": azure_ml.load_online_endpoint,
            "online_deployment": azure_ml.load_online_deployment,
            "batch_endpoint": azure_ml.load_batch_endpoint, "schedule": load_schedule,
            "batch_deployment": azure_ml.load_batch_deployment, "connection": azure_ml.load_connection,
            "model_batch_deployment": load_model_batch_deployment}


def load_official(path: Path):
    """Load with the official loader for the file's kind (as `az ml ... create --file` would)."""
    document = read_document(path)
    kind = document.kind
    if kind == "batch_deployment" and ("settings" in document.data
                                       or "modelbatchdeployment" in str(document.data.get("$schema", "")).lower()):
        kind = "model_batch_deployment"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # experimental and base-class warnings
        logging.disable(logging.WARNING)
        try:
            return _loaders()[kind](source=str(path))
        finally:
            logging.disable(logging.NOTSET)


_LOADED: dict[Path, object] = {}


def loaded(path: Path):
    """load_official's entity for a file the loader accepts, loaded once per process: the clean
    fixtures are loaded by the test of every fixture and again by the test of their types."""
    if path not in _LOADED:
        _LOADED[path] = load_official(path)
    return _LOADED[path]


@pytest.fixture(scope="module")
def emitted(tmp_path_factory):
    from conftest import run_cli

    folders = {}
    for name, raw in SCENARIOS.items():
        base = tmp_path_factory.mktemp(name)
        scenario = base / "scenario.yaml"
        scenario.write_text(yaml.safe_dump({"name": name, "facts": raw}), encoding="utf-8")
        result = run_cli("emit", str(scenario), "--out", str(base / "out"))
        assert result.returncode == 0, result.stderr
        folders[name] = sorted((base / "out").glob("*.yml"))
    return folders


def test_every_emitted_file_loads_with_the_official_loaders(emitted):
    kinds = set()
    for paths in emitted.values():
        for path in paths:
            entity = load_official(path)
            kinds.add(type(entity).__name__)
    assert {"SweepJob", "AmlCompute", "ManagedOnlineDeployment", "KubernetesOnlineDeployment",
            "BatchDeployment"} <= kinds


def test_emitted_sweep_keeps_its_settings_through_the_loader(emitted):
    (sweep,) = [p for p in emitted["sobol-batch"] if p.name == "sweep-job.yml"]
    job = load_official(sweep)
    assert job.sampling_algorithm.rule == "sobol" and job.sampling_algorithm.seed == 42
    assert job.early_termination.evaluation_interval == 1 and job.early_termination.delay_evaluation == 5


def test_review_finds_nothing_in_emitted_files_but_the_scoring_script_to_write(emitted):
    from advisor.azureml.review import review_file
    from advisor.engine import get_advisor

    advisor = get_advisor()
    for path in (p for paths in emitted.values() for p in paths):
        review = review_file(path, advisor)
        expected = {"review.scoring-script-missing"} if "scoring_script:" in path.read_text(encoding="utf-8") else set()
        assert {f.rule_id for f in review.findings} == expected, (path, review.findings)


@pytest.mark.parametrize("path", FLAWED + CLEAN + FOLDER_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixtures_load_with_the_official_loaders(path):
    if loader_rejects(path):
        with pytest.raises(Exception) as raised:  # noqa: PT011 - the loader raises several kinds
            load_official(path)
        assert type(raised.value).__name__ in ("ValidationError", "JobException")
    else:
        assert loaded(path) is not None


def test_the_loader_types_match_the_kinds_review_tells():
    expected = {"compute-instance-idle-and-schedule.yml": "ComputeInstance",
                "kubernetes-compute.yml": "KubernetesCompute", "environment-pinned-with-mlflow.yml": "Environment",
                "data-mltable-local.yml": "Data", "datastore-blob-identity.yml": "AzureBlobDatastore",
                "model-mlflow-local.yml": "Model", "online-endpoint-blue-green.yml": "ManagedOnlineEndpoint",
                "batch-endpoint.yml": "BatchEndpoint", "schedule-nightly.yml": "JobSchedule",
                "pipeline-prep-train.yml": "PipelineJob", "command-serverless-with-inputs.yml": "Command"}
    for name, entity in expected.items():
        assert type(loaded(FIXTURES / "clean" / name)).__name__ == entity, name
