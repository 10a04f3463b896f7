"""Which question to ask next: the unanswered fact whose answer can settle the most.

After every answer the engine runs again. A rule is *open* when its condition is still
unknown (three-valued logic) with the facts, derived values and recommendations so far,
and when firing it would change something: a warning, a decision nobody recommended yet,
or a value it outranks (or ties with, which would make it contested). An open rule waits
on the unanswered input facts its condition reads, and, through derived facts and
decisions it reads, on the facts their still-undecided producers wait on. A rule that can
no longer become true (a fact it needs was answered "don't know", or every producer of a
value it needs has failed) waits on nothing. No script: the rules decide what is asked.

The order is MYCIN's: ask what matters next. A fact's worth is the sum, over the decisions
(and warnings) open rules could settle, of the decision's weight (1 plus the decisions
that read it downstream) divided by how many answers, this one included, the closest
rule for it still needs. A fact one answer away from settling a decision that three other
decisions depend on comes first; one that is the fourth of four missing pieces of a
warning comes late. Questions of the guide section asked last go on while one of them is
worth nearly as much as the best question elsewhere, so an area's questions stay together
where that costs (almost) nothing.

Facts about an existing setup (`existing_setup: true`) are never asked in a design
consultation: the planner treats them as unknown unless `existing` is set.

Yes-only facts are asked together. A yes/no fact that no rule tests for "no" (`x: false`,
`x: {ne: true}`) settles nothing with "no" that "don't know" would not: both leave every
rule reading it unfired. When the next question is such a fact, the plan asks it in one
checklist with the other yes-only facts worth asking ("Which of these apply?"), best first,
so the few that apply are ticked and the rest cost no question each. Unticked means "no".
A checklist also goes first when half its questions' worth together beats the best question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from advisor.engine.advisor import Advisor
from advisor.engine.results import Consultation
from advisor.engine.settling import Settling
from advisor.errors import AdvisorError
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import All, Condition, FactRef, Leaf, evaluate, leaf_holds, leaves
from advisor.knowledge.rules import Conclusion, Rule
from advisor.knowledge.scope import ScopeEntry
from advisor.knowledge.vocabulary import FactSpec

# A question from the section asked last is kept while worth at least this share of the best.
# Measured with bench/interview.py: at 0.4 keeping an area together cost a median of 4 extra
# questions before 90% of the recommendations were settled; at 0.8 it still applies (to about
# one question in five) and costs 1.
SAME_AREA_SHARE = 0.8
WARNING_WEIGHT = 0.3    # a warning matters, but less than a decision
CLOSING_WEIGHT = 0.25   # a rule an answer rules out, against one it settles
LATER_SECTION = 0.7     # each later guide section's questions count this much less
COLD = 0.15             # a rule none of whose tests holds yet, against one that follows earlier answers
UNKNOWN_NEARBY = 0.9    # each "don't know" in an area: its other questions count this much less
GATE_WEIGHT = 0.1       # a warning's worth per decision it sets aside (a gate cuts branches)
CHECKLIST_SHARE = 0.5   # a checklist goes first when this share of its questions' worth beats the best one
CHECKLIST_SIZE = 10     # yes-only facts asked together at most: one screen, read at a glance

Ways = dict[str, int]  # input fact -> fewest answers (this one included) that make a condition true


@dataclass(frozen=True)
class PlannedQuestion:
    """An input fact worth asking, the open rules whose outcome depends on it, and its worth."""

    fact: FactSpec
    rules: tuple[str, ...]
    worth: float = 0.0


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
    batch: tuple[PlannedQuestion, ...] = ()  # asked in one prompt: the next question, or a checklist
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

    def settles(self, fact: str) -> tuple[OneAnswerAway, ...]:
        """What an answer to `fact` could settle directly: each open rule one answer away."""
        return self._planning.settles(fact, self.open_rules)

    def lookup(self, name: str) -> Any:
        return self.values[name]


@dataclass(frozen=True)
class OneAnswerAway:
    """An open rule that this one answer could make fire, and the answer it needs."""

    rule: Rule
    leaf: Leaf  # the test on the asked fact


def known_facts(answers: Mapping[str, Any], knowledge: KnowledgeBase) -> dict[str, Any]:
    """The answers that are values (not "don't know"), in vocabulary order.

    The order matters: the report lists facts in the order given, and a saved scenario
    lists them in vocabulary order, so both reports come out identical.
    """
    return {f.name: answers[f.name] for f in knowledge.vocabulary.facts
            if answers.get(f.name) is not None}


def area_closure(knowledge: KnowledgeBase, area: str | None) -> frozenset[str]:
    """Every input fact an area's rules (all rules when None) could ever need (static)."""
    vocabulary = knowledge.vocabulary
    facts: set[str] = set()
    seen: set[str] = set()
    pending = list(knowledge.rules_in_area(area) if area else knowledge.rules)
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


