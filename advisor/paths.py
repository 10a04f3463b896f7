"""Every default location advisor reads or writes, and every environment variable that moves one.

The one place that reads `os.environ` for paths; everything else asks this module.

| variable | default | what lives there |
|---|---|---|
| ADVISOR_RULES_DIR | the wheel's `_knowledge/rules`, else the source tree's `rules/` | the knowledge base |
| ADVISOR_SCENARIOS_DIR | the source tree's `scenarios/` (none when installed) | the drill's scenario library |
| ADVISOR_DATA_DIR | the user's data folder (platformdirs) | drill progress, the consultation draft |
| ADVISOR_CACHE_DIR | the user's cache folder (platformdirs) | the validated knowledge-base cache |
| ADVISOR_NO_CACHE | unset | set to anything to bypass that cache |
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "advisor"
RULES_DIR_ENV = "ADVISOR_RULES_DIR"
SCENARIOS_DIR_ENV = "ADVISOR_SCENARIOS_DIR"
DATA_DIR_ENV = "ADVISOR_DATA_DIR"
CACHE_DIR_ENV = "ADVISOR_CACHE_DIR"
NO_CACHE_ENV = "ADVISOR_NO_CACHE"

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_TREE = PACKAGE_DIR.parent  # the checkout, when running from source


def _override(variable: str) -> Path | None:
    value = os.environ.get(variable)
    return Path(value) if value else None


def rules_dir() -> Path:
    """`$ADVISOR_RULES_DIR`, else the copy inside an installed wheel, else the source tree's."""
    override = _override(RULES_DIR_ENV)
    if override is not None:
        return override
    packaged = PACKAGE_DIR / "_knowledge" / "rules"
    if packaged.is_dir():
        return packaged
    return SOURCE_TREE / "rules"


def scenarios_dir() -> Path | None:
    """`$ADVISOR_SCENARIOS_DIR`, else the source tree's scenarios/ folder (None if absent)."""
    override = _override(SCENARIOS_DIR_ENV)
    if override is not None:
        return override
    folder = SOURCE_TREE / "scenarios"
    return folder if folder.is_dir() else None


def data_dir() -> Path:
    """`$ADVISOR_DATA_DIR`, else the user's data directory for advisor."""
    override = _override(DATA_DIR_ENV)
    if override is not None:
        return override
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME))


def cache_dir() -> Path:
    """`$ADVISOR_CACHE_DIR`, else the user's cache directory for advisor."""
    override = _override(CACHE_DIR_ENV)
    if override is not None:
        return override
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME))


def cache_disabled() -> bool:
    """`$ADVISOR_NO_CACHE` set: build the knowledge base from YAML every run."""
    return bool(os.environ.get(NO_CACHE_ENV))
