"""Which question to ask next: the unanswered facts that open rules still wait on.

After every answer the engine runs again. A rule is *open* when its condition is still
unknown (three-valued logic) with the facts, derived values and recommendations so far,
and when firing it would change something: a warning, a decision nobody recommended yet,
or a value it outranks (or ties with, which would make it contested). An open rule waits
on the unanswered input facts its condition reads, and, through derived facts and
decisions it reads, on the facts their still-undecided producers wait on. A rule that can
no longer become true (a fact it needs was answered "don't know", or every producer of a
value it needs has failed) waits on nothing. No script: the rules decide what is asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from advisor.engine.advisor import Advisor
from advisor.engine.results import Consultation
from advisor.errors import AdvisorError
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import All, Condition, FactRef, Leaf, evaluate, leaf_holds
from advisor.knowledge.rules import Rule
from advisor.knowledge.vocabulary import FactSpec


@dataclass(frozen=True)
class PlannedQuestion:
    """An input fact worth asking, and the open rules whose outcome depends on it."""

    fact: FactSpec
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Waiting:
    """A rule whose condition reads a fact that is still unknown."""

    rule: Rule
    serves: tuple[str, ...]  # the open rules it feeds; empty when it is one itself


@dataclass
class QuestionPlan:
    """The state after the answers so far: the consultation and what is left to ask."""

    consultation: Consultation
    questions: tuple[PlannedQuestion, ...]
    open_rules: tuple[Rule, ...]
    values: dict[str, Any]  # facts, derived facts and single-choice recommendations
    _planning: Any = field(default=None, repr=False)
    _waiting: dict[str, tuple[Waiting, ...]] | None = field(default=None, repr=False)

    @property
    def next(self) -> PlannedQuestion | None:
        return self.questions[0] if self.questions else None

    def waiting_on(self, fact: str) -> tuple[Waiting, ...]:
        """The rules waiting on `fact` (MYCIN's WHY); worked out only when asked."""
        if self._waiting is None:
            self._waiting = self._planning.waiting(self.open_rules)
        return self._waiting.get(fact, ())

    def lookup(self, name: str) -> Any:
        return self.values[name]


def known_facts(answers: Mapping[str, Any], knowledge: KnowledgeBase) -> dict[str, Any]:
    """The answers that are values (not "don't know"), in vocabulary order.

    The order matters: the report lists facts in the order given, and a saved scenario
    lists them in vocabulary order, so both reports come out identical.
    """
    return {f.name: answers[f.name] for f in knowledge.vocabulary.facts
            if answers.get(f.name) is not None}


def area_closure(knowledge: KnowledgeBase, area: str) -> frozenset[str]:
    """Every input fact an area's rules could ever need (static; an upper bound for --focus)."""
    vocabulary = knowledge.vocabulary
    facts: set[str] = set()
    seen: set[str] = set()
    pending = list(knowledge.rules_in_area(area))
    while pending:
        rule = pending.pop()
        if rule.id in seen:
            continue
        seen.add(rule.id)
        for name in rule.reads:
            spec = vocabulary.fact(name)
            if spec is not None and not spec.derived:
                facts.add(name)
            else:
                pending.extend(knowledge.producers(name))
    return frozenset(facts)


class Planner:
    """Runs the engine on the answers so far and finds the questions still worth asking."""

    def __init__(self, advisor: Advisor, focus: str | None = None) -> None:
        knowledge = advisor.knowledge
        if focus is not None and focus not in knowledge.areas:
            raise AdvisorError(f"unknown area {focus!r} for --focus", allowed=", ".join(knowledge.areas))
        self.advisor = advisor
        self.knowledge = knowledge
        self.focus = focus
        self.scope = knowledge.rules_in_area(focus) if focus else knowledge.rules

    def plan(self, answers: Mapping[str, Any]) -> QuestionPlan:
        """`answers`: fact name -> canonical value, or None for "don't know"."""
        consultation = self.advisor.consult(known_facts(answers, self.knowledge))
        return _Planning(self.knowledge, consultation, answers, self.scope).result()


class _Planning:
    """One planning pass over a finished consultation."""

    def __init__(self, knowledge: KnowledgeBase, consultation: Consultation,
                 answers: Mapping[str, Any], scope: tuple[Rule, ...]) -> None:
        self.knowledge = knowledge
        self.vocabulary = knowledge.vocabulary
        self.consultation = consultation
        self.answers = answers
        self.scope = scope
        self.values = consultation.values
        self._truth: dict[str, bool | None] = {}
        self._needs: dict[str, frozenset[str] | None] = {}
        self._in_progress: set[str] = set()
        self._condition_needs: dict[int, frozenset[str] | None] = {}

    def lookup(self, name: str) -> Any:
        return self.values[name]

    def truth(self, rule: Rule) -> bool | None:
        if rule.id not in self._truth:
            self._truth[rule.id] = evaluate(rule.condition, self.lookup)
        return self._truth[rule.id]

    # --- which rules could still change the outcome ----------------------------

    def winner_rank(self, name: str) -> tuple[int, int]:
        value = self.values[name]
        ranks = [self.knowledge.rule(f.rule_id).rank for f in self.consultation.fired  # type: ignore[union-attr]
                 if f.name == name and f.value == value and f.status in ("applied", "supporting")]
        return max(ranks, default=(-10**6, 0))

    def could_change(self, rule: Rule) -> bool:
        conclusion = rule.conclusion
        if conclusion.kind == "warn":
            return True
        name = conclusion.name
        assert name is not None
        decision = self.vocabulary.decision(name)
        if decision is not None and decision.multiple:
            return conclusion.value not in self.consultation.chosen(name)
        if name not in self.values:
            # An open decision; a derived fact matters only through the rules that read it.
            return conclusion.kind == "recommend"
        return self.values[name] != conclusion.value and rule.rank >= self.winner_rank(name)

    # --- what a rule still waits on --------------------------------------------

    def needs_rule(self, rule: Rule) -> frozenset[str] | None:
        """Unanswered input facts that could make the rule true; None if it never can be."""
        if rule.id in self._needs:
            return self._needs[rule.id]
        if rule.id in self._in_progress:  # rules are stratified, but never loop
            return None
        self._in_progress.add(rule.id)
        result = None if self.truth(rule) is not None else self.needs(rule.condition)
        self._in_progress.discard(rule.id)
        self._needs[rule.id] = result
        return result

    def needs(self, condition: Condition) -> frozenset[str] | None:
        key = id(condition)  # conditions live as long as the knowledge base: ids are stable
        if key not in self._condition_needs:
            self._condition_needs[key] = self._needs_uncached(condition)
        return self._condition_needs[key]

    def _needs_uncached(self, condition: Condition) -> frozenset[str] | None:
        truth = evaluate(condition, self.lookup)
        if truth is True:
            return frozenset()
        if truth is False:
            return None
        if isinstance(condition, Leaf):
            return self.needs_leaf(condition)
        parts = [self.needs(part) for part in condition.parts]
        if isinstance(condition, All):
            if any(p is None for p in parts):
                return None
            return frozenset().union(*parts)
        possible = [p for p in parts if p is not None]
        return frozenset().union(*possible) if possible else None

    def unknown_subjects(self, leaf: Leaf) -> list[str]:
        names = [leaf.subject]
        if isinstance(leaf.operand, FactRef):
            names.append(leaf.operand.name)
        return [n for n in names if n not in self.values]

    def is_input(self, name: str) -> bool:
        return self.vocabulary.is_input(name)

    def helpful_producers(self, name: str, leaf: Leaf) -> list[Rule]:
        """Undecided producers of `name` whose value could make `leaf` true."""
        result = []
        for producer in self.knowledge.producers(name):
            if self.truth(producer) is not None:
                continue
            value, operand = producer.conclusion.value, leaf.operand
            if leaf.subject == name and not isinstance(operand, FactRef) \
                    and not leaf_holds(leaf.op, value, operand):
                continue
            if self.needs_rule(producer) is not None:
                result.append(producer)
        return result

    def needs_leaf(self, leaf: Leaf) -> frozenset[str] | None:
        needed: set[str] = set()
        for name in self.unknown_subjects(leaf):
            if self.is_input(name):
                if name in self.answers:  # answered "don't know": it stays unknown
                    return None
                needed.add(name)
                continue
            producers = self.helpful_producers(name, leaf)
            if not producers:
                return None
            for producer in producers:
                needed |= self.needs_rule(producer) or frozenset()
        return frozenset(needed)

    # --- who waits on what (for WHY) -------------------------------------------

    def collect(self, condition: Condition, rule: Rule, root: Rule,
                waiting: dict[str, dict[str, set[str]]], seen: set[tuple[str, str]]) -> None:
        if self.needs(condition) is None or evaluate(condition, self.lookup) is not None:
            return
        if not isinstance(condition, Leaf):
            for part in condition.parts:
                self.collect(part, rule, root, waiting, seen)
            return
        for name in self.unknown_subjects(condition):
            if self.is_input(name):
                serves = waiting.setdefault(name, {}).setdefault(rule.id, set())
                if root.id != rule.id:
                    serves.add(root.id)
                continue
            for producer in self.helpful_producers(name, condition):
                if (producer.id, root.id) not in seen:
                    seen.add((producer.id, root.id))
                    self.collect(producer.condition, producer, root, waiting, seen)

    # --- the plan --------------------------------------------------------------

    def result(self) -> QuestionPlan:
        open_rules = [r for r in self.scope
                      if self.truth(r) is None and self.could_change(r) and self.needs_rule(r)]
        counts: dict[str, list[str]] = {}
        for rule in open_rules:
            for name in self.needs_rule(rule) or ():
                counts.setdefault(name, []).append(rule.id)
        section_order = {s: i for i, s in enumerate(self.knowledge.guide.section_ids)}
        fact_order = {f.name: i for i, f in enumerate(self.vocabulary.facts)}
        # Design questions first; facts about an existing setup (checked by warnings) after them.
        names = sorted(counts, key=lambda n: (self.vocabulary.fact(n).existing_setup,  # type: ignore[union-attr]
                                              section_order[self.vocabulary.fact(n).section],  # type: ignore[union-attr]
                                              -len(counts[n]), fact_order[n]))
        questions = tuple(PlannedQuestion(self.vocabulary.fact(n), tuple(counts[n])) for n in names)  # type: ignore[arg-type]

        return QuestionPlan(self.consultation, questions, tuple(open_rules), self.values, self)

    def waiting(self, open_rules: tuple[Rule, ...]) -> dict[str, tuple[Waiting, ...]]:
        waiting: dict[str, dict[str, set[str]]] = {}
        seen: set[tuple[str, str]] = set()
        for rule in open_rules:
            self.collect(rule.condition, rule, rule, waiting, seen)
        return {
            name: tuple(Waiting(self.knowledge.rule(rule_id), tuple(sorted(serves)))  # type: ignore[arg-type]
                        for rule_id, serves in readers.items())
            for name, readers in waiting.items()
        }
