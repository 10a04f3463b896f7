"""Every default location advisor reads or writes, and every environment variable that moves one.

The one place that reads `os.environ` for paths; everything else asks this module.

- ADVISOR_RULES_DIR: the knowledge base (default: the wheel's `_knowledge/rules`, else `rules/`)
- ADVISOR_SCENARIOS_DIR: the drill's scenario library (the wheel's `_knowledge/scenarios`, else `scenarios/`)
- ADVISOR_DATA_DIR: drill progress and the consultation draft (default: the user's data folder)
- ADVISOR_CACHE_DIR: the validated knowledge-base cache (default: the user's cache folder)
- ADVISOR_NO_CACHE: set to anything to bypass that cache
- SOURCE_DATE_EPOCH: the reproducible-builds convention; reports dated from it
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "advisor"
RULES_DIR_ENV = "ADVISOR_RULES_DIR"
SCENARIOS_DIR_ENV = "ADVISOR_SCENARIOS_DIR"
DATA_DIR_ENV = "ADVISOR_DATA_DIR"
CACHE_DIR_ENV = "ADVISOR_CACHE_DIR"
NO_CACHE_ENV = "ADVISOR_NO_CACHE"
SOURCE_DATE_EPOCH_ENV = "SOURCE_DATE_EPOCH"

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_TREE = PACKAGE_DIR.parent  # the checkout, when running from source


def files_ending(directory: Path, suffix: str) -> list[Path]:
    """The entries of `directory` whose names end with `suffix`, sorted: what
    `sorted(directory.glob("*" + suffix))` gives (case-insensitively where paths are, as on
    Windows; nothing when the folder can't be listed), without compiling the glob's regular
    expression, a noticeable part of a cold start."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return sorted(directory / name for name in names if os.path.normcase(name).endswith(suffix))


def _override(variable: str) -> Path | None:
    value = os.environ.get(variable)
    return Path(value) if value else None


def _shipped_dir(name: str) -> Path:
    """A shipped data folder: the installed wheel's copy (pyproject.toml force-includes it as
    advisor/_knowledge/NAME), else the source tree's, beside the package."""
    packaged = PACKAGE_DIR / "_knowledge" / name
    return packaged if packaged.is_dir() else SOURCE_TREE / name


def rules_dir() -> Path:
    """`$ADVISOR_RULES_DIR`, else the shipped rule base."""
    return _override(RULES_DIR_ENV) or _shipped_dir("rules")


def scenarios_dir() -> Path | None:
    """`$ADVISOR_SCENARIOS_DIR`, else the shipped scenario library; None when there is no such
    folder. The variable naming a file (or a FIFO) is an AdvisorError, not silently no library."""
    folder = _override(SCENARIOS_DIR_ENV) or _shipped_dir("scenarios")
    if folder.exists() and not folder.is_dir():
        from advisor.errors import AdvisorError

        raise AdvisorError(f"{SCENARIOS_DIR_ENV} is not a folder", where=str(folder),
                           allowed="a folder of scenario YAML files")
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
    common = _linux_user_cache_dir()
    if common is not None:
        return Path(common)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME))


def _linux_user_cache_dir() -> str | None:
    """platformdirs' user cache folder in the common Linux case, without importing platformdirs
    (it and the tempfile, shutil and random it imports: ~8 ms by -X importtime, ~6 ms CPU of a
    cached consult paired round by round): $XDG_CACHE_HOME/advisor when that is absolute, else
    ~/.cache/advisor for an absolute $HOME. Anything else (other systems, Android, a relative or
    missing HOME) is left to platformdirs; tests/test_paths.py pins each case to its answer."""
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel") or "ANDROID_DATA" in os.environ:
        return None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg.startswith("/"):
        return os.path.join(xdg, APP_NAME)
    if os.environ.get("HOME", "").startswith("/"):
        return os.path.join(os.path.expanduser("~/.cache"), APP_NAME)
    return None


def cache_disabled() -> bool:
    """`$ADVISOR_NO_CACHE` set: build the knowledge base from YAML every run."""
    return bool(os.environ.get(NO_CACHE_ENV))


# The reproducible-builds spec: an integer of seconds since 1970; dates go up to year 9999.
MAX_EPOCH = 253402300799  # 9999-12-31T23:59:59Z


def source_date_epoch() -> int | None:
    """`$SOURCE_DATE_EPOCH` as whole seconds, or None when unset or empty. Anything else than
    ASCII digits naming a date up to year 9999 (`²`, 14 digits, 4,300 digits) is an
    AdvisorError, as the spec asks, not a traceback or a silently different date."""
    value = os.environ.get(SOURCE_DATE_EPOCH_ENV, "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_EPOCH)) or int(value) > MAX_EPOCH:
        from advisor.errors import AdvisorError

        raise AdvisorError(f"{SOURCE_DATE_EPOCH_ENV}={value[:20]!r}{'...' if len(value) > 20 else ''} is not a date",
                           allowed=f"whole seconds since 1970, 0 to {MAX_EPOCH} (year 9999)")
    return int(value)
