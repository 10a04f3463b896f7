"""The advisor as users install it: the built wheel, installed with plain pip into a fresh venv.

pip honours experta's pins (frozendict 1.2, schema 0.6.7), unlike `uv run`, so this is the
test that runs the engine on the pip-resolved set. Every command runs from a folder outside the
clone, so nothing may lean on the source tree. These are subprocess tests on purpose: the point
is the real installed console script and `python -m advisor`.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from advisor import __version__

ROOT = Path(__file__).resolve().parents[1]
BIN = "Scripts" if os.name == "nt" else "bin"


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without anything that could point back at the clone."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ADVISOR_", "PYTHON")) and k != "VIRTUAL_ENV"}
    return {**env, "NO_COLOR": "1", "COLUMNS": "120", **extra}


def uv_executable() -> str:
    found = os.environ.get("UV") or shutil.which("uv")
    assert found, "uv is needed to build the wheel (the README's test command is `uv run pytest`)"
    return found


class Installed:
    """A fresh venv holding the wheel, and a work folder outside the clone to run it from."""

    def __init__(self, venv: Path, work: Path, wheel: Path) -> None:
        self.venv, self.work, self.wheel = venv, work, wheel
        self.python = venv / BIN / "python"
        self.env = clean_env(ADVISOR_DATA_DIR=str(work / "data"))

    def run(self, *args: str, program: str = "advisor") -> subprocess.CompletedProcess:
        return subprocess.run([str(self.venv / BIN / program), *args], capture_output=True, text=True,
                              cwd=self.work, env=self.env, stdin=subprocess.DEVNULL, timeout=300)


# Tests of the installed wheel are marked `network`: uv fetches the build backend and pip the
# dependencies from the package index (tests/conftest.py skips them offline, outside CI).
@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Installed:
    base = tmp_path_factory.mktemp("install")
    dist = base / "dist"
    subprocess.run([uv_executable(), "build", "--wheel", "--quiet", "--out-dir", str(dist), str(ROOT)],
                   check=True, env=clean_env(), capture_output=True, timeout=600)
    (wheel,) = dist.glob("advisor-*.whl")
    venv = base / "venv"
    # The standard library's venv seeds pip; pip then resolves the dependencies on its own.
    # --no-compile: byte-compiling every dependency costs CPU; the commands below compile what they import.
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=clean_env(), timeout=300)
    subprocess.run([str(venv / BIN / "python"), "-m", "pip", "install", "--quiet", "--no-compile", str(wheel)],
                   check=True, env=clean_env(), timeout=900)
    work = base / "elsewhere"
    work.mkdir()
    return Installed(venv, work, wheel)


@pytest.mark.network
def test_the_wheel_ships_the_rule_base_and_the_scenario_library(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for shipped in ("rules", "scenarios"):
        in_clone = {f"advisor/_knowledge/{shipped}/{p.relative_to(ROOT / shipped).as_posix()}"
                    for p in (ROOT / shipped).rglob("*") if p.is_file()}
        assert in_clone and in_clone <= names, sorted(in_clone - names)[:5]


@pytest.mark.network
def test_pip_resolved_experta_pins(installed):
    """What makes this test worth its time: pip took experta's own pins."""
    result = installed.run("-c", "from importlib.metadata import version as v; "
                           "print(v('frozendict'), v('schema'), v('experta'))", program="python")
    frozendict, schema, experta = result.stdout.split()
    assert frozendict.startswith("1.") and schema == "0.6.7" and experta == "1.9.4", result.stdout


@pytest.mark.network
def test_schema_0_6_7_validates_experta_fields(installed):
    """experta's other pin: schema backs Fact fields; it needs no help on this Python."""
    code = ("import advisor.engine\n"
            "from experta import Fact, Field\n"
            "class Job(Fact):\n"
            "    trials = Field(int, mandatory=True)\n"
            "Job(trials=3).validate()\n"
            "try:\n"
            "    Job(trials='many').validate()\n"
            "except ValueError as exc:\n"
            "    import schema\n"
            "    print(isinstance(exc.__context__, schema.SchemaError))\n")
    result = installed.run("-c", code, program="python")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"  # schema's verdict, wrapped by experta


