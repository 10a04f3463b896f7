"""Where the shipped data folders (`rules/`, `scenarios/`) live, in a clone and when installed.

A wheel carries them as advisor/_knowledge/<name> (pyproject.toml force-includes them); a
clone has them beside the package. An environment variable overrides each.
"""

from __future__ import annotations

import os
from pathlib import Path

RULES_DIR_ENV = "ADVISOR_RULES_DIR"
SCENARIOS_DIR_ENV = "ADVISOR_SCENARIOS_DIR"

_PACKAGE = Path(__file__).resolve().parent.parent


def _shipped_dir(name: str) -> Path:
    """The installed wheel's copy of a shipped folder, else the source tree's."""
    packaged = _PACKAGE / "_knowledge" / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


def rules_dir() -> Path:
    """`$ADVISOR_RULES_DIR`, else the shipped rule base."""
    override = os.environ.get(RULES_DIR_ENV)
    return Path(override) if override else _shipped_dir("rules")


def scenarios_dir() -> Path:
    """`$ADVISOR_SCENARIOS_DIR`, else the shipped scenario library (the drill's default)."""
    override = os.environ.get(SCENARIOS_DIR_ENV)
    return Path(override) if override else _shipped_dir("scenarios")
