"""A multiple-choice question on one decision of one scenario, built from a real consultation.

The correct choice is what the engine recommends; the distractors are the decision's other
choices that the engine does not recommend, nearest misses first: choices a rule proposed but
that were overruled, then choices whose rules need the fewest further conditions.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from typing import Any

from advisor.engine.results import Consultation
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import All, AnyOf, Condition, evaluate
from advisor.knowledge.vocabulary import plain

MAX_OPTIONS = 4
GENERATED = "generated"


@dataclass(frozen=True, eq=False)
class DrillQuestion:
    id: str
    decision: str
    section: str
    facts: dict[str, Any]
    origin: str                 # "generated", or "library:<file>"
    description: str | None
    options: tuple[str, ...]    # choice names, in the order shown
    correct: str
    recommended: frozenset[str]  # every choice the engine recommends (several for `multiple` decisions)
    consultation: Consultation = field(repr=False)
    box: int = 0                # spaced-repetition box before this session (0: never answered)

    @property
    def distractors(self) -> tuple[str, ...]:
        return tuple(o for o in self.options if o != self.correct)


def question_id(facts: dict[str, Any], decision: str) -> str:
    """Stable id from the content: the same facts and decision are the same question."""
    canonical = json.dumps({"decision": decision, "facts": plain(facts)}, sort_keys=True)
    return "q" + hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:12]


def unmet_count(condition: Condition, lookup) -> int:
    """How many tests would still have to hold for the condition to be true."""
    if isinstance(condition, All):
        return sum(unmet_count(p, lookup) for p in condition.parts)
    if isinstance(condition, AnyOf):
        return min(unmet_count(p, lookup) for p in condition.parts)
    return 0 if evaluate(condition, lookup) is True else 1


def stated_setup(facts: dict[str, Any], knowledge: KnowledgeBase) -> set[str]:
    """Decisions whose choice the scenario already states as part of an existing setup
    ("your sweep job already uses: grid"): asking them would give the answer away."""
    vocabulary = knowledge.vocabulary
    return {spec.describes for name in facts
            if (spec := vocabulary.fact(name)) is not None and spec.describes is not None}


def usable_decisions(consultation: Consultation, knowledge: KnowledgeBase) -> list[str]:
    """Decisions of this consultation a question can be asked about (with one clear answer)."""
    disputed_sections = {knowledge.rule(w.rule_id).section for w in consultation.warnings
                         if w.kind == "sources_disagree"}
    given_away = stated_setup(consultation.facts, knowledge)
    moot = consultation.moot()  # the scenario's choices retired these: never asked
    result = []
    for spec in knowledge.vocabulary.decisions:
        if spec.name in moot:
            continue
        recommended = set(consultation.chosen(spec.name))
        if not recommended or len(recommended) == len(spec.choices) or spec.section in disputed_sections:
            continue
        if spec.name in given_away:
            continue
        rec = consultation.recommendation(spec.name)
        if rec is None or rec.contested:
            continue
        result.append(spec.name)
    return result


def build_question(consultation: Consultation, decision: str, knowledge: KnowledgeBase,
                   rng: random.Random, *, origin: str = GENERATED, description: str | None = None,
                   prefer: str | None = None) -> DrillQuestion | None:
    """A question on `decision`, or None when the consultation gives it no single clear answer."""
    spec = knowledge.vocabulary.decision(decision)
    if spec is None or decision not in usable_decisions(consultation, knowledge):
        return None
    recommended = consultation.chosen(decision)
    if spec.multiple:
        correct = prefer if prefer in recommended else rng.choice(sorted(recommended))
    else:
        correct = recommended[0]
    others = [c for c in spec.choices if c not in recommended]
    known = consultation.values

    def lookup(name: str) -> Any:
        return known[name]

    rec = consultation.recommendation(decision)
    proposed = {a.choice for a in rec.alternatives} if rec and not spec.multiple else set()
    producers = knowledge.producers(decision)

    def nearness(choice: str) -> tuple[int, float, float]:
        rules = [r for r in producers if r.conclusion.value == choice]
        distance = min((unmet_count(r.condition, lookup) for r in rules), default=float("inf"))
        return (0 if choice in proposed else 1, distance, rng.random())

    distractors = sorted(others, key=nearness)[:MAX_OPTIONS - 1]
    options = [correct, *distractors]
    rng.shuffle(options)
    return DrillQuestion(
        id=question_id(consultation.facts, decision), decision=decision, section=spec.section,
        facts=dict(consultation.facts), origin=origin, description=description,
        options=tuple(options), correct=correct, recommended=frozenset(recommended),
        consultation=consultation)


def resolve_answer(text: str, question: DrillQuestion) -> str:
    """A typed answer (a choice name or its 1-based number among the options) as a choice name."""
    answer = text.strip()
    if answer.isdigit() and 1 <= int(answer) <= len(question.options):
        return question.options[int(answer) - 1]
    if answer in question.options:
        return answer
    allowed = f"1-{len(question.options)} or " + ", ".join(question.options)
    raise ValueError(f"{answer!r} is not one of the offered choices (allowed: {allowed})")
