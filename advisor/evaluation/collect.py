"""Turn command-line paths (files, directories, globs) into scenario files to evaluate.

Directories are searched recursively for *.yaml and *.yml; a glob's matches are filtered the
same way. A file named explicitly is evaluated whatever its name, except the scenario JSON
Schema (so `advisor evaluate scenarios/*` works). Paths that cannot be used become problems:
one message each, reported with the results, never stopping the batch.
"""

from __future__ import annotations

import errno
import fnmatch
import functools
import glob
import os
import stat
from dataclasses import field
from pathlib import PurePath

from advisor.records import record

SCENARIO_SUFFIXES = (".yaml", ".yml")
SCHEMA_SUFFIX = ".schema.json"


@record
class Collection:
    files: list[str] = field(default_factory=list)          # sorted by path, no duplicates
    problems: dict[str, str] = field(default_factory=dict)  # path -> one-line message


@functools.lru_cache(maxsize=4096)
def sort_key(path: str) -> tuple[str, ...]:
    """Stable order: by path components, so a folder's files stay together. A path is sorted
    three times in a run (collected, deduplicated, its result): its key is kept."""
    return PurePath(path).parts


def collect(paths: list[str]) -> Collection:
    found: dict[str, str] = {}  # real path -> shown path (first in sorted order wins)
    problems: dict[str, str] = {}
    candidates: list[str] = []
    for raw in paths:
        _expand(raw, candidates, problems)
    real_folders: dict[str, str] = {}
    for path in sorted(candidates, key=sort_key):
        found.setdefault(_real_path(path, real_folders), path)
    files = sorted(found.values(), key=sort_key)
    return Collection(files, {p: problems[p] for p in sorted(problems, key=sort_key)})


