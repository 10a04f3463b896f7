"""Exam questions on one decision of one scenario, built from a real consultation.

The key is what the engine recommends; the wrong options are the decision's other choices
that the engine does not recommend (nearest misses first: overruled choices, then choices
whose rules need the fewest further conditions), then the exam outline's distractors. Only
options that keep the question honest are offered (advisor/drill/honesty.py): the question
text never contains an option's distinctive words and no option contains another. A choice
that stands for several ("A or B") is asked as "choose two" with its parts as options.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from typing import Any

from advisor.drill.honesty import pick_options
from advisor.drill.outline import DecisionItem, ExamOutline, load_outline
from advisor.drill.wording import scenario_text, stem_text
from advisor.engine.results import Consultation
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import All, AnyOf, Condition, evaluate
from advisor.knowledge.vocabulary import plain

MAX_OPTIONS = 4
MAX_KEYS = 3  # "choose two" or "choose three"; more recommended choices are asked one at a time
GENERATED = "generated"
SINGLE, MULTIPLE, ORDERING, COMPLETION = "single", "multiple", "ordering", "completion"
OTHER = "other:"  # prefix of an option that is not one of the decision's choices


@dataclass(frozen=True, eq=False)
class DrillQuestion:
    id: str
    decision: str
    section: str
    facts: dict[str, Any]
    origin: str                 # "generated", or "library:<file>"
    description: str | None
    options: tuple[str, ...]    # option names, in the order shown (choice names for the decision's own)
    correct: str                # the first key (the only one for single answer)
    recommended: frozenset[str]  # every choice the engine recommends (several for `multiple` decisions)
    consultation: Consultation | None = field(repr=False)
    box: int = 0                # spaced-repetition box before this session (0: never answered)
    kind: str = SINGLE
    keys: tuple[str, ...] = ()  # the right options (for ordering: in the right order)
    labels: tuple[str, ...] = ()  # each option's text, as shown
    notes: tuple[str, ...] = ()   # why each option is right or wrong, in plain words
    domain: int = 0
    skill: str = "0"
    stem: str = ""
    scenario: str = ""
    source: str = ""            # the Learn unit (or docs page) to read
    snippet: str | None = None  # a YAML file with a blank, for completion questions

    @property
    def distractors(self) -> tuple[str, ...]:
        return tuple(o for o in self.options if o not in self.answer_keys)

    @property
    def answer_keys(self) -> tuple[str, ...]:
        return self.keys or (self.correct,)

    @property
    def key_text(self) -> str:
        """The right answer as an answer string (see canonical_answer)."""
        return canonical_answer(self, self.answer_keys)

    def label(self, option: str) -> str:
        return self.labels[self.options.index(option)] if self.labels else option

    def note(self, option: str) -> str:
        return self.notes[self.options.index(option)] if self.notes else ""

    @property
    def text(self) -> str:
        """The full question as shown: the scenario, the snippet and the stem."""
        parts = [p for p in (self.scenario, self.snippet, self.stem) if p]
        return "\n\n".join(parts)


def canonical_answer(question: DrillQuestion, chosen: tuple[str, ...] | list[str]) -> str:
    """One answer as a string: an option name; several joined with '+' in the options'
    order (multiple answer); or joined with ' > ' in the order given (ordering)."""
    if question.kind == ORDERING:
        return " > ".join(chosen)
    if question.kind == MULTIPLE:
        return "+".join(o for o in question.options if o in set(chosen))
    return chosen[0]


def question_id(facts: dict[str, Any], decision: str, kind: str = SINGLE) -> str:
    """Stable id from the content: the same facts, decision and kind are the same question."""
    content: dict[str, Any] = {"decision": decision, "facts": plain(facts)}
    if kind == COMPLETION:
        content["kind"] = kind
    canonical = json.dumps(content, sort_keys=True)
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


def open_rivals(consultation: Consultation, decision: str, knowledge: KnowledgeBase) -> list:
    """Rules for another choice of `decision` whose condition is unknown here: the key would
    depend on facts the scenario does not state."""
    recommended = set(consultation.chosen(decision))
    known = consultation.values
    vocabulary = knowledge.vocabulary
    # A scenario that states no existing setup is a new design: rules about an existing
    # setup do not apply to it, and stating one would give the answer away.
    fresh = not any(getattr(vocabulary.fact(n), "existing_setup", False) for n in consultation.facts)

    def lookup(name: str) -> Any:
        return known[name]

    def about_existing_setup(rule) -> bool:
        return any(getattr(vocabulary.fact(n), "existing_setup", False) for n in rule.reads)

    return [r for r in knowledge.producers(decision)
            if r.conclusion.kind == "recommend" and r.conclusion.value not in recommended
            and not (fresh and about_existing_setup(r))
            and evaluate(r.condition, lookup) is None]


def _keys(spec, recommended: tuple[str, ...], item: DecisionItem | None, rng: random.Random,
          prefer: str | None) -> tuple[str, tuple[str, ...]]:
    combined = item.combined if item else {}
    if spec.multiple:
        ordered = tuple(c for c in spec.choices if c in recommended)
        if 2 <= len(ordered) <= MAX_KEYS and len(spec.choices) - len(ordered) >= 1:
            return MULTIPLE, ordered
        return SINGLE, (prefer if prefer in recommended else rng.choice(sorted(recommended)),)
    choice = recommended[0]
    if choice in combined:
        return MULTIPLE, tuple(combined[choice])
    return SINGLE, (choice,)


def build_question(consultation: Consultation, decision: str, knowledge: KnowledgeBase,
                   rng: random.Random, *, origin: str = GENERATED, description: str | None = None,
                   prefer: str | None = None, outline: ExamOutline | None = None) -> DrillQuestion | None:
    """A question on `decision`, or None when the consultation gives it no single clear answer
    or no honest set of options."""
    from advisor.drill.explain import option_notes

    spec = knowledge.vocabulary.decision(decision)
    if spec is None or decision not in usable_decisions(consultation, knowledge):
        return None
    if open_rivals(consultation, decision, knowledge):
        return None
    outline = outline or load_outline()
    item = outline.item(decision)
    recommended = consultation.chosen(decision)
    kind, keys = _keys(spec, recommended, item, rng, prefer)
    combined = item.combined if item else {}
    in_combined = {part for parts in combined.values() for part in parts}
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

    blocked = set(recommended) | set(keys)
    if not spec.multiple and recommended[0] in combined:
        blocked |= in_combined
    own = sorted((c for c in spec.choices if c not in blocked and c not in combined), key=nearness)
    extra = [(OTHER + (d.choice or d.label or ""), d) for d in (item.distractors if item else ())
             if not _recommended_elsewhere(d.choice, consultation)]
    rng.shuffle(extra)
    labels = {c: (item.labels.get(c) if item else None) or spec.choices[c] for c in spec.choices}
    for name, distractor in extra:
        labels[name] = distractor.label or _borrowed_label(distractor.choice or "", knowledge)
    section = spec.section
    skill = outline.skill_of(decision, section)
    scenario = scenario_text(consultation.facts, knowledge.vocabulary, outline.wording)
    stem = stem_text(spec, item, len(keys) if kind == MULTIPLE else 1)
    size = max(MAX_OPTIONS, len(keys) + 2)
    candidates = [c for c in own] + [name for name, _ in extra]
    by_label = {labels[c]: c for c in [*keys, *candidates]}
    chosen = pick_options(f"{scenario}\n{stem}", [labels[k] for k in keys], [labels[c] for c in candidates], size)
    if chosen is None or len(chosen) <= len(keys):  # at least one wrong option
        return None
    options = [by_label[text] for text in chosen]
    rng.shuffle(options)
    question = DrillQuestion(
        id=question_id(consultation.facts, decision), decision=decision, section=section,
        facts=dict(consultation.facts), origin=origin, description=description,
        options=tuple(options), correct=keys[0], recommended=frozenset(recommended),
        consultation=consultation, kind=kind, keys=keys, labels=tuple(labels[o] for o in options),
        domain=outline.domain_of_skill(skill), skill=skill, stem=stem, scenario=scenario,
        source=_source(consultation, decision, keys, knowledge))
    notes = option_notes(question, knowledge, dict(extra), outline.wording)
    return _with(question, notes=notes)


def _recommended_elsewhere(reference: str | None, consultation: Consultation) -> bool:
    """Whether a borrowed choice (DECISION.CHOICE) is what the engine recommends for its own
    decision here: then it is no plainly wrong option in this scenario."""
    if not reference:
        return False
    decision, _, choice = reference.partition(".")
    return choice in consultation.chosen(decision)


def _borrowed_label(reference: str, knowledge: KnowledgeBase) -> str:
    decision, _, choice = reference.partition(".")
    spec = knowledge.vocabulary.decision(decision)
    return spec.choices.get(choice, choice) if spec else choice


def _source(consultation: Consultation, decision: str, keys: tuple[str, ...], knowledge: KnowledgeBase) -> str:
    for key in keys:
        for node in consultation.derivation(decision, key):
            return knowledge.rule(node.rule_id).source
    rec = consultation.recommendation(decision)
    return knowledge.rule(rec.rules[0]).source if rec and rec.rules else ""


def _with(question: DrillQuestion, **changes: Any) -> DrillQuestion:
    from dataclasses import replace

    return replace(question, **changes)


def resolve_answer(text: str, question: DrillQuestion) -> str:
    """A typed answer as an answer string (see canonical_answer): an option's name or its
    1-based number; for multiple answer and ordering, several separated by commas or spaces."""
    answer = text.strip()
    allowed = f"1-{len(question.options)} or " + ", ".join(question.options)
    if question.kind == SINGLE or question.kind == COMPLETION:
        return canonical_answer(question, (_one(answer, question, allowed),))
    parts = [p for p in answer.replace(",", " ").split() if p]
    chosen = [_one(p, question, allowed) for p in parts]
    if not chosen:
        raise ValueError(f"{answer!r} is not one of the offered choices (allowed: {allowed})")
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"{answer!r} names an option twice (allowed: {allowed})")
    # An incomplete answer (one option of "choose two", part of an order) is a wrong answer, as on the exam.
    return canonical_answer(question, chosen)


def complete(question: DrillQuestion, answer: str) -> str | None:
    """Why an answer is incomplete (for prompts that can ask again), or None."""
    parts = answer.split(" > ") if question.kind == ORDERING else answer.split("+")
    if question.kind == ORDERING and len(parts) != len(question.options):
        return f"put all {len(question.options)} options in order"
    if question.kind == MULTIPLE and len(parts) != len(question.answer_keys):
        return f"choose {len(question.answer_keys)}"
    return None


def _one(answer: str, question: DrillQuestion, allowed: str) -> str:
    if answer.isdigit() and 1 <= int(answer) <= len(question.options):
        return question.options[int(answer) - 1]
    if answer in question.options:
        return answer
    raise ValueError(f"{answer!r} is not one of the offered choices (allowed: {allowed})")
