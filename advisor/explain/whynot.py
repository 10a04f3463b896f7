"""Why not? The rules that could have concluded a value, and what stopped each of them.

For every rule that recommends the asked choice (or concludes the asked value): if it fired
and lost, who overruled it; if it did not fire, the first condition that was not true, in
plain words. When that condition is on a concluded fact or a decision, the same is done one
level down for the rules that could have produced the value it needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from advisor.engine.results import Consultation
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import (
    All,
    AnyOf,
    Condition,
    FactRef,
    Leaf,
    alternatives_text,
    describe_leaf,
    evaluate,
    leaf_holds,
)
from advisor.knowledge.rules import Rule
from advisor.knowledge.vocabulary import value_text

CandidateStatus = Literal["supports", "warned", "overruled", "contested", "set_aside", "did_not_fire"]
# How a firing reads as a candidate: each engine status has its own entry, so a new one fails loudly here.
CANDIDATE_STATUS: dict[str, CandidateStatus] = {
    "applied": "supports", "supporting": "supports", "warning": "warned",
    "overruled": "overruled", "contested": "contested", "set_aside": "set_aside"}
DEPTH = 1  # how many levels down to explain a condition on a concluded value


@dataclass(frozen=True)
class Failure:
    """A condition that was not true: in plain words, and (one level down) why."""

    text: str
    subject: str | None = None
    missing: bool = False                        # unknown: a fact not given, a value not concluded
    branches: tuple[Failure, ...] = ()           # an `any` where no branch held
    deeper: tuple[Candidate, ...] = ()           # rules that could have produced the needed value
    leaf: Leaf | None = None                     # the test that failed (None for an `any`)

    @property
    def first_leaf(self) -> Leaf:
        """The failed test itself, or for an `any` its first branch's (the short form of a why-not)."""
        failure = self
        while failure.leaf is None:
            failure = failure.branches[0]
        return failure.leaf


@dataclass(frozen=True)
class Candidate:
    rule_id: str
    title: str
    source: str
    status: CandidateStatus
    note: str = ""
    failure: Failure | None = None


@dataclass(frozen=True)
class WhyNot:
    name: str
    value: Any
    title: str
    is_decision: bool
    chosen: tuple[Any, ...]          # what was concluded instead (empty: nothing)
    chosen_rules: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    settled_by: tuple[str, ...] = ()  # for an open decision: facts that could still settle it

    @property
    def recommended(self) -> bool:
        return self.value in self.chosen


def why_not(consultation: Consultation, knowledge: KnowledgeBase, name: str, value: Any) -> WhyNot:
    vocabulary = knowledge.vocabulary
    decision = vocabulary.decision(name)
    explainer = _Explainer(consultation, knowledge)
    if decision is not None:
        chosen = consultation.chosen(name)
        rules = tuple(r for rec in consultation.recommendations if rec.decision == name for r in rec.rules)
        title = decision.title
    else:
        fact = vocabulary.fact(name)
        assert fact is not None
        derived = consultation.derived.get(name)
        chosen = (derived.value,) if derived else ()
        rules = tuple(f.rule_id for f in consultation.fired
                      if f.name == name and derived and f.value == derived.value
                      and f.status in ("applied", "supporting"))
        title = fact.question
    candidates = tuple(explainer.candidate(rule, 0) for rule in knowledge.producers(name)
                       if rule.conclusion.value == value)
    settled_by = next((o.settled_by for o in consultation.open_decisions if o.decision == name), ())
    return WhyNot(name, value, title, decision is not None, chosen, rules, candidates, settled_by)


def condition_failure(consultation: Consultation, knowledge: KnowledgeBase, rule: Rule) -> Failure | None:
    """The first part of a rule's condition that is not true on the final values (None: it holds),
    whether or not the rule fired; no deeper level. Evaluation and drill feedback phrase it their way."""
    return _Explainer(consultation, knowledge).failure(rule.condition, DEPTH)


def why_not_rule(consultation: Consultation, knowledge: KnowledgeBase, rule_id: str) -> Candidate:
    """Did this rule fire, and if not, which condition stopped it (e.g. for a warning)?"""
    rule = knowledge.rule(rule_id)
    if rule is None:
        raise KeyError(rule_id)
    return _Explainer(consultation, knowledge).candidate(rule, 0)