def existing_setup_matters(knowledge: KnowledgeBase, focus: str | None) -> bool:
    """Whether any rule in scope (an area's, all when None) could ever read a fact about an existing setup."""
    vocabulary = knowledge.vocabulary
    return any(vocabulary.fact(n).existing_setup  # type: ignore[union-attr]
               for n in area_closure(knowledge, focus))


def downstream_decisions(knowledge: KnowledgeBase) -> dict[str, frozenset[str]]:
    """For each decision and derived fact: the decisions whose rules read it, directly or on."""
    readers: dict[str, set[str]] = {}
    for rule in knowledge.rules:
        if rule.conclusion.name is None:
            continue
        for name in rule.reads:
            readers.setdefault(name, set()).add(rule.conclusion.name)
    decisions = {d.name for d in knowledge.vocabulary.decisions}
    result: dict[str, frozenset[str]] = {}

    def walk(name: str, trail: frozenset[str]) -> frozenset[str]:
        if name in result:
            return result[name]
        found: set[str] = set()
        for reader in readers.get(name, ()):
            if reader in trail:  # rules are stratified; never loop all the same
                continue
            if reader in decisions:
                found.add(reader)
            found |= walk(reader, trail | {name})
        result[name] = frozenset(found)
        return result[name]

    for name in list(readers):
        walk(name, frozenset())
    return result


def yes_only_facts(knowledge: KnowledgeBase) -> frozenset[str]:
    """Yes/no input facts that no rule's test holds on "no": for them "no" and "don't know" decide alike."""
    vocabulary = knowledge.vocabulary
    tested_for_no: set[str] = set()
    for rule in knowledge.rules:
        for leaf in leaves(rule.condition):
            spec = vocabulary.fact(leaf.subject)
            if spec is not None and spec.type == "bool" and not isinstance(leaf.operand, FactRef) \
                    and leaf_holds(leaf.op, False, leaf.operand):
                tested_for_no.add(leaf.subject)
    return frozenset(f.name for f in vocabulary.input_facts
                     if f.type == "bool" and f.name not in tested_for_no)


class Planner:
    """Runs the engine on the answers so far and finds the questions still worth asking."""

    def __init__(self, advisor: Advisor, focus: str | None = None, existing: bool = False) -> None:
        knowledge = advisor.knowledge
        if focus is not None and focus not in knowledge.areas:
            raise AdvisorError(f"unknown area {focus!r} for --focus", allowed=", ".join(knowledge.areas))
        self.advisor = advisor
        self.knowledge = knowledge
        self.scope = knowledge.rules_in_area(focus) if focus else knowledge.rules
        vocabulary = knowledge.vocabulary
        self.withheld = frozenset() if existing else frozenset(
            f.name for f in vocabulary.input_facts if f.existing_setup)
        self.yes_only = yes_only_facts(knowledge) - self.withheld
        self.area_decisions: dict[str, set[str]] = {}
        for rule in knowledge.rules:
            if vocabulary.decision(rule.conclusion.name or "") is not None:
                self.area_decisions.setdefault(rule.area, set()).add(rule.conclusion.name)  # type: ignore[arg-type]
        downstream = downstream_decisions(knowledge)
        self.weights = {d.name: 1.0 + len(downstream.get(d.name, ())) for d in vocabulary.decisions}
        # Each scope entry is a gate worth asking towards: an answer that makes it hold cuts
        # the questions of every decision it makes moot. Planned like a warning that sets them aside.
        # (--focus plans one area's own rules only: no gate from elsewhere.)
        self.gates = {} if focus else {entry.id: scope_gate(entry, knowledge) for entry in knowledge.scope}
        self.gate_cuts = {entry.id: entry.decisions for entry in knowledge.scope}

    def set_aside(self, consultation: Consultation) -> frozenset[str]:
        """Rules the consultation's scope sets aside (knowledge/scope.py): those recommending a
        moot decision and the warnings about one. The engine already keeps them out of the outcome."""
        holding = {s.scope_id for s in consultation.set_aside}
        if not holding:
            return frozenset()
        return frozenset(rule_id for rule_id, ids in self.knowledge.guards().items() if holding.intersection(ids))

    def rule(self, rule_id: str) -> Rule | None:
        """A rule of the knowledge base, or a scope gate."""
        return self.knowledge.rule(rule_id) or self.gates.get(rule_id)

    def plan(self, answers: Mapping[str, Any]) -> QuestionPlan:
        """`answers`: fact name -> canonical value, or None for "don't know", in the order given.

        The last answer's guide section is the area asked last (see SAME_AREA_SHARE).
        """
        # The report's open decisions wait on no question this consultation withholds.
        consultation = self.advisor.consult(known_facts(answers, self.knowledge), self.withheld)
        return _Planning(self, consultation, answers).result()