@pytest.mark.network
def test_the_engine_imports_without_leaving_the_compatibility_alias(installed):
    code = ("import collections, advisor.engine, experta, frozendict; "
            "print(advisor.engine.__file__); print(hasattr(collections, 'Mapping'))")
    result = installed.run("-c", code, program="python")
    assert result.returncode == 0, result.stderr
    where, alias_left = result.stdout.split()
    assert Path(where).is_relative_to(installed.venv)  # the installed copy, not the clone
    assert alias_left == "False"


@pytest.mark.network
def test_consult_from_another_folder(installed):
    shutil.copy(ROOT / "scenarios" / "image-classifier.yaml", installed.work)
    result = installed.run("consult", "image-classifier.yaml", "--format", "json")
    assert result.returncode == 0, result.stderr
    chosen = {r["decision"]: r["choice"] for r in json.loads(result.stdout)["recommendations"]}
    assert chosen["processor"] == "gpu" and chosen["endpoint_type"] == "batch"


@pytest.mark.network
def test_explain_from_another_folder(installed):
    shutil.copy(ROOT / "scenarios" / "image-classifier.yaml", installed.work)
    result = installed.run("explain", "image-classifier.yaml", "--why-not", "processor=cpu")
    assert result.returncode == 0, result.stderr
    assert "compute.gpu-for-deep-learning" in result.stdout


@pytest.mark.network
def test_evaluate_the_shipped_library_from_another_folder(installed):
    """Every shipped scenario meets its expectations on the pip-resolved engine."""
    library = installed.run("-c", "from advisor.paths import scenarios_dir; print(scenarios_dir())",
                            program="python").stdout.strip()
    assert Path(library).is_relative_to(installed.venv) and Path(library, "image-classifier.yaml").is_file()
    result = installed.run("evaluate", library)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 failed, 0 errors" in result.stdout


@pytest.mark.network
def test_review_from_another_folder(installed):
    shutil.copy(ROOT / "tests" / "fixtures" / "azureml" / "flawed" / "sweep-grid-uniform.yml", installed.work)
    result = installed.run("review", "sweep-grid-uniform.yml")
    assert result.returncode == 1, result.stderr  # findings
    assert "sweep.grid-needs-choice" in result.stdout


@pytest.mark.network
def test_scripted_drill_draws_on_the_shipped_library(installed):
    (installed.work / "answers.txt").write_text("1\n" * 8)
    db = installed.work / "progress.sqlite3"
    result = installed.run("drill", "--count", "8", "--seed", "4", "--answers", "answers.txt", "--db", str(db))
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(db) as connection:
        origins = [row[0] for row in connection.execute("SELECT origin FROM questions")]
        answered = connection.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    # Eight answers; a missed question comes back once within the session (relearning), so
    # eight answers may cover fewer distinct questions.
    assert answered == 8 and 1 <= len(origins) <= 8
    assert any(origin.startswith("library:") for origin in origins), origins


@pytest.mark.network
def test_python_dash_m_advisor_when_installed(installed):
    result = installed.run("-m", "advisor", "-V", program="python")
    assert result.returncode == 0 and result.stdout.strip() == f"advisor {__version__}"


def test_python_dash_m_advisor_version():
    result = subprocess.run([sys.executable, "-m", "advisor", "--version"], capture_output=True, text=True,
                            cwd=Path.home() if Path.home().is_dir() else "/", env=clean_env(), timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"advisor {__version__}\n"


def test_the_drill_library_is_the_shipped_scenarios_unless_overridden(monkeypatch, tmp_path):
    from advisor.paths import SCENARIOS_DIR_ENV, scenarios_dir

    monkeypatch.delenv(SCENARIOS_DIR_ENV, raising=False)
    assert (scenarios_dir() / "image-classifier.yaml").is_file()
    monkeypatch.setenv(SCENARIOS_DIR_ENV, str(tmp_path))
    assert scenarios_dir() == tmp_path
    monkeypatch.setenv(SCENARIOS_DIR_ENV, str(tmp_path / "missing"))
    assert scenarios_dir() is None
