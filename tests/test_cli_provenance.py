"""The provenance a report carries (`advisor`, `rule_base`, `date`) names the rule base it
was made with, whatever rule bases the process loaded and freed before."""

from __future__ import annotations

import dataclasses

from conftest import ONE_AREA, RuleBase


def test_a_rule_base_hash_belongs_to_its_own_rule_base_not_to_a_reused_id(knowledge):
    from advisor.presentation.consultation.data import rule_base_hash

    def smaller(by: int):
        return dataclasses.replace(knowledge, rules=knowledge.rules[:-by])

    expected = rule_base_hash(smaller(2))
    reused = 0
    for _ in range(200):  # CPython hands freed memory, and so its id, to the next object of that size
        old = smaller(1)
        old_hash, old_id = rule_base_hash(old), id(old)
        del old
        new = smaller(2)
        if id(new) == old_id:
            reused += 1
            assert rule_base_hash(new) == expected != old_hash
            if reused == 5:
                break  # a hash kept by id goes stale at the first reuse; five are plenty
    assert reused, "no id reused: the test proves nothing on this interpreter"


def test_the_same_files_give_the_same_hash_read_from_the_cache_or_from_yaml(tmp_path, monkeypatch):
    """A cached run takes the hash from the cache file's digest line (issue 26: hashing the
    rule base again cost ~15 ms a consult); it must be the hash the YAML gives."""
    from advisor.knowledge.base import load_from
    from advisor.knowledge.cache import load_cached
    from advisor.presentation.consultation.data import rule_base_hash

    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    rules = RuleBase(tmp_path / "rules", also=ONE_AREA).path  # any rule base's files: a small one builds fast
    built = load_cached(rules)  # no cache yet: built from the YAML, then written
    cached = load_cached(rules)  # read from the cache
    assert cached is not built and cached == built
    assert rule_base_hash(cached) == rule_base_hash(built) == rule_base_hash(load_from(rules))
