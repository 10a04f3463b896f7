"""Shared fixtures: the real knowledge base, the real engine, and the real console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
CONSOLE_SCRIPT = shutil.which("advisor", path=str(Path(sys.executable).parent)) or "advisor"


@pytest.fixture(scope="session")
def knowledge():
    from advisor.knowledge import load_knowledge

    return load_knowledge()


@pytest.fixture(scope="session")
def advisor():
    from advisor.engine import get_advisor

    return get_advisor()


def run_cli(*args: str, input: str | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the installed `advisor` console script, as a user would."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
    return subprocess.run([CONSOLE_SCRIPT, *args], input=input, capture_output=True, text=True,
                          cwd=cwd or ROOT, env=full_env, timeout=timeout,
                          stdin=None if input is not None else subprocess.DEVNULL)


@pytest.fixture
def cli():
    return run_cli
