"""Deciding conditions by enumeration over a Universe (three-valued, like the engine).

A condition is satisfiable when some assignment of known values makes it true. Kleene logic
is monotone (learning a value never turns true into unknown), so joint satisfiability only
needs complete assignments, while implication must also try leaving facts unknown: a rule
that fires while the other rule's facts are unknown is a counterexample. Only the premise's
own facts need enumerating; facts it doesn't read can stay unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from advisor.knowledge.conditions import AnyOf, Condition, Leaf, evaluate, subjects
from advisor.knowledge.rules import Rule
from advisor.lint.domains import Universe, assignments, holds


def witness_all(conditions: Sequence[Condition], universe: Universe,
                unless: Sequence[Condition] = ()) -> dict[str, Any] | None:
    """An assignment making every condition true at once, and none of `unless` true, or None
    when there is none. The facts only `unless` reads stay unknown: by monotonicity that is
    the assignment most likely to leave them untrue (a scope entry that does not hold)."""
    names = frozenset().union(*(subjects(c) for c in conditions))
    for assignment in assignments(universe.candidates(names, [*conditions, *unless]), partial=False,
                                  dead=lambda known: _refuted(conditions, known) or _met(unless, known)):
        if all(holds(c, assignment) for c in conditions) and not any(holds(c, assignment) for c in unless):
            return assignment
    return None


def counterexample(premise: Condition, conclusions: Sequence[Condition],
                   universe: Universe) -> dict[str, Any] | None:
    """An assignment where `premise` is true and none of `conclusions` is; None if it implies one."""
    in_play = [premise, *conclusions]
    for assignment in assignments(universe.candidates(subjects(premise), in_play), partial=True,
                                  dead=lambda known: _refuted([premise], known) or _met(conclusions, known)):
        if holds(premise, assignment) and not any(holds(c, assignment) for c in conclusions):
            return assignment
    return None


def implies(premise: Condition, conclusions: Sequence[Condition], universe: Universe) -> bool:
    """Whenever `premise` is true, at least one of `conclusions` is true too."""
    return counterexample(premise, conclusions, universe) is None


def grounded_witness(conditions: Sequence[Condition], universe: Universe,
                     producers: Callable[[str], Sequence[Rule]],
                     supported: frozenset[str] = frozenset(),
                     accept: Callable[[dict[str, Any]], bool] | None = None) -> dict[str, Any] | None:
    """Like witness_all, but every derived fact or decision value in the witness must also be
    given by some producer rule whose condition holds at the same time (recursively), so the
    witness is a situation the engine can actually reach (overrides by rank aside). `accept`,
    if given, must also approve the complete witness (no scope entry sets its producers aside)."""
    names = frozenset().union(*(subjects(c) for c in conditions))
    # Each value a rule produces is its own class: values alike for the conditions (ai_services
    # and azure_ml, both "not a Spark service") differ in the rules that can give them.
    distinct = [Leaf(n, "eq", p.conclusion.value) for n in sorted(names) for p in producers(n)]
    for assignment in assignments(universe.candidates(names, [*conditions, *distinct]), partial=False,
                                  dead=lambda known: _refuted(conditions, known)):
        if not all(holds(c, assignment) for c in conditions):
            continue
        ruled = {n for n in assignment if producers(n)}
        new = ruled - supported
        if not new:
            if accept is None or accept(assignment):
                return assignment
            continue
        supports: list[Condition] = []
        for name in sorted(new):
            options = tuple(p.condition for p in producers(name) if p.conclusion.value == assignment[name])
            if not options:
                break
            supports.append(AnyOf(options))
        else:
            pins = [Leaf(n, "eq", assignment[n]) for n in sorted(ruled)]
            deeper = grounded_witness([*conditions, *pins, *supports], universe, producers, supported | new, accept)
            if deeper is not None:
                return deeper
    return None


def _refuted(conditions: Sequence[Condition], known: dict[str, Any]) -> bool:
    """Some condition is already false, whatever the facts not yet given turn out to be."""
    return any(evaluate(c, known.__getitem__) is False for c in conditions)


def _met(conditions: Sequence[Condition], known: dict[str, Any]) -> bool:
    """Some condition is already true, whatever the facts not yet given turn out to be."""
    return any(evaluate(c, known.__getitem__) is True for c in conditions)