class _Planning:
    """One planning pass over a finished consultation."""

    def __init__(self, planner: Planner, consultation: Consultation, answers: Mapping[str, Any]) -> None:
        self.planner = planner
        self.knowledge = planner.knowledge
        self.vocabulary = planner.knowledge.vocabulary
        self.consultation = consultation
        self.answers = answers
        self.scope = planner.scope
        self.values = consultation.values
        # The one "what would settle this" walk (engine): truth, needs, producers, WHY; with the
        # same unknowable facts as the consultation's open decisions, so report and plan agree.
        unknowable = {n for n, v in answers.items() if v is None} | planner.withheld
        self.settling = Settling(planner.knowledge, consultation.values, unknowable)
        self._rule_ways: dict[str, Ways | None] = {}
        self._condition_ways: dict[int, Ways | None] = {}
        self._rule_answers: dict[str, dict[str, tuple[Any, ...]]] = {}
        self._required: dict[int, frozenset[str]] = {}
        self._winner_rank: dict[str, tuple[int, int]] | None = None

    def lookup(self, name: str) -> Any:
        return self.values[name]

    def truth(self, rule: Rule) -> bool | None:
        return self.settling.truth(rule)

    # --- which rules could still change the outcome ----------------------------

    def winner_rank(self, name: str) -> tuple[int, int]:
        """The highest rank among the firings that concluded `name`'s value (one pass over the
        firings per consultation, not one per open rule)."""
        if self._winner_rank is None:
            ranks: dict[str, tuple[int, int]] = {}
            values = self.values
            for f in self.consultation.fired:
                if f.name in values and f.value == values[f.name] and f.status in ("applied", "supporting"):
                    rank = self.knowledge.rule(f.rule_id).rank  # type: ignore[union-attr]
                    if rank > ranks.get(f.name, (-10**6, 0)):
                        ranks[f.name] = rank
            self._winner_rank = ranks
        return self._winner_rank.get(name, (-10**6, 0))

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
        # An equal priority can contest it (more conditions win only as a refinement), or settle
        # with it by sets (engine/conflicts.py): only a lower priority cannot change it.
        return self.values[name] != conclusion.value and rule.priority >= self.winner_rank(name)[0]

    def weight(self, rule: Rule) -> float:
        """How much settling this open rule is worth (see the module docstring)."""
        conclusion = rule.conclusion
        if conclusion.kind == "warn":
            # A scope gate cuts the questions of the decisions it sets aside: worth more the more it cuts.
            moot = self.settling.moot
            cut = sum(1 for name in self.planner.gate_cuts.get(rule.id, ())
                      if name not in self.values and name not in moot)
            return WARNING_WEIGHT + GATE_WEIGHT * cut
        return self.planner.weights.get(conclusion.name or "", 1.0)

    # --- how far a rule is from firing ----------------------------------------
    # Which facts a rule waits on is the engine's Settling walk; on top of it, each fact
    # gets the fewest answers (itself included) of a way through it that makes the rule true.

    def rule_ways(self, rule: Rule) -> Ways | None:
        """The unanswered input facts the rule waits on, each with the fewest answers a way
        through it needs; None if the rule is decided or can never become true."""
        if rule.id not in self._rule_ways:
            self._rule_ways[rule.id] = None  # rules are stratified; never loop all the same
            self._rule_ways[rule.id] = (None if self.settling.rule_needs(rule) is None
                                        else self.ways(rule.condition))
        return self._rule_ways[rule.id]

    def ways(self, condition: Condition) -> Ways | None:
        key = id(condition)  # conditions live as long as the knowledge base: ids are stable
        if key not in self._condition_ways:
            self._condition_ways[key] = self._ways_uncached(condition)
        return self._condition_ways[key]

    def _ways_uncached(self, condition: Condition) -> Ways | None:
        needs = self.settling.condition_needs(condition)
        if needs is None:
            return None
        if not needs:
            return {}
        if isinstance(condition, Leaf):
            return self.leaf_ways(condition)
        parts = [p for p in (self.ways(part) for part in condition.parts) if p is not None]
        return combine_all(parts) if isinstance(condition, All) else combine_any(parts)

    def unknown_subjects(self, leaf: Leaf) -> list[str]:
        return self.settling.unknown_subjects(leaf)

    def is_input(self, name: str) -> bool:
        return self.vocabulary.is_input(name)

    def helpful_producers(self, name: str, leaf: Leaf) -> tuple[Rule, ...]:
        """Undecided producers of `name` whose value could make `leaf` true."""
        return self.settling.helpful_producers(name, leaf)

    def leaf_ways(self, leaf: Leaf) -> Ways | None:
        per_subject: list[Ways] = []
        for name in self.unknown_subjects(leaf):
            if self.is_input(name):
                per_subject.append({name: 1})
                continue
            found = combine_any([w for p in self.helpful_producers(name, leaf) if (w := self.rule_ways(p))])
            if found is None:
                return None
            per_subject.append(found)
        return combine_all(per_subject)

    # --- who waits on what (for WHY) -------------------------------------------

    def waiting(self, open_rules: tuple[Rule, ...]) -> dict[str, tuple[Waiting, ...]]:
        found = self.settling.waiting(open_rules)
        return {
            name: tuple(Waiting(self.planner.rule(rule_id), tuple(sorted(serves)))  # type: ignore[arg-type]
                        for rule_id, serves in readers.items())
            for name, readers in found.items()
        }

    def settles(self, fact: str, open_rules: tuple[Rule, ...]) -> tuple[OneAnswerAway, ...]:
        """Open rules that one answer to `fact` could make fire, closest first (for the short WHY)."""
        found: list[tuple[float, int, OneAnswerAway]] = []
        for index, rule in enumerate(open_rules):
            ways = self.rule_ways(rule)
            if not ways or ways.get(fact) != 1:
                continue
            leaf = self.deciding_leaf(rule, fact)
            if leaf is not None:
                found.append((-self.weight(rule), index, OneAnswerAway(rule, leaf)))
        found.sort(key=lambda item: item[:2])
        return tuple(item[2] for item in found)

    def deciding_leaf(self, rule: Rule, fact: str, depth: int = 0) -> Leaf | None:
        """The test on `fact` that one answer away makes `rule` fire (directly or through a producer)."""
        for leaf in _unknown_leaves(rule.condition, self.lookup):
            if leaf.subject == fact:
                return leaf
            if depth == 0 and not self.is_input(leaf.subject):
                for producer in self.helpful_producers(leaf.subject, leaf):
                    if (self.rule_ways(producer) or {}).get(fact) == 1:
                        inner = self.deciding_leaf(producer, fact, depth + 1)
                        if inner is not None:
                            return inner
        return None

    # --- the plan --------------------------------------------------------------

    def result(self) -> QuestionPlan:
        # Rules the scope sets aside wait on nothing (Settling), so they are never open here.
        open_rules = [r for r in (*self.scope, *self.planner.gates.values())
                      if self.truth(r) is None and self.could_change(r) and self.rule_ways(r)]
        unknowable = self.settling.unknowable
        readers: dict[str, list[str]] = {}
        # (fact, what a rule settles, an answer) -> how close the closest such rule gets
        best: dict[tuple[str, str, Any], float] = {}
        for rule in open_rules:
            target = self.target(rule)
            weight = self.weight(rule) * (1.0 if self.progress(rule) else COLD)
            answers_helping = self.rule_answers(rule)
            for name, cost in (self.rule_ways(rule) or {}).items():
                if name in unknowable:  # "don't know", withheld, or moot: never asked
                    continue
                readers.setdefault(name, []).append(rule.id)
                for answer in answers_helping.get(name, (SOME,)):
                    key = (name, target, answer)
                    best[key] = max(best.get(key, 0.0), weight / cost)
        worth: dict[str, float] = {}
        for (name, _, answer), value in best.items():
            share = 0.5 if answer is SOME else 1 / len(answer_space(self.vocabulary.fact(name)))  # type: ignore[arg-type]
            worth[name] = worth.get(name, 0.0) + value * share
        for name, closing in self.closing(open_rules, readers).items():
            worth[name] += CLOSING_WEIGHT * closing
        # The guide's order is the order an architect decides in: earlier sections frame later ones.
        order = {sid: i for i, sid in enumerate(self.knowledge.guide.section_ids)}
        unordered_worth = dict(worth)  # a checklist costs one question wherever its facts belong
        unknown_in: dict[str, int] = {}
        for name, value in self.answers.items():
            spec = self.vocabulary.fact(name)
            if value is None and spec is not None:
                unknown_in[spec.section] = unknown_in.get(spec.section, 0) + 1
        for name in worth:
            section = self.vocabulary.fact(name).section  # type: ignore[union-attr]
            worth[name] *= LATER_SECTION ** order[section] * UNKNOWN_NEARBY ** unknown_in.get(section, 0)
        fact_order = self.vocabulary.fact_order
        names = sorted(readers, key=lambda n: (-round(worth[n], 6), fact_order[n]))
        names = self.keep_area_together(names, worth)
        questions = tuple(PlannedQuestion(self.vocabulary.fact(n), tuple(readers[n]), round(worth[n], 4))  # type: ignore[arg-type]
                          for n in names)
        batch = self.batch(questions, unordered_worth)
        if batch and batch[0] is not questions[0]:  # a checklist worth more than the best question
            questions = (batch[0], *(q for q in questions if q is not batch[0]))
        return QuestionPlan(self.consultation, questions, tuple(open_rules), self.values, batch, self)

    def batch(self, questions: tuple[PlannedQuestion, ...],
              unordered_worth: dict[str, float]) -> tuple[PlannedQuestion, ...]:
        """The best question alone, or a checklist of the best yes-only ones: when the best question
        is yes-only itself, or when CHECKLIST_SHARE of the checklist's worth beats it."""
        if not questions:
            return ()
        yes_only = self.planner.yes_only
        candidates = [q for q in questions if q.fact.name in yes_only]
        if not candidates:
            return questions[:1]
        best = sorted(candidates[1:], key=lambda q: -unordered_worth[q.fact.name])
        checklist = (candidates[0], *best[:CHECKLIST_SIZE - 1])
        if questions[0].fact.name in yes_only or \
                CHECKLIST_SHARE * sum(q.worth for q in checklist) > questions[0].worth:
            return checklist
        return questions[:1]

    def progress(self, rule: Rule) -> bool:
        """Whether some test in the rule's condition already holds (it follows the user's story)."""
        return any(evaluate(leaf, self.lookup) for leaf in leaves(rule.condition))

    def required(self, condition: Condition) -> frozenset[str]:
        """Input facts every way of making the condition true needs."""
        key = id(condition)
        if key in self._required:
            return self._required[key]
        self._required[key] = frozenset()
        result: frozenset[str] = frozenset()
        if evaluate(condition, self.lookup) is None:
            if isinstance(condition, Leaf):
                parts = []
                for name in self.unknown_subjects(condition):
                    if self.is_input(name):
                        parts.append(frozenset({name}))
                    else:
                        producers = self.helpful_producers(name, condition)
                        if producers:
                            parts.append(frozenset.intersection(*(self.required(p.condition) for p in producers)))
                result = frozenset().union(*parts)
            else:
                parts = [self.required(p) for p in condition.parts if self.ways(p) is not None]
                if isinstance(condition, All):
                    result = frozenset().union(*parts)
                elif parts:
                    result = frozenset.intersection(*parts)
        self._required[key] = result
        return result

    def closing(self, open_rules: list[Rule], readers: dict[str, list[str]]) -> dict[str, float]:
        """For each fact: the open rules an answer rules out, weighted, on average over its answers."""
        by_id = {r.id: r for r in open_rules}
        per_target: dict[str, int] = {}
        for rule in open_rules:
            t = self.target(rule)
            per_target[t] = per_target.get(t, 0) + 1
        result: dict[str, float] = {}
        for name, waiting in readers.items():
            space = answer_space(self.vocabulary.fact(name))  # type: ignore[arg-type]
            total = 0.0
            for rule_id in waiting:
                rule = by_id[rule_id]
                if name not in self.required(rule.condition):
                    continue
                if space:
                    helping = self.rule_answers(rule).get(name, space)
                    failing = sum(1 for v in space if v not in helping) / len(space)
                else:
                    failing = 0.5  # a list or a number: some answers rule it out
                total += self.weight(rule) / per_target[self.target(rule)] * failing
            result[name] = total
        return result

    def target(self, rule: Rule) -> str:
        return rule.id if rule.conclusion.kind == "warn" else rule.conclusion.name or rule.id

    def rule_answers(self, rule: Rule) -> dict[str, tuple[Any, ...]]:
        """For each unanswered bool or choice fact the rule waits on: the answers that could help it.

        An answer helps when it passes a test on the fact in the rule's condition or in the
        condition of a producer it waits on. List and number facts are left out (SOME: half).
        """
        if rule.id in self._rule_answers:
            return self._rule_answers[rule.id]
        self._rule_answers[rule.id] = {}  # never loops; a cycle adds nothing
        found: dict[str, set[Any]] = {}
        for leaf in _unknown_leaves(rule.condition, self.lookup):
            spec = self.vocabulary.fact(leaf.subject)
            if spec is not None and not spec.derived:
                space = answer_space(spec)
                if space and not isinstance(leaf.operand, FactRef):
                    found.setdefault(leaf.subject, set()).update(
                        v for v in space if leaf_holds(leaf.op, v, leaf.operand))
                continue
            for producer in self.helpful_producers(leaf.subject, leaf):
                for name, answers in self.rule_answers(producer).items():
                    found.setdefault(name, set()).update(answers)
        result = {name: tuple(answers) for name, answers in found.items()}
        self._rule_answers[rule.id] = result
        return result

    def keep_area_together(self, names: list[str], worth: dict[str, float]) -> list[str]:
        """Move the best question of the section asked last to the front if it is worth nearly as much."""
        if not names:
            return names
        last = next((n for n in reversed(list(self.answers)) if self.is_input(n)), None)
        if last is None:
            return names
        section = self.vocabulary.fact(last).section  # type: ignore[union-attr]
        same = next((n for n in names if self.vocabulary.fact(n).section == section), None)  # type: ignore[union-attr]
        if same is None or same == names[0] or worth[same] < SAME_AREA_SHARE * worth[names[0]]:
            return names
        return [same] + [n for n in names if n != same]