class _Explainer:
    def __init__(self, consultation: Consultation, knowledge: KnowledgeBase) -> None:
        self.consultation = consultation
        self.knowledge = knowledge
        self.values = consultation.values
        self.firings = {f.rule_id: f for f in consultation.fired}

    def lookup(self, name: str) -> Any:
        return self.values[name]

    def candidate(self, rule: Rule, depth: int) -> Candidate:
        firing = self.firings.get(rule.id)
        if firing is not None:
            return Candidate(rule.id, rule.title, rule.source, CANDIDATE_STATUS[firing.status], firing.note)
        failure = self.failure(rule.condition, depth)
        note = "" if failure else "its conditions hold on the final facts, but it did not fire"
        return Candidate(rule.id, rule.title, rule.source, "did_not_fire", note, failure)

    def failure(self, condition: Condition, depth: int) -> Failure | None:
        """The first part of the condition that is not true (false or unknown)."""
        if evaluate(condition, self.lookup) is True:
            return None
        if isinstance(condition, Leaf):
            return self.leaf_failure(condition, depth)
        if isinstance(condition, All):
            for part in condition.parts:
                found = self.failure(part, depth)
                if found is not None:
                    return found
            return None
        assert isinstance(condition, AnyOf)
        branches = tuple(f for f in (self.failure(p, depth) for p in condition.parts) if f is not None)
        return Failure("needs one of: " + "; or ".join(_strip_needs(b.text) for b in branches),
                       missing=all(b.missing for b in branches), branches=branches)

    def leaf_failure(self, leaf: Leaf, depth: int) -> Failure:
        need = "needs " + describe_leaf(leaf, needed=True)
        names = [leaf.subject] + ([leaf.operand.name] if isinstance(leaf.operand, FactRef) else [])
        unknown = [n for n in names if n not in self.values]
        deeper = self.deeper(leaf, depth) if depth < DEPTH and self.is_concluded(leaf.subject) else ()
        if unknown:
            return Failure(f"{need}, but {self.unknown_text(unknown)}", leaf.subject, True, deeper=deeper, leaf=leaf)
        return Failure(f"{need}; {self.has_text(leaf)}", leaf.subject, False, deeper=deeper, leaf=leaf)

    def is_concluded(self, name: str) -> bool:
        return self.knowledge.vocabulary.is_concluded(name)

    def unknown_text(self, names: list[str]) -> str:
        parts = []
        for name in names:
            if self.knowledge.vocabulary.decision(name) is not None:
                parts.append(f"{name} was not decided")
            elif self.is_concluded(name):
                parts.append(f"no rule concluded {name}")
            else:
                parts.append(f"{name} was not given")
        return " and ".join(parts)

    def has_text(self, leaf: Leaf) -> str:
        value = self.values[leaf.subject]
        if isinstance(leaf.operand, FactRef):
            other = self.values[leaf.operand.name]
            limit = other * leaf.operand.times
            return (f"this scenario has {leaf.subject} = {value_text(value)} and "
                    f"{leaf.operand.name} = {value_text(other)} (so the limit is {value_text(limit)})")
        if isinstance(value, tuple):
            operand = set(leaf.operand)
            shown = {
                "contains_only": [v for v in value if v not in operand],
                "contains_none": [v for v in value if v in operand],
            }.get(leaf.op, list(value))
            prefix = "only " if leaf.op == "contains_other_than" else ""
            return f"this scenario has {prefix}{alternatives_text(shown) if shown else 'none'}"
        origin = self.origin(leaf.subject)
        by = f" (concluded by {origin})" if origin else ""
        return f"this scenario has {leaf.subject} = {value_text(value)}{by}"

    def origin(self, name: str) -> str | None:
        if name in self.consultation.facts:
            return None
        derived = self.consultation.derived.get(name)
        if derived is not None:
            return derived.origin
        rec = self.consultation.recommendation(name)
        return rec.rules[0] if rec and rec.rules else None

    def deeper(self, leaf: Leaf, depth: int) -> tuple[Candidate, ...]:
        """The rules that could have given the subject a value that satisfies the leaf."""
        wanted = [v for v in _possible_values(leaf.subject, self.knowledge) if _holds(leaf, v, self.lookup)]
        return tuple(self.candidate(rule, depth + 1) for rule in self.knowledge.producers(leaf.subject)
                     if rule.conclusion.value in wanted)


def _possible_values(name: str, knowledge: KnowledgeBase) -> tuple[Any, ...]:
    vocabulary = knowledge.vocabulary
    fact = vocabulary.fact(name)
    if fact is not None and fact.type == "bool":
        return (True, False)
    return vocabulary.values_of(name) or ()


def _holds(leaf: Leaf, value: Any, lookup: Callable[[str], Any]) -> bool:
    operand = leaf.operand
    if isinstance(operand, FactRef):
        try:
            operand = lookup(operand.name) * operand.times
        except KeyError:
            return False
    try:
        return leaf_holds(leaf.op, value, operand)
    except TypeError:
        return False


def _strip_needs(text: str) -> str:
    return text[len("needs "):] if text.startswith("needs ") else text

