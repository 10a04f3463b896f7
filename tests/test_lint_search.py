"""The lint's search over the fact space cuts branches that cannot succeed, and finds exactly
what the full enumeration finds, in the same order (so every witness it prints is unchanged)."""

from __future__ import annotations

from itertools import product

from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.knowledge.conditions import All, AnyOf, Leaf, evaluate
from advisor.lint.domains import assignments
from advisor.lint.logic import counterexample, witness_all

NAMES = ("a", "b", "c", "d")
VALUES = (0, 1, 2)

leaf = st.builds(Leaf, st.sampled_from(NAMES), st.sampled_from(("eq", "ne")), st.sampled_from(VALUES))
condition = st.recursive(leaf, lambda inner: st.one_of(
    st.builds(All, st.lists(inner, min_size=1, max_size=3).map(tuple)),
    st.builds(AnyOf, st.lists(inner, min_size=1, max_size=3).map(tuple))), max_leaves=6)
pools = st.fixed_dictionaries({n: st.lists(st.sampled_from(VALUES), min_size=1, max_size=3, unique=True)
                               for n in NAMES})


def _unpruned(candidates, partial):
    return list(assignments(candidates, partial))


@settings(max_examples=examples(300))
@given(pools, condition, st.booleans())
def test_cutting_false_branches_keeps_every_survivor_in_order(candidates, cond, partial):
    every = _unpruned(candidates, partial)
    kept = [a for a in every if evaluate(cond, a.__getitem__) is not False]
    cut = list(assignments(candidates, partial, dead=lambda known: evaluate(cond, known.__getitem__) is False))
    assert cut == kept


def test_a_branch_is_cut_where_it_dies_not_at_its_leaves():
    asked = []

    def dead(known):
        asked.append(dict(known))
        return known.get("a") == 0

    candidates = {"a": [0, 1], "b": [0, 1, 2], "c": [0, 1, 2]}
    found = list(assignments(candidates, False, dead=dead))
    assert found == [{"a": 1, "b": b, "c": c} for b, c in product([0, 1, 2], repeat=2)]
    assert not any(k.get("a") == 0 and "b" in k for k in asked)  # nothing below a = 0 was tried


class _Universe:
    """Candidates straight from a dict, for the searches above the enumeration."""

    def __init__(self, candidates):
        self.pools = candidates

    def candidates(self, names, conditions):
        return {n: self.pools[n] for n in sorted(names)}


@settings(max_examples=examples(200))
@given(pools, st.lists(condition, min_size=1, max_size=3), st.lists(condition, max_size=2))
def test_witness_and_counterexample_match_the_full_enumeration(candidates, conditions, unless):
    universe = _Universe(candidates)
    names = sorted(set().union(*({leaf_.subject for leaf_ in _leaves(c)} for c in conditions)))
    full = [a for a in assignments({n: candidates[n] for n in names}, False)
            if all(evaluate(c, a.__getitem__) is True for c in conditions)
            and not any(evaluate(u, a.__getitem__) is True for u in unless)]
    assert witness_all(conditions, universe, unless) == (full[0] if full else None)

    premise, rest = conditions[0], conditions[1:]
    premise_names = sorted({leaf_.subject for leaf_ in _leaves(premise)})
    full = [a for a in assignments({n: candidates[n] for n in premise_names}, True)
            if evaluate(premise, a.__getitem__) is True
            and not any(evaluate(c, a.__getitem__) is True for c in rest)]
    assert counterexample(premise, rest, universe) == (full[0] if full else None)


def _leaves(condition):
    if isinstance(condition, Leaf):
        yield condition
        return
    for part in condition.parts:
        yield from _leaves(part)
