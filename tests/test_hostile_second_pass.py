"""Issue 27's second fuzzing pass (the fuzzers live outside the repository): one test per
failure class it found, each built from the fuzzer's reduced reproduction."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SCENARIOS

GOOD = SCENARIOS / "image-classifier.yaml"


def _deep(root: Path, parts: int = 1200) -> Path:
    """A folder path of `parts` missing components: more than Python's recursion limit."""
    return root.joinpath(*(["d"] * parts))


def _remove_tree(root: Path) -> None:
    """rmtree without recursion (shutil's, which pytest's tmp_path cleanup uses, recurses)."""
    folders, stack = [], [str(root)]
    while stack:
        folder = stack.pop()
        folders.append(folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    os.unlink(entry.path)
    for folder in reversed(folders):
        os.rmdir(folder)


@pytest.fixture
def deep_root(tmp_path):
    root = tmp_path / "deep"
    root.mkdir()
    yield root
    _remove_tree(root)


# --- a folder path deeper than the recursion limit (ADVISOR_CACHE_DIR=/tmp/d/d/d/...) -------

def test_a_cache_folder_deeper_than_the_recursion_limit_is_created(deep_root, monkeypatch):
    from advisor.knowledge.cache import load_cached
    from advisor.paths import rules_dir

    folder = _deep(deep_root) / "cache"
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(folder))
    monkeypatch.delenv("ADVISOR_NO_CACHE", raising=False)
    knowledge = load_cached(rules_dir())  # was RecursionError in pathlib's mkdir
    assert knowledge.rules
    assert list(folder.glob("knowledge-*.json"))


def test_emit_into_a_folder_deeper_than_the_recursion_limit(cli, deep_root):
    out = _deep(deep_root)
    result = cli("emit", GOOD, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir())


def test_a_drill_data_folder_deeper_than_the_recursion_limit(cli, deep_root):
    result = cli("drill", "-n", "1", "--seed", "1", "--answers", "-", input="1\n",
                 env={"ADVISOR_DATA_DIR": str(_deep(deep_root, 1100))})
    assert "Traceback" not in result.stderr, result.stderr[-500:]
    assert result.returncode in (0, 2), result.stderr[-500:]
    assert (_deep(deep_root, 1100) / "drill.sqlite3").exists() or len(result.stderr.strip().splitlines()) == 1
