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

The user says what they can speak to. The consultation opens with a checklist of topics (the
rule areas, `fact_topics`); the questions of a topic left unticked, or retired after a "don't
know" ("nor anything else about it"), are asked last: `plan(answers, skipped)` puts them after
every other question, and `only_skipped` says when nothing else is left, so the consultation
can offer to stop there (their decisions stay open) or go on to the end. Once topics were ticked,
a question no survey listed yet comes with a survey (`survey`): which of the best questions to come
the user can answer; those left unticked (`unknown`) are asked last too.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from advisor.collector import collector_paused
from advisor.engine.advisor import Advisor
from advisor.engine.results import Consultation
from advisor.engine.settling import Settling
from advisor.errors import AdvisorError
from advisor.interactive import state_cache
from advisor.interactive.rule_states import RuleStates
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import Condition, FactRef, Leaf, evaluate, leaf_holds, leaves
from advisor.knowledge.rules import Conclusion, Rule
from advisor.knowledge.scope import ScopeEntry
from advisor.knowledge.vocabulary import FactSpec

# A question from the section asked last is kept while worth at least this share of the best.
# Measured with bench/interview.py: at 0.4 keeping an area together cost a median of 4 extra
# questions before 90% of the recommendations were settled; at 0.8 it still applies (to about
# one question in five) and costs 1.
SAME_AREA_SHARE = 0.8
LATER_SECTION = 0.7     # each later guide section's questions count this much less
UNKNOWN_NEARBY = 0.9    # each "don't know" in an area: its other questions count this much less
CHECKLIST_SHARE = 0.5   # a checklist goes first when this share of its questions' worth beats the best one
CHECKLIST_SIZE = 10     # yes-only facts asked together at most: one screen, read at a glance
# A fact read by the rules of at least this share of the areas cuts across topics (experimentation
# or production): it belongs to none and is always asked, like the framing questions.
CROSS_CUTTING = 0.5
# Offer to stop (the user may go on) once the best question left is worth under STOP_WORTH of the
# opening plan's best and the last STOP_AFTER answers told nothing ("don't know", or "no" to a
# yes-only fact). Chosen on bench/interview.py's tuning set: at 0.01 and 3 no recommendation of a
# full interview was left open there and a median of 3 questions fewer were asked; 0.02 left 5 open.
# With the topic checklist 0.01 left 1 open: 0.009 is the largest that leaves none.
STOP_WORTH = 0.009
STOP_AFTER = 3
# Once the user has ticked topics, a question not yet listed comes with a survey: "which of these
# can you answer?" over the best SURVEY_SIZE questions not surveyed yet (one screen, as a
# checklist), when at least SURVEY_MIN are left. The unticked are asked last, like a skipped topic's.
# Chosen on bench/interview.py's tuning set (docs/interactive.md, "Surveys").
SURVEY_MIN = 3
SURVEY_SIZE = 10
# The framing choice the topic checklist asks too, and its value that means all the others: each other
# value is an item ("what are you building?"), all of them ticked is that value, none says nothing (the
# question is asked as usual). In every interview of bench/interview.py's tuning set the goal was asked
# second, and no final recommendation's derivation read it (docs/interactive.md, "The goal in the checklist").
OPENING_CHOICE = ("solution_goal", "both")
# The weights of a rule's worth (warnings, gates, closing, cold rules): rule_states.py.


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
    can_stop: bool = False  # only long shots are left: the consultation offers to stop (STOP_WORTH)
    only_skipped: bool = False  # every question left is on a topic the user skipped
    survey: tuple[PlannedQuestion, ...] = ()  # due before `batch`: which of these questions the user can answer
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

    def still_open(self) -> StillOpen:
        """What the questions left could still change: the decisions open rules could settle or
        override (and those a scope gate could set aside), and the warnings they could raise."""
        return self._planning.still_open(self.open_rules)


@dataclass(frozen=True)
class StillOpen:
    """What answering on could change, in vocabulary order: what stopping leaves open."""

    undecided: tuple[str, ...]  # decisions with no recommendation yet
    could_change: tuple[str, ...]  # decisions recommended so far that a later answer could change or set aside
    warnings: tuple[str, ...]  # rule ids of warnings a later answer could raise

    @property
    def decisions(self) -> tuple[str, ...]:
        return self.undecided + self.could_change


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


