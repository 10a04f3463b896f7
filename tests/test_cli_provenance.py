"""The provenance a report carries (`advisor`, `rule_base`, `date`) names the rule base it
was made with, whatever rule bases the process loaded and freed before."""

from __future__ import annotations

import dataclasses


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
    assert reused, "no id reused: the test proves nothing on this interpreter"
