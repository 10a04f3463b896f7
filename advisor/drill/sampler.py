"""New questions in the exam's proportions: the domain furthest below its share of the
outline's weights so far (ties drawn by weight), a skill of that domain, then one of the
skill's decisions (a generated or library scenario) or orderings. Domains and decisions that
yield nothing are dropped as the session goes.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from advisor.drill.generator import ScenarioGenerator
from advisor.drill.kinds import completion_question, ordering_question
from advisor.drill.library import LibrarySource
from advisor.drill.outline import ExamOutline, Ordering
from advisor.drill.questions import DrillQuestion, build_question, open_rivals, usable_decisions
from advisor.engine.advisor import Advisor
from advisor.engine.results import Consultation
from advisor.knowledge.conditions import FactRef, leaf_holds, leaves
from advisor.knowledge.vocabulary import plain

LIBRARY_SHARE = 0.5          # chance that a decision's question comes from the library while it lasts
COMPLETION_SHARE = 0.3       # chance that a decision with a YAML completion is asked that way
FAILURES_TO_DROP = 40        # tries in a row that give nothing new before a source is given up
SETTLE_TRIES = 10            # facts added to a scenario so that no other choice's rule is left open


class QuestionSampler:
    def __init__(self, advisor: Advisor, outline: ExamOutline, seed: int, wanted: Callable[[str], bool],
                 library: Path | None, *, orderings: bool = True) -> None:
        self.advisor = advisor
        self.knowledge = advisor.knowledge
        self.outline = outline
        self.wanted = wanted
        self.rng = random.Random(f"{seed}:pick")
        self.options_rng = random.Random(f"{seed}:options")
        self.generator_rng = random.Random(f"{seed}:generate")
        self.generator = ScenarioGenerator(self.knowledge)
        self.library_folder = library
        self.library_seed = seed
        self.given: set[str] = set()  # ids yielded so far
        self.sources: dict[int, dict[str, list[Any]]] = {}  # domain -> skill -> sources
        self.failures: dict[int, int] = {}
        self.made: dict[int, int] = {}  # questions yielded per source
        self.per_domain: dict[int, int] = {}  # questions yielded per domain
        vocabulary = self.knowledge.vocabulary
        for spec in vocabulary.decisions:
            rules = [r for r in self.knowledge.producers(spec.name) if r.conclusion.kind == "recommend"]
            if rules and wanted(spec.name):
                skill = outline.skill_of(spec.name, spec.section)
                self._add(outline.domain_of_skill(skill), skill, spec.name)
        if orderings:
            for skill, ordering in outline.orderings():
                self._add(outline.domain_of_skill(skill.id), skill.id, ordering)
        self._libraries: dict[int, Iterator[DrillQuestion] | None] = {}
        self._rules: dict[str, list] = {}
        self._loaded: dict[Path, tuple | None] = {}  # library files read, shared by the domains' sources

    def _add(self, domain: int, skill: str, source: Any) -> None:
        if domain:
            self.sources.setdefault(domain, {}).setdefault(skill, []).append(source)

    def _drop(self, domain: int, skill: str, source: Any) -> None:
        skills = self.sources[domain]
        skills[skill].remove(source)
        if not skills[skill]:
            del skills[skill]
        if not skills:
            del self.sources[domain]

    def domain_of(self, decision: str) -> int:
        spec = self.knowledge.vocabulary.decision(decision)
        return self.outline.domain_of_skill(self.outline.skill_of(decision, spec.section)) if spec else 0

    # --- drawing ---------------------------------------------------------------------------

    def questions(self) -> Iterator[DrillQuestion]:
        """New questions (never the same id twice) until every source is used up."""
        weights = self.outline.weights()
        domain = None
        while self.sources:
            if domain not in self.sources:  # a domain picked is kept until it yields: shares follow the weights
                domain = self._next_domain(weights)
            skill = self.rng.choice(sorted(self.sources[domain]))
            # The skill's sources asked least so far go first, so a session reaches them evenly.
            sources = self.sources[domain][skill]
            fewest = min(self.made.get(id(s), 0) for s in sources)
            source = self.rng.choice([s for s in sources if self.made.get(id(s), 0) == fewest])
            question = self._one(domain, source)
            key = id(source)
            if question is None or question.id in self.given:
                self.failures[key] = self.failures.get(key, 0) + 1
                if self.failures[key] >= FAILURES_TO_DROP:
                    self._drop(domain, skill, source)
                continue
            self.failures[key] = 0
            self.made[key] = self.made.get(key, 0) + 1
            self.given.add(question.id)
            self.per_domain[domain] = self.per_domain.get(domain, 0) + 1
            domain = None
            yield question

    def _next_domain(self, weights: dict[int, float]) -> int:
        """The domain furthest below its share once one more question is asked (a random draw
        would let a 500-question export stray several points from the weights)."""
        domains = sorted(self.sources)
        total = sum(self.per_domain.get(d, 0) for d in domains) + 1
        share = {d: weights.get(d, 0.0) or 1e-9 for d in domains}
        norm = sum(share.values())
        deficit = {d: share[d] / norm * total - self.per_domain.get(d, 0) for d in domains}
        most = max(deficit.values())
        tied = [d for d in domains if deficit[d] >= most - 1e-9]
        return self.rng.choices(tied, [share[d] for d in tied])[0]

    def _one(self, domain: int, source: Any) -> DrillQuestion | None:
        if isinstance(source, Ordering):
            skill = next(s for s in self.outline.skills if source in s.orderings)
            return ordering_question(skill, source, self.outline, self.options_rng)
        question = None
        if self.rng.random() < LIBRARY_SHARE:
            question = self._from_library(domain, source)
        if question is None:
            question = self._generated(source)
        if question is not None and self.rng.random() < COMPLETION_SHARE:
            completion = completion_question(question, self.outline, self.knowledge, self.options_rng)
            if completion is not None and completion.id not in self.given:
                return completion
        return question

    def _from_library(self, domain: int, decision: str) -> DrillQuestion | None:
        if domain not in self._libraries:
            source = LibrarySource(self.library_folder, self.advisor,
                                   random.Random(f"{self.library_seed}:library:{domain}"),
                                   lambda d: self.wanted(d) and self.domain_of(d) == domain, self._loaded)
            self._libraries[domain] = source.questions()
        library = self._libraries[domain]
        if library is None:
            return None
        for question in library:
            if question.id not in self.given:
                return question
        self._libraries[domain] = None
        return None

    def _generated(self, decision: str) -> DrillQuestion | None:
        rng = self.generator_rng
        rules = self._rules.get(decision)
        if rules is None:
            vocabulary = self.knowledge.vocabulary
            # never a rule that needs the scenario to state this decision's existing setup
            rules = [r for r in self.knowledge.producers(decision) if r.conclusion.kind == "recommend"
                     and not any(getattr(vocabulary.fact(n), "describes", None) == decision for n in r.reads)]
            self._rules[decision] = rules
        if not rules:
            return None
        rule = rng.choice(rules)
        facts = self.generator.facts_for(rule, rng)
        if facts is None:
            return None
        consultation = settle(self.advisor, self.advisor.consult(facts), decision, rng)
        if consultation is None:
            return None
        return build_question(consultation, decision, self.knowledge, self.options_rng,
                              prefer=rule.conclusion.value, outline=self.outline)


def settle(advisor: Advisor, consultation: Consultation, decision: str, rng: random.Random) -> Consultation | None:
    """The scenario with facts added until no rule for another choice of `decision` is left
    undecided (so the key never depends on a fact the scenario does not state); None if that
    cannot be done without changing the answer."""
    knowledge = advisor.knowledge
    vocabulary = knowledge.vocabulary
    generator = ScenarioGenerator(knowledge)
    wanted = set(consultation.chosen(decision))
    for _ in range(SETTLE_TRIES):
        if decision not in usable_decisions(consultation, knowledge):
            return None
        rivals = open_rivals(consultation, decision, knowledge)
        if not rivals:
            return consultation
        facts = dict(consultation.facts)
        open_leaves = [leaf for rival in rivals for leaf in _open_inputs(rival.condition, consultation, knowledge, 3)]
        if not open_leaves:
            return None
        leaf = open_leaves[0]
        spec = vocabulary.fact(leaf.subject)
        operand = leaf.operand.times * facts[leaf.operand.name] if isinstance(leaf.operand, FactRef) else leaf.operand
        values = [v for v in generator.candidates(spec, [leaf], facts, rng) if not leaf_holds(leaf.op, v, operand)]
        if spec.type == "list" and values:
            smallest = min(len(v) for v in values)
            values = [v for v in values if len(v) <= smallest]
        rng.shuffle(values)
        for value in values[:3]:
            try:
                checked = spec.check(plain(value))
            except ValueError:
                continue
            attempt = advisor.consult({**facts, leaf.subject: checked})
            if set(attempt.chosen(decision)) == wanted:
                consultation = attempt
                break
        else:
            return None
    return None


def _open_inputs(condition, consultation: Consultation, knowledge, depth: int) -> list:
    """Unstated input facts a condition waits on, also through the rules that would conclude
    the derived facts and decisions it reads (down to `depth` levels)."""
    vocabulary = knowledge.vocabulary
    found = []
    for leaf in leaves(condition):
        if leaf.subject in consultation.values:
            continue
        if vocabulary.is_input(leaf.subject):
            if not isinstance(leaf.operand, FactRef) or leaf.operand.name in consultation.facts:
                found.append(leaf)
        elif depth > 0:
            for producer in knowledge.producers(leaf.subject):
                if leaf_holds(leaf.op, producer.conclusion.value, leaf.operand) if not isinstance(
                        leaf.operand, FactRef) else True:
                    found.extend(_open_inputs(producer.condition, consultation, knowledge, depth - 1))
    return found