def opening_choice(knowledge: KnowledgeBase, plan: QuestionPlan) -> tuple[FactSpec, tuple[str, ...]] | None:
    """The framing choice the topic checklist asks (OPENING_CHOICE) and its two items' values (the third
    value is both), when the plan still has it to ask; None otherwise (answered, not worth asking, or
    not such a choice in the vocabulary)."""
    name, every = OPENING_CHOICE
    spec = knowledge.vocabulary.fact(name)
    if spec is None or spec.type != "choice" or every not in spec.values or len(spec.values) != 3 \
            or not any(q.fact.name == name for q in plan.questions):
        return None
    return spec, tuple(v for v in spec.values if v != every)


def opening_value(items: tuple[str, ...], ticked: Collection[str]) -> str | None:
    """The framing choice's answer from its items ticked: one item its value, both the value meaning
    both (OPENING_CHOICE), none no answer."""
    chosen = [v for v in items if v in ticked]
    return None if not chosen else chosen[0] if len(chosen) == 1 else OPENING_CHOICE[1]


def fact_topics(knowledge: KnowledgeBase) -> dict[str, str]:
    """Each askable input fact's topic for the opening checklist: the area (rules file) whose rules
    read it most, ties to the earlier area. The framing questions belong to none and are always
    asked in the planner's order: those the guide's first section asks and a scope entry reads
    (the goal, the task, whether a prebuilt model fits), since their answers decide which topics
    apply at all."""
    vocabulary = knowledge.vocabulary
    order = {area: i for i, area in enumerate(knowledge.areas)}
    first = knowledge.guide.section_ids[0]
    framing = {name for entry in knowledge.scope for name in entry.reads
               if vocabulary.is_input(name) and vocabulary.require_fact(name).section == first}
    askable = vocabulary.input_names - framing
    readers: dict[str, dict[str, int]] = {}
    for rule in knowledge.rules:  # one pass, each read a set lookup: the first plan of a process pays it
        area = rule.area
        for name in rule.reads:
            if name not in askable:
                continue
            count = readers.get(name)
            if count is None:
                readers[name] = {area: 1}
            else:
                count[area] = count.get(area, 0) + 1
    return {name: min(count, key=lambda area: (-count[area], order[area])) for name, count in readers.items()
            if CROSS_CUTTING * len(knowledge.areas) > len(count)}


# The first state of each rule base and planner setting, worked out once per process: each new
# Planner goes on from a copy (what depends only on the knowledge is not worked out again).
_FIRST_STATES: weakref.WeakKeyDictionary[Advisor, dict[tuple[Any, ...], RuleStates]] = weakref.WeakKeyDictionary()
_OPENING: weakref.WeakKeyDictionary[Advisor, dict[tuple[Any, ...], float]] = weakref.WeakKeyDictionary()


