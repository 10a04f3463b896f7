"""The official azure-ai-ml loaders (offline) accept what `advisor emit` writes, and accept the
flawed fixtures that `advisor review` catches: those are checks the loaders don't make."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import yaml

azure_ml = pytest.importorskip("azure.ai.ml", reason="azure-ai-ml (dev dependency) is not installed")

from advisor.azureml.documents import read_document  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "azureml"
SCENARIOS = yaml.safe_load((FIXTURES / "emit-scenarios.yaml").read_text(encoding="utf-8"))


def load_official(path: Path):
    """Load with the official loader for the file's kind (as `az ml ... create --file` would)."""
    loaders = {"sweep_job": azure_ml.load_job, "automl_job": azure_ml.load_job,
               "compute": azure_ml.load_compute, "online_deployment": azure_ml.load_online_deployment,
               "batch_deployment": azure_ml.load_batch_deployment}
    kind = read_document(path).kind
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the classic batch deployment class warns that it is a base class
        return loaders[kind](source=str(path))


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


def test_review_finds_nothing_in_emitted_files(cli, emitted):
    paths = [str(p) for paths in emitted.values() for p in paths]
    result = cli("review", *paths)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(paths)} files reviewed, 0 findings." in result.stdout


def fixture_files(folder):
    return sorted((FIXTURES / folder).glob("*.yml"))


@pytest.mark.parametrize("path", fixture_files("flawed") + fixture_files("clean"), ids=lambda p: p.name)
def test_fixtures_load_with_the_official_loaders(path):
    if "# loader: rejects" in path.read_text(encoding="utf-8"):
        from marshmallow.exceptions import ValidationError

        with pytest.raises(ValidationError):
            load_official(path)
    else:
        assert load_official(path) is not None
