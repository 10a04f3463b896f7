"""The configuration's exclude globs (issue 27 class 2: 20,000 globs took 3.4 s a file, because
fnmatch's 32,768-entry cache overflowed and every glob was recompiled for every file).
Exclusion keeps fnmatch's meaning exactly; the work is done by a few regexes built once, which
is what these tests count (no timing): how fast is measured in bench/review_shapes.py."""

from __future__ import annotations

import fnmatch
from pathlib import Path

from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.azureml.collect import run_review
from advisor.azureml.config import ReviewConfig
from advisor.azureml.globs import GlobSet


def _naive(name: str, globs: list[str]) -> bool:
    return any(fnmatch.fnmatch(name, g) for g in globs)


def test_20000_globs_over_500_files_build_a_regex_only_for_the_literal_starts_in_use(tmp_path, monkeypatch):
    calls = {"fnmatch": 0}
    real = fnmatch.fnmatch

    def counted(name, pattern):
        calls["fnmatch"] += 1
        return real(name, pattern)
    monkeypatch.setattr(fnmatch, "fnmatch", counted)
    globs = tuple(f"skip{i}/*.yml" for i in range(20_000))
    config = ReviewConfig(root=tmp_path, exclude=globs)
    excluded = [config.excludes(tmp_path / f"skip{i % 50}" / f"{i}.yml") for i in range(250)]
    kept = [config.excludes(tmp_path / f"team{i % 50}" / f"{i}.yml") for i in range(250)]
    assert all(excluded) and not any(kept)
    assert calls["fnmatch"] == 0
    # skip0 .. skip49 (and skip1 for skip1x..., each a literal start): one regex each, not one
    # per file and glob (which would be 500 x 40,000).
    assert config._excluded.regexes_compiled <= 50 + 5


def test_a_glob_set_compiles_each_group_once_however_many_names_it_meets():
    globs = [f"*{i}.yml" for i in range(1000)] + ["**/drafts/*", "a*b"]
    matcher = GlobSet(globs)
    names = [f"x/y/{i}.yml" for i in range(3000)] + ["q/drafts/z", "a/b", "nothing"]
    assert [matcher.matches(n) for n in names] == [_naive(n, globs) for n in names]
    built = matcher.regexes_compiled
    # one regex per literal end met (0.yml .. 999.yml at most) and one for the globs with no
    # literal start or end; fnmatch would compile (or look up) every glob for every name.
    assert 0 < built <= 1000 + 1
    assert [matcher.matches(n) for n in names] == [_naive(n, globs) for n in names]
    assert matcher.regexes_compiled == built  # built once, never again


def test_folder_and_file_forms_keep_their_meaning(tmp_path):
    config = ReviewConfig(root=tmp_path, exclude=("experiments/**", "drafts/", "one.yml", "*.tmp.yml", "a?c/[xy]*"))
    assert config.excludes(tmp_path / "experiments" / "a" / "b.yml")
    assert config.excludes(tmp_path / "drafts" / "x.yml")
    assert config.excludes(tmp_path / "one.yml")
    assert config.excludes(tmp_path / "deep" / "x.tmp.yml")  # fnmatch's * crosses folders
    assert config.excludes(tmp_path / "abc" / "y1.yml")
    assert not config.excludes(tmp_path / "abc" / "z1.yml")
    assert not config.excludes(tmp_path / "experiment.yml")
    assert not config.excludes(tmp_path / "sub" / "one.yml")


def test_a_review_of_a_folder_excludes_through_the_compiled_globs(advisor, tmp_path):
    for folder in ("keep", "skip7"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "c.yml").write_text("type: amlcompute\nname: c\nmax_instances: 2\n", encoding="utf-8")
    config = ReviewConfig(root=tmp_path, exclude=tuple(f"skip{i}/*.yml" for i in range(20_000)))
    run = run_review([tmp_path], advisor, config)
    assert [Path(r.path).parent.name for r in run.reviews] == ["keep"]
    assert [Path(s.path).parent.name for s in run.skipped] == ["skip7"]


_PIECES = st.sampled_from(["a", "b", "/", ".", "*", "**", "?", "[ab]", "[!a]", "[", "]", "[]]", "x.yml", "\\"])
_GLOB = st.lists(_PIECES, max_size=6).map("".join)
_NAME = st.lists(st.sampled_from(["a", "b", "/", ".", "x.yml", "[", "]", "c", "\\"]), max_size=8).map("".join)


# 30 examples while developing (up to 8 globs against up to 8 names each, built from every piece
# the matcher treats specially), 300 in CI.
@settings(max_examples=examples(300), deadline=None)
@given(globs=st.lists(_GLOB, max_size=8), names=st.lists(_NAME, min_size=1, max_size=8))
def test_a_glob_set_matches_exactly_what_fnmatch_matches(globs, names):
    matcher = GlobSet(globs)
    for name in names:
        assert matcher.matches(name) == _naive(name, globs), (name, globs)
