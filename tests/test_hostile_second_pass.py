"""Issue 27's second fuzzing pass (the fuzzers live outside the repository): one test per
failure class it found, each built from the fuzzer's reduced reproduction."""

from __future__ import annotations

from pathlib import Path

from conftest import SCENARIOS

GOOD = SCENARIOS / "image-classifier.yaml"


def _deep(root: Path, parts: int = 1200) -> Path:
    """A folder path of `parts` missing components: more than Python's recursion limit."""
    return root.joinpath(*(["d"] * parts))


# --- a folder path deeper than the recursion limit (ADVISOR_CACHE_DIR=/tmp/d/d/d/...) -------

def test_a_cache_folder_deeper_than_the_recursion_limit_is_created(tmp_path, monkeypatch):
    from advisor.knowledge.cache import load_cached
    from advisor.paths import rules_dir

    folder = _deep(tmp_path) / "cache"
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(folder))
    monkeypatch.delenv("ADVISOR_NO_CACHE", raising=False)
    knowledge = load_cached(rules_dir())  # was RecursionError in pathlib's mkdir
    assert knowledge.rules
    assert list(folder.glob("knowledge-*.json"))


def test_emit_into_a_folder_deeper_than_the_recursion_limit(cli, tmp_path):
    out = _deep(tmp_path)
    result = cli("emit", GOOD, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir())


def test_a_drill_data_folder_deeper_than_the_recursion_limit(cli, tmp_path):
    result = cli("drill", "-n", "1", "--seed", "1", "--answers", "-", input="1\n",
                 env={"ADVISOR_DATA_DIR": str(_deep(tmp_path, 1100))})
    assert "Traceback" not in result.stderr, result.stderr[-500:]
    assert result.returncode in (0, 2), result.stderr[-500:]
    assert (_deep(tmp_path, 1100) / "drill.sqlite3").exists() or len(result.stderr.strip().splitlines()) == 1