class Planner:
    """Runs the engine on the answers so far and finds the questions still worth asking.

    The rules' states are kept from one plan to the next (rule_states.py): a step works out again
    only what the last answers changed."""

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
        # Each scope entry is a gate worth asking towards: an answer that makes it hold cuts
        # the questions of every decision it makes moot. Planned like a warning that sets them aside.
        # (--focus plans one area's own rules only: no gate from elsewhere.)
        self.gates = {} if focus else {entry.id: scope_gate(entry, knowledge) for entry in knowledge.scope}
        self.gate_cuts = {entry.id: entry.decisions for entry in knowledge.scope}
        self._setting = (focus, self.withheld)
        self._memo = _FIRST_STATES.setdefault(advisor, {})
        self._states: RuleStates | None = None
        self._yes_only: frozenset[str] | None = None
        self._opening: float | None = None
        self._topics: dict[str, str] | None = None
        self._rules: dict[str, Rule] | None = None

    @property
    def topics(self) -> dict[str, str]:
        """Input fact -> its topic (an area) for the opening checklist; framing facts have none."""
        if self._topics is None:  # worked out once per process (one pass over the rules)
            found = self._memo.get("topics")
            if found is None:
                found = self._memo["topics"] = fact_topics(self.knowledge)
            self._topics = found
        return self._topics

    def topics_of(self, plan: QuestionPlan) -> tuple[str, ...]:
        """The topics of the questions still worth asking, in the areas' order."""
        found = {self.topics.get(q.fact.name) for q in plan.questions}
        return tuple(area for area in self.knowledge.areas if area in found)

    @property
    def yes_only(self) -> frozenset[str]:
        if self._yes_only is None:
            self._yes_only = self._statics()[0] - self.withheld
        return self._yes_only

    @property
    def weights(self) -> dict[str, float]:
        """Each decision's weight: 1 plus the decisions that read it downstream."""
        return self._statics()[1]

    def _statics(self) -> state_cache.Statics:
        """What depends on the rule base alone, worked out once per process (or read with the first state)."""
        found = self._memo.get("statics")
        if found is None:
            knowledge = self.knowledge
            downstream = downstream_decisions(knowledge)
            found = self._memo["statics"] = (
                yes_only_facts(knowledge),
                {d.name: 1.0 + len(downstream.get(d.name, ())) for d in knowledge.vocabulary.decisions})
        return found

    def set_aside(self, consultation: Consultation) -> frozenset[str]:
        """Rules the consultation's scope sets aside (knowledge/scope.py): those recommending a
        moot decision and the warnings about one. The engine already keeps them out of the outcome."""
        holding = {s.scope_id for s in consultation.set_aside}
        if not holding:
            return frozenset()
        return frozenset(rule_id for rule_id, ids in self.knowledge.guards().items() if holding.intersection(ids))

    def rule(self, rule_id: str) -> Rule | None:
        """A rule of the knowledge base, or a scope gate."""
        if self._rules is None:  # one lookup a rule: a plan looks up every open rule
            key = ("rules", bool(self.gates))
            found = self._memo.get(key)
            if found is None:
                found = self._memo[key] = {**self.gates, **{r.id: r for r in self.knowledge.rules}}
            self._rules = found
        return self._rules.get(rule_id)

    def plan(self, answers: Mapping[str, Any], skipped: Collection[str] = (),
             unknown: Collection[str] = (), surveyed: Collection[str] | None = None) -> QuestionPlan:
        """`answers`: fact name -> canonical value, or None for "don't know", in the order given.
        `skipped`: topics (areas) the user cannot speak to: their questions come last.
        `unknown`: facts left unticked in a survey: they come last too. `surveyed`: the facts
        already listed in a survey (None: no survey is ever due, as without ticked topics).

        The last answer's guide section is the area asked last (see SAME_AREA_SHARE).
        """
        # The report's open decisions wait on no question this consultation withholds.
        known = known_facts(answers, self.knowledge)
        consultation = self.advisor.consult(known, self.withheld)
        # The one "what would settle this" walk (engine): what is moot, set aside or unknowable,
        # with the same unknowable facts as the consultation's open decisions, so report and plan agree.
        unknowable = {n for n, v in answers.items() if v is None} | self.withheld
        settling = Settling(self.knowledge, consultation.values, unknowable)
        # No answer known and none "don't know": this is the empty consultation the first state starts from.
        states = self._rule_states((consultation, settling) if not known and unknowable == self.withheld else None)
        states.update(consultation, settling)
        deferred = frozenset(unknown)
        if skipped:
            deferred |= frozenset(name for name, topic in self.topics.items() if topic in skipped)
        return _Plan(self, consultation, answers, settling, states, deferred, surveyed).result(self.opening_worth)

    def opening_worth(self) -> float:
        """The worth of the best question before any answer: the scale of STOP_WORTH."""
        if self._opening is None:
            opening = _OPENING.setdefault(self.advisor, {})
            if self._setting not in opening:
                self._rule_states()  # makes this setting's first state
                base = _FIRST_STATES[self.advisor][self._setting].copy()
                empty = self.advisor.consult({}, self.withheld)
                first = _Plan(self, empty, {}, Settling(self.knowledge, empty.values, self.withheld), base).result()
                opening[self._setting] = first.next.worth if first.next is not None else 0.0
            self._opening = opening[self._setting]
        return self._opening

    def _rule_states(self, empty: tuple[Consultation, Settling] | None = None) -> RuleStates:
        """This planner's states (a copy of the first state when it has none yet). `empty`: the empty
        consultation and its settling when the caller has them (not made again for the first state)."""
        if self._states is None:
            base = self._memo.get(self._setting)
            if base is None:
                # Many small objects that live as long as the process: no collections while they are made.
                with collector_paused():
                    base = self._memo[self._setting] = self._first_state(empty)
            self._states = base.copy()
        return self._states

    def _first_state(self, consulted: tuple[Consultation, Settling] | None = None) -> RuleStates:
        """The rules' states after the empty consultation: read from the cache folder when kept there
        for this rule base and setting (state_cache.py), else worked out and kept."""
        if consulted is None:
            empty = self.advisor.consult({}, self.withheld)
            settling = Settling(self.knowledge, empty.values, self.withheld)
        else:
            empty, settling = consulted
        name = state_cache.file_name(self, empty, settling)
        found = state_cache.load(name, self.knowledge) if name else None
        if found is not None:
            statics, data = found
            states = RuleStates(self.knowledge, self.scope, self.gates, self.gate_cuts, statics[1])
            try:
                states.restore(data, empty, settling)
            except (ValueError, KeyError, TypeError):
                pass  # damaged: worked out again and rewritten below
            else:
                self._memo.setdefault("statics", statics)
                return states
        states = RuleStates(self.knowledge, self.scope, self.gates, self.gate_cuts, self.weights)
        states.update(empty, settling)
        if name:
            state_cache.store(name, self._statics(), states)
        return states


