"""Result objects of a consultation: no I/O here, renderers turn them into text."""

from collections.abc import Callable
from dataclasses import field
from typing import Any, Literal, NamedTuple

from advisor.knowledge.vocabulary import value_text
from advisor.records import record

USER = "user"
# Below this certainty a recommendation is reported as weak (reports and explanations read it).
WEAK_CERTAINTY = 0.6
# The frozen results are named tuples (immutable, compared and hashed by value): a class of them
# is made in ~0.2 ms against ~1 ms for a frozen dataclass, and every run imports this module.
# No `from __future__ import annotations`: NamedTuple compiles every annotation given as text.
FiringStatus = Literal["applied", "supporting", "overruled", "contested", "warning", "set_aside"]


@record(frozen=True, slots=True)  # slots: one per matched fact, made on every firing
class Evidence:
    """A fact (or decision) a rule matched, and where it came from."""

    name: str
    value: Any
    origin: str  # "user" or the id of the rule that concluded it

    @property
    def from_user(self) -> bool:
        return self.origin == USER


@record(slots=True)  # slots: one per firing, hundreds per consultation at scale
class Firing:
    """One rule that fired: what it concluded from which facts, and how that stood."""

    order: int
    rule_id: str
    kind: Literal["recommend", "conclude", "warn"]
    name: str | None
    value: Any
    matched: tuple[Evidence, ...]
    status: FiringStatus = "applied"
    note: str = ""  # why it was overruled or contested
    certainty: float = 1.0


class Alternative(NamedTuple):
    """A choice some rule proposed that did not win, and why."""

    choice: str
    rules: tuple[str, ...]
    reason: str


class Recommendation(NamedTuple):
    """The choice that stands for a decision, with the rules behind it and its certainty."""

    decision: str
    choice: str
    rules: tuple[str, ...]          # rules supporting this choice, in firing order
    certainty: float
    contested: bool
    alternatives: tuple[Alternative, ...] = ()


class RuleWarning(NamedTuple):
    """A caution a rule raised, or a contest or disagreement the settling found."""

    rule_id: str
    message: str
    kind: str  # "caution", "sources_disagree" or "contested"
    related: tuple[str, ...] = ()


class OpenDecision(NamedTuple):
    """A decision no rule settled, with the facts that could still settle it."""

    decision: str
    settled_by: tuple[str, ...]  # facts not given that rules for this decision still wait on


class SetAside(NamedTuple):
    """A scope entry that holds (knowledge/scope.py): the decisions it makes moot, and why."""

    scope_id: str
    decisions: tuple[str, ...]
    facts: tuple[str, ...]
    rules: tuple[str, ...]  # the rules that fired but were set aside by it


class DerivationNode(NamedTuple):
    """How a value came about: the rule, the facts it matched, and their own derivations."""

    rule_id: str
    conclusion: str
    facts: tuple[Evidence, ...]
    children: tuple["DerivationNode", ...]


@record
class Consultation:
    """Everything one run of the rules concluded, as the features and the report read it."""

    facts: dict[str, Any]
    derived: dict[str, Evidence]
    recommendations: list[Recommendation]
    warnings: list[RuleWarning]
    fired: list[Firing]
    # Finds the open decisions; called when something first reads `open_decisions`.
    find_open_decisions: Callable[[], list[OpenDecision]] = field(repr=False, compare=False)
    # Everything a condition can read at the end of the run: the user's facts, derived facts
    # and single-choice decisions (several-choice decisions are not readable by conditions).
    values: dict[str, Any] = field(default_factory=dict)
    set_aside: list[SetAside] = field(default_factory=list)  # what the consultation's choices made moot
    _by_value: dict[tuple[str, Any], list[Firing]] | None = field(default=None, init=False, repr=False,
                                                                  compare=False)
    _open_decisions: list[OpenDecision] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def open_decisions(self) -> list[OpenDecision]:
        """Each decision left open that unanswered facts could still settle, with those facts.
        Found when first read: the report, the planner and why-not read them; a review, or an
        evaluation whose expectations hold, never does, and the search is most of its cost."""
        if self._open_decisions is None:
            self._open_decisions = self.find_open_decisions()
        return self._open_decisions

    def _firings_by_value(self) -> dict[tuple[str, Any], list[Firing]]:
        """The firings behind each concluded value, for derivation trees (built when first asked)."""
        if self._by_value is None:
            self._by_value = {}
            for firing in self.fired:
                if firing.name is not None:
                    self._by_value.setdefault((firing.name, firing.value), []).append(firing)
        return self._by_value

    def moot(self) -> frozenset[str]:
        """The decisions and facts the consultation's choices made moot."""
        return frozenset(n for s in self.set_aside for n in (*s.decisions, *s.facts))

    def recommendation(self, decision: str) -> Recommendation | None:
        return next((r for r in self.recommendations if r.decision == decision), None)

    def chosen(self, decision: str) -> tuple[str, ...]:
        return tuple(r.choice for r in self.recommendations if r.decision == decision)

    def fired_ids(self) -> set[str]:
        return {f.rule_id for f in self.fired}

    def derivation(self, name: str, value: Any) -> list[DerivationNode]:
        """Derivation trees for `name = value`, one per supporting firing, down to user facts."""
        return [self._node(f, set()) for f in self._supporting(name, value)]

    def _supporting(self, name: str, value: Any) -> list[Firing]:
        return [f for f in self._firings_by_value().get((name, value), [])
                if f.status in ("applied", "supporting")]

    def _node(self, firing: Firing, seen: set[str]) -> DerivationNode:
        children = []
        for evidence in firing.matched:
            if evidence.from_user or evidence.origin in seen:
                continue
            producer = next((f for f in self._supporting(evidence.name, evidence.value)
                             if f.rule_id == evidence.origin), None)
            if producer is not None:
                children.append(self._node(producer, seen | {firing.rule_id}))
        if firing.kind == "warn":
            conclusion = f"warn: {firing.value}"
        else:
            conclusion = f"{firing.name} = {value_text(firing.value)}"
        return DerivationNode(firing.rule_id, conclusion, firing.matched, tuple(children))

