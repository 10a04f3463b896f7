"""Semantic checks on a loaded rule base: dead rules, conflicts, shadowing and coverage."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations
from typing import Any

from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import Condition, describe, negate, subjects
from advisor.knowledge.rules import Rule
from advisor.knowledge.vocabulary import value_text
from advisor.lint.domains import Universe, holds
from advisor.lint.findings import LintFinding
from advisor.lint.logic import grounded_witness, implies, witness_all

Where = dict[str, tuple[str, int | None]]  # rule id -> (file, line)


class Analysis:
    """The rule base with its live rules (those whose condition can ever be true).

    Derived facts and decisions can only take values that live rules produce, and a rule that
    needs any other value is dead too, so liveness is computed as a fixpoint.
    """

    def __init__(self, knowledge: KnowledgeBase, where: Where | None = None) -> None:
        self.kb = knowledge
        self.where = where or {}
        self.open = Universe(knowledge.vocabulary, None)
        live = list(knowledge.rules)
        while True:
            self.produced = _produced(live)
            self.universe = Universe(knowledge.vocabulary, self.produced)
            still = [r for r in live if witness_all([r.condition], self.universe) is not None]
            if len(still) == len(live):
                break
            live = still
        self.live = {r.id for r in live}
        self.shadowed: dict[str, tuple[Rule, ...]] = {}

    def _at(self, rule: Rule) -> dict[str, Any]:
        file, line = self.where.get(rule.id, (rule.file, None))
        return {"file": file, "line": line}

    def single_valued(self, name: str) -> bool:
        """A derived fact, or a decision that takes one choice: different values compete."""
        decision = self.kb.vocabulary.decision(name)
        return (decision is not None and not decision.multiple) or self.kb.vocabulary.fact(name) is not None

    def live_producers(self, name: str) -> list[Rule]:
        return [r for r in self.kb.producers(name) if r.id in self.live]

    def set_aside_by(self, rule: Rule) -> list[Condition]:
        """The conditions of the scope entries that set the rule aside where they hold: a
        set-aside firing settles nothing, so there it competes with no one."""
        entries = self.kb.guards().get(rule.id, ())
        return [e.condition for e in self.kb.scope if e.id in entries]

    def stands(self, assignment: dict[str, Any]) -> bool:
        """Every decision and derived value in the assignment is given by a live rule whose
        condition holds and which no holding scope entry sets aside."""
        for name, value in assignment.items():
            rules = self.live_producers(name)
            if rules and not any(r.conclusion.value == value and holds(r.condition, assignment)
                                 and not any(holds(c, assignment) for c in self.set_aside_by(r))
                                 for r in rules):
                return False
        return True

    # --- checks -----------------------------------------------------------------

    def never_true(self) -> list[LintFinding]:
        findings = []
        for rule in self.kb.rules:
            if rule.id in self.live:
                continue
            if witness_all([rule.condition], self.open) is None:
                message = f"its conditions can never all be true: {describe(rule.condition)}"
            else:
                needs = "; ".join(self._producible(n) for n in sorted(rule.reads) if self._rule_set(n))
                message = f"it needs values no live rule produces ({needs}): {describe(rule.condition)}"
            findings.append(LintFinding("never-true", f"{rule.id} never fires: {message}", rules=(rule.id,),
                                        subject=rule.conclusion.name, **self._at(rule)))
        return findings

    def shadowing(self) -> list[LintFinding]:
        findings = []
        for rule in self.kb.rules:
            name = rule.conclusion.name
            if rule.id not in self.live or name is None or not self.single_valued(name):
                continue
            higher = [s for s in self.live_producers(name)
                      if s.conclusion.value != rule.conclusion.value and s.rank > rule.rank
                      and witness_all([rule.condition, s.condition], self.universe) is not None]
            if not higher or not implies(rule.condition, [s.condition for s in higher], self.universe):
                continue
            self.shadowed[rule.id] = tuple(higher)
            over = ", ".join(f"{s.id} ({value_text(s.conclusion.value)}; {_rank(s)})" for s in higher)
            findings.append(LintFinding(
                "shadowed",
                f"{rule.id} ({name} = {value_text(rule.conclusion.value)}; {_rank(rule)}) never wins: "
                f"whenever it fires, a higher-ranked rule with a different value fires too: {over}",
                rules=(rule.id, *(s.id for s in higher)), subject=name, **self._at(rule)))
        return findings

    def conflicts(self) -> list[LintFinding]:
        """Same priority, different values, can fire together, and neither is a deliberate refinement.

        A narrows B when whenever A fires, B's value is also produced at that priority (by B or
        a sibling): A is then an exception, which must win by having more conditions.
        """
        findings = []
        names = dict.fromkeys(r.conclusion.name for r in self.kb.rules if r.conclusion.name)
        for name in names:
            if not self.single_valued(name) or name in self.kb.combined or name in self.kb.unranked:
                continue  # declared to compete visibly (rules/scope.yaml combined, unranked)
            producers = self.live_producers(name)
            for a, b in combinations(producers, 2):
                if a.conclusion.value == b.conclusion.value or a.priority != b.priority:
                    continue
                witness = witness_all([a.condition, b.condition], self.universe)
                if witness is None:
                    continue
                a_narrows = implies(a.condition, self._siblings(producers, b), self.universe)
                b_narrows = implies(b.condition, self._siblings(producers, a), self.universe)
                message = self._conflict_message(a, b, a_narrows, b_narrows)
                if message is None:
                    continue
                findings.append(LintFinding("conflict", message, rules=(a.id, b.id), subject=name,
                                            witness=witness, **self._at(a)))
        return findings

    def _siblings(self, producers: list[Rule], rule: Rule) -> list[Any]:
        return [p.condition for p in producers
                if p.priority == rule.priority and p.conclusion.value == rule.conclusion.value]

    def _conflict_message(self, a: Rule, b: Rule, a_narrows: bool, b_narrows: bool) -> str | None:
        name = a.conclusion.name
        pair = (f"{a.id} ({name} = {value_text(a.conclusion.value)}) and "
                f"{b.id} ({name} = {value_text(b.conclusion.value)})")
        outcome = _settled(a, b)
        if a_narrows and b_narrows:
            return f"{pair} fire in the same situations at priority {a.priority}; {outcome}"
        if a_narrows or b_narrows:
            narrow, broad = (a, b) if a_narrows else (b, a)
            if narrow.specificity > broad.specificity or narrow.id in self.shadowed:
                return None  # a deliberate refinement that wins, or already reported as shadowed
            return (f"{narrow.id} narrows {broad.id} but has no more conditions "
                    f"({narrow.specificity} vs {broad.specificity} conditions), so it does not win where both fire; "
                    f"{outcome}")
        return (f"{pair} can fire together at priority {a.priority} and neither condition implies "
                f"the other; {outcome}")

    def coverage(self) -> list[LintFinding]:
        findings = []
        vocabulary = self.kb.vocabulary
        for decision in vocabulary.decisions:
            producers = self.kb.producers(decision.name)
            if not producers:
                findings.append(LintFinding("uncovered", f"no rule recommends anything for decision {decision.name}",
                                            subject=decision.name, file="vocabulary.yaml"))
                continue
            for choice in decision.choices:
                recommending = [r for r in producers if r.conclusion.value == choice]
                live = [r for r in recommending if r.id in self.live]
                if not recommending:
                    why = "no rule recommends it"
                elif not live:
                    why = "only rules that never fire recommend it: " + ", ".join(r.id for r in recommending)
                elif all(r.id in self.shadowed for r in live):
                    why = "every rule recommending it is shadowed: " + ", ".join(r.id for r in live)
                else:
                    continue
                findings.append(LintFinding("unreachable-choice",
                                            f"{decision.name} = {choice} is never recommended: {why}",
                                            rules=tuple(r.id for r in recommending), subject=decision.name,
                                            file="vocabulary.yaml"))
        for fact in vocabulary.facts:
            if fact.derived and not self.kb.producers(fact.name):
                findings.append(LintFinding("uncovered", f"no rule concludes derived fact {fact.name}",
                                            subject=fact.name, file="vocabulary.yaml"))
        return findings

    def _producible(self, name: str) -> str:
        values = sorted(self.produced.get(name, ()), key=repr)
        if not values:
            return f"no live rule produces {name}"
        return f"{name} can only be {', '.join(value_text(v) for v in values)}"

    def _rule_set(self, name: str) -> bool:
        return self.kb.vocabulary.is_concluded(name)


    def contradictions(self) -> list[LintFinding]:
        """A warning that says the advisor picks no value for a decision (its `withholds`), while
        a rule recommending that decision can fire in the same situation."""
        findings = []
        for warning in self.kb.rules:
            if warning.id not in self.live:
                continue
            for name in warning.conclusion.withholds:
                for rule in self.live_producers(name):
                    witness = grounded_witness([warning.condition, rule.condition], self.universe,
                                               self.live_producers)
                    if witness is None:
                        continue
                    findings.append(LintFinding(
                        "contradiction",
                        f"{warning.id} warns that the advisor picks no {name} here, yet {rule.id} "
                        f"({name} = {value_text(rule.conclusion.value)}) can fire with it",
                        rules=(warning.id, rule.id), subject=name,
                        witness={k: v for k, v in witness.items() if self._is_input(k)},
                        **self._at(warning)))
        return findings

    def _is_input(self, name: str) -> bool:
        fact = self.kb.vocabulary.fact(name)
        return fact is not None and not fact.derived

    # --- rankings, scope and incompatible choices ------------------------------------

    def unsourced_rankings(self) -> list[LintFinding]:
        """A higher priority over a rival rule for the same single-choice decision, where both can
        fire together (and no scope entry sets either aside there), needs the sentence that ranks
        them (`ranked_by`). Rules below priority 0
        are fallbacks (a default, an existing setup kept): they yield to every guide heuristic by
        design, and their order among themselves is the project's convention (an existing setup
        before a default), so only rankings between heuristics (priority 0 and up) count."""
        findings = []
        for decision in self.kb.vocabulary.decisions:
            if decision.multiple:
                continue
            for a, b in combinations(self.live_producers(decision.name), 2):
                if a.conclusion.value == b.conclusion.value or a.priority == b.priority \
                        or a.priority < 0 or b.priority < 0:
                    continue
                high, low = (a, b) if a.priority > b.priority else (b, a)
                if high.ranked_by is not None:
                    continue
                witness = witness_all([a.condition, b.condition], self.universe,
                                      unless=[*self.set_aside_by(a), *self.set_aside_by(b)])
                if witness is None:
                    continue
                findings.append(LintFinding(
                    "unsourced-ranking",
                    f"{high.id} ({decision.name} = {value_text(high.conclusion.value)}, priority {high.priority}) "
                    f"outranks {low.id} ({value_text(low.conclusion.value)}, priority {low.priority}) where both "
                    "fire, but no `ranked_by` quotes the sentence that ranks them: give them equal priority "
                    "so they compete visibly, or cite the ranking",
                    rules=(high.id, low.id), subject=decision.name, witness=witness, **self._at(high)))
        return findings

    def scope(self) -> list[LintFinding]:
        findings = []
        guards = self.kb.guards()
        for entry in self.kb.scope:
            if grounded_witness([entry.condition], self.universe, self.live_producers) is None:
                findings.append(LintFinding(
                    "scope-never-holds", f"{entry.id} never sets anything aside: its condition can never be "
                    f"true ({entry.when})", subject=entry.id, file="scope.yaml"))
                continue
            tainted = self._fed_by(set(entry.facts))
            for rule in self.kb.rules:
                read = sorted(rule.reads & tainted)
                if not read or rule.conclusion.kind == "conclude" or rule.id not in self.live \
                        or entry.id in guards.get(rule.id, ()):
                    continue
                witness = grounded_witness([entry.condition, rule.condition], self.universe, self.live_producers)
                if witness is None:
                    continue
                findings.append(LintFinding(
                    "scope-fact-still-read",
                    f"{entry.id} stops asking {', '.join(sorted(entry.facts))}, yet {rule.id} reads "
                    f"{', '.join(read)} and is not set aside with the entry ({rule.conclusion.describe()})",
                    rules=(rule.id,), subject=entry.id,
                    witness={k: v for k, v in witness.items() if self._is_input(k)}, **self._at(rule)))
        return findings

    def _fed_by(self, names: set[str]) -> set[str]:
        """The names, and the derived facts concluded (directly or on) from them."""
        found = set(names)
        while True:
            more = {r.conclusion.name for r in self.kb.rules
                    if r.conclusion.kind == "conclude" and r.reads & found} - found
            if not more:
                return found
            found |= more  # type: ignore[arg-type]

    def incompatibilities(self) -> list[LintFinding]:
        """Prove, over the fact space, that no consultation recommends choices declared
        incompatible: no situation the rules can reach (each decision value given by a live rule
        whose condition holds, and no scope entry setting that decision aside) meets every
        condition of the pair. Otherwise print such a situation."""
        findings = []
        for pair in self.kb.incompatible:
            decisions = sorted(n for n in pair.reads if self.kb.vocabulary.decision(n) is not None)
            in_scope = [negate(e.condition) for e in self.kb.scope if set(e.decisions) & set(decisions)]
            witness = grounded_witness([*pair.conditions, *in_scope], self.universe, self.live_producers,
                                       accept=self.stands)
            if witness is None:
                continue
            findings.append(LintFinding(
                "incompatible",
                f"{pair.id}: {' and '.join(pair.when)} can hold together ({pair.title}); the engine then "
                f"withholds {', '.join(sorted(subjects(pair.conditions[-1])))}. Scenario: "
                + ", ".join(f"{k}: {value_text(v)}" for k, v in witness.items() if self._is_input(k)),
                subject=pair.id, file="scope.yaml",
                witness={k: v for k, v in witness.items() if self._is_input(k)}))
        return findings

    def missing_examples(self, fixtures: Mapping[str, set[str]] | None = None) -> list[LintFinding]:
        """Rules without a `fires` or a `does_not_fire` example; `fixtures` (rule id -> the
        examples review's annotated fixtures give it, advisor/azureml/fixtures.py) count too."""
        findings = []
        for rule in self.kb.rules:
            given = (fixtures or {}).get(rule.id, set())
            missing = [e for e in ("fires", "does_not_fire") if not getattr(rule.examples, e) and e not in given]
            if missing:
                examples = rule.file.removesuffix(".yaml") + ".examples.yaml"
                fixture = (" or a fixture in tests/fixtures/azureml whose `# expect:` header names it "
                           "(docs/adding-a-review-check.md)") if rule.area == "review" else ""
                findings.append(LintFinding(
                    "no-example", f"{rule.id} has no {' and no '.join(f'`{m}`' for m in missing)} example "
                    f"in {examples} (a positive example and a near miss, see docs/adding-a-rule.md){fixture}",
                    rules=(rule.id,), subject=rule.conclusion.name, **self._at(rule)))
        return findings


def run_checks(knowledge: KnowledgeBase, where: Where | None = None,
               fixtures: Mapping[str, set[str]] | None = None) -> list[LintFinding]:
    analysis = Analysis(knowledge, where)
    shadowed = analysis.shadowing()  # before conflicts: they skip refinements already shadowed
    return [*analysis.never_true(), *analysis.conflicts(), *shadowed, *analysis.contradictions(),
            *analysis.unsourced_rankings(), *analysis.incompatibilities(), *analysis.scope(),
            *analysis.coverage(), *analysis.missing_examples(fixtures)]


def _produced(rules: list[Rule]) -> dict[str, set[Any]]:
    produced: dict[str, set[Any]] = {}
    for rule in rules:
        if rule.conclusion.name is not None:
            produced.setdefault(rule.conclusion.name, set()).add(rule.conclusion.value)
    return produced


def _settled(a: Rule, b: Rule) -> str:
    if a.specificity == b.specificity:
        return f"with {_conditions(a)} each, the engine can only report a contest"
    winner, loser = (a, b) if a.specificity > b.specificity else (b, a)
    return (f"the engine reports a contest: {winner.id} has more conditions ({winner.specificity} over "
            f"{loser.specificity}) but does not refine {loser.id}; declare the decision unranked in "
            "rules/scope.yaml if the guide does not rank them")


def _rank(rule: Rule) -> str:
    return f"priority {rule.priority}, {_conditions(rule)}"


def _conditions(rule: Rule) -> str:
    return f"{rule.specificity} condition" + ("" if rule.specificity == 1 else "s")


