"""Conflict settling: when rules conclude different values for one decision or fact.

The higher-ranked rule wins: priority first, then specificity (the number of tests in its
condition). The engine already acted on this while running (an outranking value replaced
the one in working memory before any rule read it); here every firing gets its final
status and the losers their reason. Equal ranks are a contest: the value reached first
stays, both are kept, and a warning says so. Nothing is overwritten silently.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from operator import attrgetter
from typing import Any

from advisor.engine.certainty import STANDING, combine_evidence
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
           best_rank: Mapping[tuple[str, Any], Rank],
           refines: Callable[[str, str], bool] | None = None) -> list[RuleWarning]:
    """Mark the firings for `name`: the winner's applied and supporting, the others
    overruled or contested (with the reason). Returns the contest warnings.

    At equal priority, more conditions win only as a refinement: when the winning rule tests
    everything the losing one tests (`refines(winner, loser)`), it is that rule's exception.
    Otherwise counting conditions would be a ranking no source gives: the two are contested."""
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
        unranked = rank[0] == win_rank[0] and refines is not None and not any(
            refines(w, f.rule_id) for w in win_rules for f in firings)
        if rank == win_rank or unranked:
            same = "specificity" if rank == win_rank else "neither refines the other"
            how = ("reached first" if rank == win_rank else "shown (more conditions, on other things)"
                   if win_rank > rank else "shown (first in the vocabulary's order)")
            note = (f"contested: {', '.join(f.rule_id for f in firings)} ({value}) and "
                    f"{', '.join(win_rules)} ({winner}) have the same priority and {same}: "
                    f"{UNRANKED}; {winner} was {how}")
            status = "contested"
            warnings.append(RuleWarning(firings[0].rule_id, f"{name}: {note}", "contested", tuple(win_rules)))
        else:
            status = "overruled"
            # At equal priority an exception wins; where the losing value has a rule with more
            # conditions than the winner, "more specific" would be false: name the exception.
            exception = None if rank <= win_rank or refines is None else next(
                (w, f.rule_id) for w in win_rules for f in firings if refines(w, f.rule_id))
            note = (f"overruled by {exception[0]}: an exception to {exception[1]} (it tests everything that "
                    f"rule tests, and more), so {value} stands down for every rule that concludes it"
                    if exception else f"overruled by {win_rules[0]}: {why_higher(win_rank, rank)}")
        for firing in firings:
            firing.status, firing.note = status, note  # type: ignore[assignment]
    return warnings


Combined = Mapping[str, frozenset[str]]  # a decision's combined choices -> the choices each stands for
UNRANKED = "the guide does not rank these"


def choice_set(value: Any, combined: Combined) -> frozenset[str]:
    return combined.get(value, frozenset((value,)))


def settle_by_sets(values: Collection[Any], combined: Combined) -> tuple[Any, bool]:
    """What heuristics of equal priority settle on where the vocabulary combines choices
    (`azure_ml_or_databricks` stands for both): (choice, agreed).

    When every proposal allows exactly one choice (Python: Azure ML; full control: Azure ML or
    Databricks), that choice, agreed. Otherwise nothing ranks them: the combined choice naming
    exactly what they propose together, if the vocabulary has one, or None (contested, and
    nothing for other rules to read); not agreed either way."""
    sets = [choice_set(v, combined) for v in values]
    common = frozenset.intersection(*sets)
    if len(common) == 1:
        return next(iter(common)), True
    exact = next((c for c, chosen in combined.items() if chosen == common), None)
    if exact is not None:
        return exact, True
    union = frozenset.union(*sets)
    return next((c for c, chosen in combined.items() if chosen == union), None), False


def settle_sets(name: str, values: list[tuple[Any, list[Firing]]], combined: Combined,
                priority: Mapping[str, int], shown: Any = None) -> tuple[Any, list[RuleWarning]]:
    """Mark the firings of a decision settled by sets (see settle_by_sets); returns the choice
    shown (None when contested with no combined choice: the first proposal is shown, marked)
    and the contest warning. Lower priorities are overruled by the top one."""
    top = max(priority[f.rule_id] for _, fs in values for f in fs)
    proposals = [v for v, fs in values if any(priority[f.rule_id] == top for f in fs)]
    winner, agreed = settle_by_sets(proposals, combined)
    allowed = choice_set(winner, combined) if winner is not None else frozenset()
    first = True
    for value, firings in values:
        proposed = choice_set(value, combined)
        # agreed: the value allows the winner; named together: the winner covers the value
        fits = value in proposals and bool(allowed) and (allowed <= proposed if agreed else proposed <= allowed)
        for firing in firings:
            if priority[firing.rule_id] != top:
                firing.status, firing.note = "overruled", f"overruled: higher priority ({top}) decides {name}"
            elif fits:  # agreed, or named together by a combined choice
                firing.status, firing.note = ("applied" if first else "supporting"), ""
                first = False
            else:
                firing.status = "contested"
                firing.note = f"contested: {UNRANKED} ({', '.join(map(str, proposals))})"
    if agreed:
        return winner, []
    outcome = (f"the advisor shows {winner}, which names them together" if winner is not None
               else "the advisor picks none, and no other advice rests on one")
    rules = tuple(f.rule_id for _, fs in values for f in fs if f.status == "contested")
    return (winner if winner is not None else shown), [RuleWarning(
        rules[0], f"{name}: contested: {UNRANKED}: {', '.join(map(str, proposals))}; {outcome}",
        "contested", rules[1:])]


def why_higher(winner: Rank, loser: Rank) -> str:
    if winner[0] != loser[0]:
        return f"higher priority ({winner[0]} over {loser[0]})"
    return f"more specific ({winner[1]} conditions over {loser[1]})"


def recommendations(vocabulary: Vocabulary, winners: Mapping[str, Any],
                    grouped: Mapping[str, list[tuple[Any, list[Firing]]]],
                    unranked: Collection[str] = (),
                    footprint: Callable[[], Mapping[int, frozenset[str]]] | None = None,
                    by_sets: Collection[str] = ()) -> list[Recommendation]:
    """One recommendation per decided single-choice decision, one per choice of a
    several-choice decision, in vocabulary order; losers become alternatives. Decisions in
    `unranked` (a fired warning says the guide does not rank their heuristics) are contested.
    Certainty counts independent evidence only (certainty.combine_evidence, by the footprints
    `footprint()` gives: asked once, and only if some choice has two or more supporting firings).
    A decision in `by_sets` was settled by settle_sets: every firing still standing supports
    its choice, whatever value it named (Azure ML or Databricks supports Azure ML)."""
    result = []
    prints: Mapping[int, frozenset[str]] | None = None
    for spec in vocabulary.decisions:
        name = spec.name
        if name not in winners:
            continue
        values = grouped[name]
        firings_of = dict(values)
        choices = [c for c in spec.choices if c in firings_of] if spec.multiple else (winners[name],)
        sets = name in by_sets
        everything = [f for _, fs in values for f in fs] if sets else []
        # The same for each of the decision's choices: worked out once.
        flagged = name in unranked or any(f.status == "contested" for _, fs in values for f in fs)
        one_value = spec.multiple or len(values) == 1  # no losing values to show
        for choice in choices:
            supporting = [f for f in (everything if sets else firings_of[choice]) if f.status in STANDING]
            if sets and not supporting:  # contested with no combined choice: the first proposal, shown
                supporting = [f for f in firings_of.get(choice, ()) if f.status == "contested"]
            # One supporting firing (most choices): its certainty is the combination.
            if len(supporting) == 1:
                certainty = supporting[0].certainty
            else:
                if prints is None:
                    prints = footprint() if footprint is not None else {}
                certainty = combine_evidence(supporting, prints)
            if one_value:
                result.append(Recommendation(name, choice, tuple(map(_RULE_ID, supporting)), certainty, flagged, ()))
                continue
            losers = [(v, fs) for v, fs in values if v != choice and not any(f.status in STANDING for f in fs)]
            result.append(Recommendation(
                name, choice, tuple(map(_RULE_ID, supporting)), certainty,
                # settle() gives all the firings of a losing value one status: the first tells
                flagged or any(fs[0].status == "contested" for _, fs in losers),
                tuple(Alternative(v, tuple(map(_RULE_ID, fs)), fs[0].note) for v, fs in losers) if losers else ()))
    return result
