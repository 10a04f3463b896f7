"""The pre-commit hooks of .pre-commit-hooks.yaml, run by the real pre-commit on a temporary
git repository (`pre-commit try-repo`, which clones this repository locally: no network for
the hook that uses the installed advisor; the `language: python` one installs the advisor
from this repository with pip, whose dependencies come from PyPI)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "azureml"
BIN = Path(sys.executable).parent
PRE_COMMIT = shutil.which("pre-commit", path=str(BIN)) or shutil.which("pre-commit")

pytestmark = pytest.mark.skipif(PRE_COMMIT is None or shutil.which("git") is None,
                                reason="pre-commit (dev dependency) and git are needed")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)


@pytest.fixture
def repository(tmp_path):
    """A repository with a flawed compute cluster, a job that names it, and a conda file."""
    repo = tmp_path / "ml-repo"
    (repo / "azureml").mkdir(parents=True)
    shutil.copy(FIXTURES / "folders" / "training" / "cluster.yml", repo / "azureml" / "cluster.yml")
    sweep = (FIXTURES / "folders" / "training" / "sweep.yml").read_text(encoding="utf-8")
    (repo / "azureml" / "sweep.yml").write_text(sweep.replace("../../src", "../src"), encoding="utf-8")
    shutil.copytree(FIXTURES / "src", repo / "src")
    (repo / "azureml" / "conda.yml").write_text("name: env\ndependencies: [python=3.10]\n", encoding="utf-8")
    (repo / "README.md").write_text("not YAML\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "ci@example.com")
    git(repo, "config", "user.name", "ci")
    git(repo, "add", "-A")
    return repo


def try_repo(repo: Path, hook: str, tmp_path: Path) -> subprocess.CompletedProcess:
    # PIP_NO_COMPILE: the python hook's pip install skips byte-compiling its dependencies (CPU only).
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"), "NO_COLOR": "1", "PIP_NO_COMPILE": "1",
           "PATH": str(BIN) + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.run([PRE_COMMIT, "try-repo", str(ROOT), hook, "--all-files"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)


def test_the_hook_definitions():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"advisor-review", "advisor-review-system"}
    for hook in hooks.values():
        assert hook["entry"] == "advisor review --skip-unknown"
        assert hook["require_serial"] is True  # one run sees every file: cross-file checks work
        assert hook["files"] == r"\.ya?ml$"
    assert hooks["advisor-review"]["language"] == "python"
    assert hooks["advisor-review-system"]["language"] == "system"


def test_the_hook_reviews_the_changed_azure_ml_yaml(repository, tmp_path):
    result = try_repo(repository, "advisor-review-system", tmp_path)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "advisor review (Azure ML YAML, installed advisor)" in out and "Failed" in out
    assert "azureml/sweep.yml:20: review.concurrency-above-cluster-nodes" in out  # needs both files
    assert "azureml/conda.yml: skipped (not Azure ML YAML)" in out
    assert "2 files reviewed, 1 finding, 1 skipped." in out and "README" not in out.split("hook id")[-1]


def test_the_hook_passes_once_the_finding_is_suppressed(repository, tmp_path):
    sweep = repository / "azureml" / "sweep.yml"
    sweep.write_text(sweep.read_text(encoding="utf-8").replace(
        "max_concurrent_trials: 4",
        "max_concurrent_trials: 4  # advisor: ignore[review.concurrency-above-cluster-nodes] cluster grows in May"),
        encoding="utf-8")
    git(repository, "add", "-A")
    result = try_repo(repository, "advisor-review-system", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


@pytest.mark.network  # pip installs the advisor's dependencies from the package index
def test_the_python_hook_installs_the_advisor_and_reviews(repository, tmp_path):
    result = try_repo(repository, "advisor-review", tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "review.concurrency-above-cluster-nodes" in result.stdout
    assert "2 files reviewed, 1 finding, 1 skipped." in result.stdout