class _Plan:
    """One plan from the rules' states after a consultation; the WHY of its questions on demand."""

    def __init__(self, planner: Planner, consultation: Consultation, answers: Mapping[str, Any],
                 settling: Settling, states: RuleStates, deferred: frozenset[str] = frozenset(),
                 surveyed: Collection[str] | None = None) -> None:
        self.planner = planner
        self.knowledge = planner.knowledge
        self.vocabulary = planner.knowledge.vocabulary
        self.consultation = consultation
        self.answers = answers
        self.values = consultation.values
        self.settling = settling
        self.states = states.states  # this step's: the next step makes its own dict
        self.worth = dict(states.worth)
        self.in_plan = states.position
        self.deferred = deferred  # facts of skipped topics: asked after every other question
        self.surveyed = surveyed

    def lookup(self, name: str) -> Any:
        return self.values[name]

    def rule_ways(self, rule: Rule) -> dict[str, int] | None:
        return self.states[rule.id].ways

    def weight(self, rule: Rule) -> float:
        return self.states[rule.id].weight

    def is_input(self, name: str) -> bool:
        return self.vocabulary.is_input(name)

    def helpful_producers(self, name: str, leaf: Leaf) -> tuple[Rule, ...]:
        """Undecided producers of `name` whose value could make `leaf` true."""
        return self.settling.helpful_producers(name, leaf)

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

    def still_open(self, open_rules: tuple[Rule, ...]) -> StillOpen:
        vocabulary = self.vocabulary
        decisions: set[str] = set()
        warnings: set[str] = set()
        for rule in open_rules:
            if rule.id in self.planner.gates:
                decisions.update(d for d in self.planner.gate_cuts[rule.id] if d not in self.settling.moot)
            elif rule.conclusion.kind == "warn":
                warnings.add(rule.id)
            elif rule.conclusion.name is not None and vocabulary.decision(rule.conclusion.name) is not None:
                decisions.add(rule.conclusion.name)
        recommended = {r.decision for r in self.consultation.recommendations}
        ordered = [d.name for d in vocabulary.decisions if d.name in decisions]
        in_plan = self.in_plan
        return StillOpen(tuple(d for d in ordered if d not in recommended),
                         tuple(d for d in ordered if d in recommended),
                         tuple(sorted(warnings, key=lambda r: in_plan.get(r, 0))))

    def told_nothing(self, name: str, value: Any) -> bool:
        """An answer that settles nothing a "don't know" would not: unknown, or "no" to a yes-only fact."""
        return value is None or (value is False and name in self.planner.yes_only)

    def can_stop(self, best: PlannedQuestion | None, opening: Callable[[], float] | None) -> bool:
        """Only long shots are left: the last STOP_AFTER answers told nothing, and the best question
        is worth under STOP_WORTH of the opening one (worked out only then: most plans need not)."""
        last = list(self.answers.items())[-STOP_AFTER:]
        if best is None or opening is None or len(last) < STOP_AFTER \
                or not all(self.told_nothing(name, value) for name, value in last):
            return False
        return best.worth < STOP_WORTH * opening()

    def result(self, opening: Callable[[], float] | None = None) -> QuestionPlan:
        # Rules the scope sets aside wait on nothing, so they are never open here.
        by_id = self.planner.rule
        open_rules = [rule for rule_id in sorted((r for r, s in self.states.items() if s.open),
                                                 key=self.in_plan.__getitem__)
                      if (rule := by_id(rule_id)) is not None]
        # The guide's order is the order an architect decides in: earlier sections frame later ones.
        order = {sid: i for i, sid in enumerate(self.knowledge.guide.section_ids)}
        # A checklist costs one question wherever its facts belong: it is chosen on the unordered worth.
        unordered_worth = {name: fw.worth for name, fw in self.worth.items()}
        unknown_in: dict[str, int] = {}
        for name, value in self.answers.items():
            spec = self.vocabulary.fact(name)
            if value is None and spec is not None:
                unknown_in[spec.section] = unknown_in.get(spec.section, 0) + 1
        worth: dict[str, float] = {}
        for name, value in unordered_worth.items():
            section = self.vocabulary.fact(name).section  # type: ignore[union-attr]
            worth[name] = value * (LATER_SECTION ** order[section] * UNKNOWN_NEARBY ** unknown_in.get(section, 0))
        fact_order = self.vocabulary.fact_order
        names = sorted(worth, key=lambda n: (-round(worth[n], 6), fact_order[n]))
        # The topics the user cannot speak to come last, in the same order.
        names = self.keep_area_together([n for n in names if n not in self.deferred], worth) \
            + [n for n in names if n in self.deferred]
        questions = tuple(PlannedQuestion(self.vocabulary.fact(n), self.worth[n].readers, round(worth[n], 4))  # type: ignore[arg-type]
                          for n in names)
        batch = self.batch(questions, unordered_worth)
        if batch and batch[0] is not questions[0]:  # a checklist worth more than the best question
            questions = (batch[0], *(q for q in questions if q is not batch[0]))
        only_skipped = bool(questions) and questions[0].fact.name in self.deferred
        survey = self.survey(questions, batch)
        return QuestionPlan(self.consultation, questions, tuple(open_rules), self.values, batch,
                            self.can_stop(questions[0] if questions else None, opening), only_skipped, survey, self)

    def survey(self, questions: tuple[PlannedQuestion, ...],
               batch: tuple[PlannedQuestion, ...]) -> tuple[PlannedQuestion, ...]:
        """The questions to survey ("which of these can you answer?"), when due: the next question is
        asked alone, has a topic and was in no survey yet, and at least SURVEY_MIN questions with a
        topic, not yes-only (those come in checklists) and not surveyed yet are left; the best
        SURVEY_SIZE of them, the next question first."""
        if self.surveyed is None or len(batch) != 1:
            return ()
        topics = self.planner.topics
        first = batch[0].fact.name
        if topics.get(first) is None or first in self.deferred or first in self.surveyed:
            return ()
        yes_only = self.planner.yes_only
        members = [q for q in questions if (name := q.fact.name) not in self.deferred and name not in yes_only
                   and name not in self.surveyed and topics.get(name) is not None]
        return tuple(members[:SURVEY_SIZE]) if len(members) >= SURVEY_MIN else ()

    def batch(self, questions: tuple[PlannedQuestion, ...],
              unordered_worth: dict[str, float]) -> tuple[PlannedQuestion, ...]:
        """The best question alone, or a checklist of the best yes-only ones: when the best question
        is yes-only itself, or when CHECKLIST_SHARE of the checklist's worth beats it."""
        if not questions:
            return ()
        yes_only = self.planner.yes_only
        if questions[0].fact.name not in self.deferred:  # a skipped topic's questions join no checklist
            questions = tuple(q for q in questions if q.fact.name not in self.deferred)
        candidates = [q for q in questions if q.fact.name in yes_only]
        if not candidates:
            return questions[:1]
        best = sorted(candidates[1:], key=lambda q: -unordered_worth[q.fact.name])
        checklist = (candidates[0], *best[:CHECKLIST_SIZE - 1])
        if questions[0].fact.name in yes_only or \
                CHECKLIST_SHARE * sum(q.worth for q in checklist) > questions[0].worth:
            return checklist
        return questions[:1]

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


def _unknown_leaves(condition: Condition, lookup: Any) -> list[Leaf]:
    """The condition's tests whose outcome is still unknown."""
    return [leaf for leaf in leaves(condition) if evaluate(leaf, lookup) is None]
