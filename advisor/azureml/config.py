"""The review's configuration file, as Checkov users expect one: `.advisor.yaml`, or a
`[tool.advisor]` table in pyproject.toml, found from each reviewed path upward.

    skip:            # rules to skip, each with why (or a plain list of rule ids)
      review.environment-image-not-pinned: images are pinned by digest in the registry
    facts:           # facts to assume for every file (the command line's --fact wins)
      stage: production
    exclude:         # paths not to review, as globs relative to the config file's folder
      - experiments/**

Skipped rules still run: their findings are reported as suppressed, never dropped.

A configuration changes what review reports, so one that is found (not named with --config)
is trusted like the knowledge cache: the search goes from the reviewed path up to the
repository root (the folder holding `.git`) and no further, and the file used must be owned
by this user (or root), writable by no one else, in a folder others cannot write (or a
sticky one). A file that fails those checks, is over the size limit or does not parse is one
clear error (exit 2), never skipped silently.
"""

from __future__ import annotations

import os
import stat
from dataclasses import field
from pathlib import Path
from typing import Any

from advisor.azureml.globs import GlobSet
from advisor.errors import AdvisorError
from advisor.knowledge.vocabulary import Vocabulary
from advisor.records import record
from advisor.yamlio import MAX_FILE_BYTES, decode_utf8, parse_yaml, read_limited, read_text_file

FILE_NAMES = (".advisor.yaml", ".advisor.yml")
KEYS = ("skip", "facts", "exclude")
ALLOWED = "skip (rule ids, or rule id: reason), facts (name: value), exclude (globs)"
MAX_CONFIG_BYTES = MAX_FILE_BYTES
REPOSITORY_MARKERS = (".git", ".hg", ".svn")
_SKIPPED = "skipped in the configuration"


@record(frozen=True)
class ReviewConfig:
    path: str | None = None
    root: Path = field(default_factory=Path.cwd)
    skip: dict[str, str] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    # Built once per config, not once per file: 20,000 globs are filed by their literal start
    # or end, so a file costs a few lookups, not 40,000 fnmatch calls.
    _excluded: GlobSet = field(init=False, repr=False, compare=False)
    _real_root: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A glob matches a file, or (with "/*" added) everything below a folder.
        globs = (form for pattern in self.exclude for form in (pattern, pattern.rstrip("/") + "/*"))
        object.__setattr__(self, "_excluded", GlobSet(globs))
        object.__setattr__(self, "_real_root", os.path.realpath(self.root) if self.exclude else "")

    def excludes(self, path: Path) -> bool:
        """Whether a file is excluded: its path relative to the config's folder matches a glob."""
        if not self.exclude:
            return False
        # realpath, not Path.resolve(): a symlink loop named *.yml is a path like any other here
        # (reading it reports the loop), never an exception.
        try:
            relative = Path(os.path.realpath(path)).relative_to(self._real_root).as_posix()
        except (ValueError, OSError):
            relative = path.as_posix()
        return self._excluded.matches(relative)


# --- finding it -----------------------------------------------------------------------------

def find_config(start: Path | None = None) -> Path | None:
    """The nearest `.advisor.yaml`, or pyproject.toml with a [tool.advisor] table, from `start`
    (a file's folder, or a folder) up to the repository root. A pyproject.toml that can't be
    read or parsed is an AdvisorError, not passed over."""
    folder = Path(os.path.realpath(start or Path.cwd()))
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in FILE_NAMES:
            path = candidate / name
            if path.is_file() or path.is_symlink():
                return path
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_advisor_table(pyproject):
            return pyproject
        if any((candidate / marker).exists() for marker in REPOSITORY_MARKERS):
            return None  # the repository root: what lies above belongs to someone else
    return None


def configs_for(targets: list[Path], knowledge: Any) -> list[tuple[ReviewConfig, list[Path]]]:
    """The reviewed paths grouped by the configuration found from each upward (each file read
    and checked once), in the order first named."""
    loaded: dict[Path | None, ReviewConfig] = {}
    groups: dict[Path | None, list[Path]] = {}
    for target in targets:
        found = find_config(target)
        if found not in loaded:
            loaded[found] = ReviewConfig() if found is None else load_config(found, knowledge, trusted_only=True)
        groups.setdefault(found, []).append(target)
    return [(loaded[found], paths) for found, paths in groups.items()]


def trust_problem(path: Path) -> str | None:
    """Why the file could have been written by someone other than this user or root (None when
    it could not): the checks ssh makes on its keys, and the knowledge cache on itself."""
    if not hasattr(os, "geteuid"):
        return None  # Windows: no owner bits to check
    me = os.geteuid()
    try:
        info = os.stat(path)
        folder = os.stat(path.parent)
    except OSError as exc:
        return f"cannot check who owns it: {exc.strerror or exc}"
    if info.st_uid not in (me, 0):
        return f"owned by another user (uid {info.st_uid})"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "other users can write it"
    if folder.st_uid not in (me, 0):
        return f"its folder is owned by another user (uid {folder.st_uid}), who could replace it"
    if folder.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not folder.st_mode & stat.S_ISVTX:
        return "its folder can be written by other users, who could replace it"
    return None


