"""Conflict settling: when rules conclude different values for one decision or fact.

The higher-ranked rule wins: priority first, then specificity (the number of tests in its
condition). The engine already acted on this while running (an outranking value replaced
the one in working memory before any rule read it); here every firing gets its final
status and the losers their reason. Equal ranks are a contest: the value reached first
stays, both are kept, and a warning says so. Nothing is overwritten silently.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from operator import attrgetter
from typing import Any

from advisor.engine.certainty import STANDING, combine
from advisor.engine.results import Alternative, Firing, Recommendation, RuleWarning
from advisor.knowledge.vocabulary import Vocabulary

Rank = tuple[int, int]  # (priority, specificity)
_RULE_ID = attrgetter("rule_id")
ByValue = Mapping[tuple[str, Any], list[Firing]]


def by_name(by_value: ByValue) -> dict[str, list[tuple[Any, list[Firing]]]]:
    """The values concluded for each name, with their firings, in the order first reached."""
    grouped: dict[str, list[tuple[Any, list[Firing]]]] = {}
    for (name, value), firings in by_value.items():
        grouped.setdefault(name, []).append((value, firings))
    return grouped


def settle(name: str, winner: Any, values: list[tuple[Any, list[Firing]]],
           best_rank: Mapping[tuple[str, Any], Rank]) -> list[RuleWarning]:
    """Mark the firings for `name`: the winner's applied and supporting, the others
    overruled or contested (with the reason). Returns the contest warnings."""
    if len(values) == 1:  # one value concluded (most names): its first firing applied, the rest support
        for firing in values[0][1][1:]:
            firing.status = "supporting"
        return []
    warnings = []
    win_rank = best_rank[(name, winner)]
    win_firings = next(firings for value, firings in values if value == winner)
    win_rules = [f.rule_id for f in win_firings]
    for firing in win_firings:
        firing.status = "applied" if firing is win_firings[0] else "supporting"
    for value, firings in values:
        if value == winner:
            continue
        rank = best_rank[(name, value)]
        if rank == win_rank:
            note = (f"contested: {', '.join(f.rule_id for f in firings)} ({value}) and "
                    f"{', '.join(win_rules)} ({winner}) have the same priority and specificity; "
                    f"{winner} was reached first")
            status = "contested"
            warnings.append(RuleWarning(firings[0].rule_id, f"{name}: {note}", "contested", tuple(win_rules)))
        else:
            status = "overruled"
            note = f"overruled by {win_rules[0]}: {why_higher(win_rank, rank)}"
        for firing in firings:
            firing.status, firing.note = status, note  # type: ignore[assignment]
    return warnings


def why_higher(winner: Rank, loser: Rank) -> str:
    if winner[0] != loser[0]:
        return f"higher priority ({winner[0]} over {loser[0]})"
    return f"more specific ({winner[1]} conditions over {loser[1]})"


def recommendations(vocabulary: Vocabulary, winners: Mapping[str, Any],
                    grouped: Mapping[str, list[tuple[Any, list[Firing]]]],
                    unranked: Collection[str] = ()) -> list[Recommendation]:
    """One recommendation per decided single-choice decision, one per choice of a
    several-choice decision, in vocabulary order; losers become alternatives. Decisions in
    `unranked` (a fired warning says the guide does not rank their heuristics) are contested."""
    result = []
    for spec in vocabulary.decisions:
        if spec.name not in winners:
            continue
        values = grouped[spec.name]
        firings_of = dict(values)
        choices = [c for c in spec.choices if c in firings_of] if spec.multiple else [winners[spec.name]]
        for choice in choices:
            supporting = [f for f in firings_of[choice] if f.status in STANDING]
            # One supporting firing (most choices): its certainty is the combination.
            certainty = supporting[0].certainty if len(supporting) == 1 else combine(f.certainty for f in supporting)
            losers = () if spec.multiple or len(values) == 1 else [(v, fs) for v, fs in values if v != choice]
            result.append(Recommendation(
                spec.name, choice, tuple(map(_RULE_ID, supporting)), certainty,
                # settle() gives all the firings of a losing value one status: the first tells
                spec.name in unranked or any(fs[0].status == "contested" for _, fs in losers),
                tuple(Alternative(v, tuple(map(_RULE_ID, fs)), fs[0].note) for v, fs in losers) if losers else ()))
    return result