def scope_gate(entry: ScopeEntry, knowledge: KnowledgeBase) -> Rule:
    """A scope entry as a rule the planner can work towards (never run by the engine)."""
    first = knowledge.vocabulary.decision((*entry.decisions, "")[0])
    section = first.section if first is not None else knowledge.guide.section_ids[0]
    return Rule(entry.id, entry.title, section, "scope", entry.condition,
                Conclusion("warn", None, f"set aside: {', '.join(entry.decisions or entry.facts)}"),
                entry.because, entry.source, 0, 1.0, "scope.yaml")


SOME = object()  # stands for "some answers" to a list or number fact


def answer_space(spec: FactSpec) -> tuple[Any, ...]:
    """The answers a bool or choice fact can take (empty for list and number facts)."""
    if spec.type == "bool":
        return (True, False)
    if spec.type == "choice":
        return tuple(spec.values)
    return ()


def combine_all(parts: list[Ways]) -> Ways:
    """Every part must hold: a fact's way costs its own part's way plus the cheapest of the others."""
    cheapest = [min(p.values(), default=0) for p in parts]
    total = sum(cheapest)
    result: Ways = {}
    for part, own in zip(parts, cheapest, strict=True):
        for name, cost in part.items():
            through = total - own + cost
            result[name] = min(result.get(name, through), through)
    return result


def combine_any(parts: list[Ways]) -> Ways | None:
    """One part is enough: a fact's way is its cheapest in any part."""
    if not parts:
        return None
    result: Ways = {}
    for part in parts:
        for name, cost in part.items():
            result[name] = min(result.get(name, cost), cost)
    return result


def _unknown_leaves(condition: Condition, lookup: Any) -> list[Leaf]:
    """The condition's tests whose outcome is still unknown."""
    return [leaf for leaf in leaves(condition) if evaluate(leaf, lookup) is None]