def _real_path(path: str, real_folders: dict[str, str]) -> str:
    """os.path.realpath(path), with each folder's real path worked out once: a file that is
    not a symlink is its folder's real path joined with its name (one lstat, not one per
    component of the path for every file of a batch)."""
    folder, name = os.path.split(path)
    if not name or name in (".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    real = real_folders.get(folder)
    if real is None:
        real = real_folders[folder] = os.path.realpath(folder)
    return os.path.join(real, name)


def _expand(raw: str, out: list[str], problems: dict[str, str]) -> None:
    if not raw:
        problems[raw] = "empty path"
        return
    path = os.path.normpath(raw)
    if not os.path.lexists(path) and glob.has_magic(raw):
        matches = sorted(_glob(raw, problems), key=sort_key)
        if not matches:
            problems[raw] = "no files match this pattern"
            return
        before, problems_before = len(out), len(problems)
        for match in matches:
            if os.path.isdir(match):
                _walk(os.path.normpath(match), out, problems)
            elif _is_scenario_name(match):
                _add_file(os.path.normpath(match), out, problems)
        if len(out) == before and len(problems) == problems_before:
            problems[raw] = "no scenario files (*.yaml, *.yml) match this pattern"
        return
    if os.path.isdir(path):
        before, problems_before = len(out), len(problems)
        _walk(path, out, problems)
        if len(out) == before and len(problems) == problems_before:
            problems[path] = "no scenario files (*.yaml, *.yml) in this directory"
        return
    if not (path.endswith(SCHEMA_SUFFIX) and os.path.isfile(path)):
        _add_file(path, out, problems)


def _glob(pattern: str, problems: dict[str, str]) -> list[str]:
    """glob.glob(pattern, recursive=True), except that `**` never goes round a symlink loop
    (glob's own `**` follows links into loops until paths grow too long: a hang)."""
    parts = pattern.split(os.sep)
    if "**" not in parts:
        return glob.glob(pattern)  # as deep as the pattern, no deeper: loops can't hang it
    first_magic = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    root = os.sep.join(parts[:first_magic]) or ("" if not pattern.startswith(os.sep) else os.sep)
    if pattern.startswith(os.sep) and first_magic == 1:
        root = os.sep
    found: dict[str, None] = {}
    _match(root, [p for p in parts[first_magic:] if p != ""], [], found, problems)
    return list(found)


def _match(directory: str, parts: list[str], ancestors: list[str], found: dict[str, None],
           problems: dict[str, str]) -> None:
    """Paths under `directory` matching the pattern `parts`, one component at a time."""
    if not parts:
        if directory:
            found[directory] = None
    elif parts[0] == "**":
        _match_any_depth(directory, parts, ancestors, found, problems)
    elif not glob.has_magic(parts[0]):
        path = os.path.join(directory, parts[0])
        if len(parts) == 1:
            if os.path.lexists(path):
                found[path] = None
        elif os.path.isdir(path):
            _match(path, parts[1:], ancestors, found, problems)
    else:
        for entry in _entries(directory):
            if entry.name.startswith(".") and not parts[0].startswith("."):
                continue  # as glob: wildcards do not match hidden names
            if fnmatch.fnmatchcase(entry.name, parts[0]):
                path = os.path.join(directory, entry.name)
                if len(parts) == 1:
                    found[path] = None
                elif _is_dir(entry):
                    _match(path, parts[1:], ancestors, found, problems)


def _match_any_depth(directory: str, parts: list[str], ancestors: list[str], found: dict[str, None],
                     problems: dict[str, str]) -> None:
    """`**`: this folder and every folder below it, each entered once along any path."""
    real = os.path.realpath(directory or ".")
    if real in ancestors:
        problems[directory] = f"symlink loop: leads back to {real}; not followed"
        return
    ancestors.append(real)
    rest = parts[1:]
    _match(directory, rest, ancestors, found, problems)  # `**` as no folder at all
    for entry in _entries(directory):
        if entry.name.startswith("."):
            continue
        if _is_dir(entry):
            _match_any_depth(os.path.join(directory, entry.name), parts, ancestors, found, problems)
        elif not rest:  # a final `**` matches files too
            found[os.path.join(directory, entry.name)] = None
    ancestors.pop()


def _entries(directory: str) -> list[os.DirEntry]:
    try:
        return sorted(os.scandir(directory or "."), key=lambda e: e.name)
    except OSError:
        return []


def _add_file(path: str, out: list[str], problems: dict[str, str]) -> None:
    problem = _unusable(path)
    if problem is not None:
        problems[path] = problem
    else:
        out.append(path)


def _unusable(path: str) -> str | None:
    """Why a path named as a file cannot be a scenario, or None (the loader reports the rest)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            return f"broken symlink (points to {os.readlink(path)}, which does not exist)"
        return "no such file or directory"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop (the link leads back to itself)"
        return f"cannot read: {exc.strerror or exc}"
    if not stat.S_ISREG(mode):  # a FIFO or a device could block or never end
        return "not a regular file"
    return None


def _walk(top: str, out: list[str], problems: dict[str, str]) -> None:
    """Recursive search that follows symlinked folders but never goes round a symlink loop."""
    ancestors: list[str] = []

    def visit(directory: str) -> None:
        real = os.path.realpath(directory)
        if real in ancestors:
            problems[directory] = f"symlink loop: leads back to {_shown(real, top)}; not followed"
            return
        ancestors.append(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            problems[directory] = f"cannot read directory: {exc.strerror or exc}"
            ancestors.pop()
            return
        for entry in entries:
            child = os.path.join(directory, entry.name)
            if _is_dir(entry):
                visit(child)
            elif _is_scenario_name(entry.name):
                _add_file(child, out, problems)
        ancestors.pop()

    visit(top)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop: not a directory we can enter
        return False


def _is_scenario_name(name: str) -> bool:
    return name.lower().endswith(SCENARIO_SUFFIXES)


def _shown(real: str, top: str) -> str:
    top_real = os.path.realpath(top)
    if real == top_real:
        return top
    relative = os.path.relpath(real, top_real)
    return os.path.join(top, relative) if not relative.startswith("..") else real
