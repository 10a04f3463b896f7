"""The validated-knowledge cache: used when fresh, rebuilt when rules change or it is damaged."""

from __future__ import annotations

from conftest import RuleBase

from advisor.knowledge.base import load_from
from advisor.knowledge.cache import load_cached


def _copy_rules(tmp_path):
    return RuleBase(tmp_path / "rules", shipped_rules=True).path


def test_cache_is_written_then_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    directory = _copy_rules(tmp_path)
    first = load_cached(directory)
    [cached] = (tmp_path / "cache").glob("knowledge-*.json")
    again = load_cached(directory)
    assert again == first == load_from(directory)
    assert list((tmp_path / "cache").glob("knowledge-*.json")) == [cached]


def test_editing_a_rule_file_rebuilds_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    directory = _copy_rules(tmp_path)
    before = load_cached(directory)
    sweep = directory / "sweep.yaml"
    sweep.write_text(sweep.read_text(encoding="utf-8").replace(
        "title: Reproducible sweeps use Sobol sampling", "title: Seeded sweeps use Sobol"), encoding="utf-8")
    after = load_cached(directory)
    assert before.rule("sweep.sobol-for-reproducibility").title != after.rule("sweep.sobol-for-reproducibility").title
    assert after.rule("sweep.sobol-for-reproducibility").title == "Seeded sweeps use Sobol"
    assert len(list((tmp_path / "cache").glob("knowledge-*.json"))) == 1  # the stale one is gone


def test_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    directory = _copy_rules(tmp_path)
    load_cached(directory)
    [cached] = (tmp_path / "cache").glob("knowledge-*.json")
    cached.write_bytes(b"{\"$\": \"Leaf\", \"v\": [1]}")
    assert load_cached(directory) == load_from(directory)


def test_an_unwritable_cache_dir_still_works(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(blocker / "cache"))
    assert len(load_cached(_copy_rules(tmp_path)).rules) >= 60