def check_trusted(path: Path) -> None:
    problem = trust_problem(path)
    if problem is not None:
        raise AdvisorError(f"configuration not used: {problem}", where=str(path),
                           allowed="a file only you (or root) can write; or --config FILE to use it "
                                   "anyway, or --no-config")


def _has_advisor_table(pyproject: Path) -> bool:
    """Whether a pyproject.toml configures advisor. One that can't be read or parsed is an
    error when this user wrote it; another user's is passed over, unless it has the table."""
    try:
        return "advisor" in _tool_table(pyproject, _read_bounded(pyproject))
    except AdvisorError:
        if trust_problem(pyproject) is not None:
            return False  # someone else's broken file says nothing about advisor
        raise


def _read_bounded(path: Path) -> str:
    """A config file's text, at most MAX_CONFIG_BYTES (a 1 GB pyproject.toml is not read whole)."""
    try:
        raw = read_limited(path, MAX_CONFIG_BYTES)
    except OSError as exc:
        raise AdvisorError(f"cannot read: {exc.strerror or exc}", where=str(path)) from None
    if raw is None:
        raise AdvisorError(f"file is over the {MAX_CONFIG_BYTES}-byte limit for a configuration file",
                           where=str(path))
    return decode_utf8(raw, str(path), AdvisorError)


def _tool_table(path: Path, text: str) -> dict[str, Any]:
    """pyproject.toml's [tool] table (empty when there is none); malformed TOML is an error."""
    import tomllib  # here: most reviews find no pyproject.toml, and the parser takes ~10 ms to import

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AdvisorError(f"malformed TOML: {exc}", where=str(path),
                           allowed="fix it, or give --no-config or --config FILE") from None
    except ValueError:  # an integer past Python's 4,300-digit conversion limit
        raise AdvisorError("a number in the TOML has too many digits", where=str(path),
                           allowed="fix it, or give --no-config or --config FILE") from None
    except RecursionError:
        raise AdvisorError("TOML is nested too deeply", where=str(path)) from None
    tool = data.get("tool")
    return tool if isinstance(tool, dict) else {}


# --- reading it -----------------------------------------------------------------------------

def load_config(path: Path, knowledge: Any, *, trusted_only: bool = False) -> ReviewConfig:
    """Read and check a config file; AdvisorError (exit 2) names what is wrong and where.
    `trusted_only` (a file found, not named) also checks who could have written it."""
    where = str(path)
    if trusted_only:
        check_trusted(path)
    if path.name == "pyproject.toml":
        text = _read_bounded(path) if path.is_file() else read_text_file(path, "an advisor configuration file")
        data = _tool_table(path, text).get("advisor", {})
        where += " [tool.advisor]"
    else:
        text = read_text_file(path, "an advisor configuration file")
        data = parse_yaml(text, where).data
        data = {} if data is None else data
    if not isinstance(data, dict):
        raise AdvisorError("the configuration must be a mapping", where=where, allowed=ALLOWED)
    unknown = sorted(str(k) for k in data if k not in KEYS)
    if unknown:
        raise AdvisorError(f"unknown setting {unknown[0]!r}", where=where, allowed=ALLOWED)
    return ReviewConfig(where, path.parent, _skip(data.get("skip"), knowledge, where),
                        _facts(data.get("facts"), knowledge.vocabulary, where),
                        _exclude(data.get("exclude"), where))


def _skip(value: Any, knowledge: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    shape = "skip must be a list of rule ids or a mapping of rule id to reason"
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise AdvisorError(shape, where=where)
        value = dict.fromkeys(value, _SKIPPED)
    if not isinstance(value, dict):
        raise AdvisorError(shape, where=where)
    skip: dict[str, str] = {}
    for rule_id, reason in value.items():
        if not isinstance(rule_id, str) or knowledge.rule(rule_id) is None:
            raise AdvisorError(f"skip: no rule {str(rule_id)[:80]!r}", where=where,
                               allowed="rule ids as `advisor rules` lists them")
        if reason is not None and not isinstance(reason, str | int | float | bool):
            raise AdvisorError(f"skip.{rule_id}: the reason must be text", where=where)
        skip[rule_id] = str(reason)[:500] if reason is not None else _SKIPPED
    return skip


def _facts(value: Any, vocabulary: Vocabulary, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise AdvisorError("facts must be a mapping of fact name to value", where=where)
    facts: dict[str, Any] = {}
    for name, raw in value.items():
        spec = vocabulary.fact(name) if isinstance(name, str) else None
        if spec is None or spec.derived:
            raise AdvisorError(f"facts: unknown fact {str(name)[:80]!r}", where=where,
                               allowed="fact names as `advisor vocabulary` lists them")
        try:
            facts[spec.name] = spec.check(raw)
        except (ValueError, TypeError, OverflowError) as exc:
            raise AdvisorError(f"facts.{name}: {exc}", where=where) from None
    return facts


def _exclude(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AdvisorError("exclude must be a list of globs", where=where)
    return tuple(value)
