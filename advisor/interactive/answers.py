"""The answers of one interactive consultation: values, "don't know", and the order asked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor.knowledge import KnowledgeBase
from advisor.knowledge.vocabulary import FactSpec, plain

TOPICS = "(topics)"  # go_back's key for the topic checklist's answer (the topics left unticked)
EXISTING = "(existing)"  # its item "I have a setup to review", and go_back's key for that answer
SURVEY = "(survey)"  # go_back's key for a survey's answer (the facts ticked)


@dataclass(frozen=True)
class Survey:
    """One "which of these can you answer?": asked after `at` answers, the facts `listed`, the
    `unknown` left unticked (asked last; none when the answer was "don't know"). `opening`: asked
    in the topic checklist, undone with it."""

    at: int
    listed: tuple[str, ...]
    unknown: tuple[str, ...] = ()
    opening: bool = False

    def ticked(self) -> tuple[str, ...]:
        return tuple(n for n in self.listed if n not in self.unknown)


@dataclass
class Answers:
    """Fact name -> canonical value, or None for "don't know".

    `asked` lists the facts asked in this consultation, in order: Back walks it backwards.
    `together` holds the facts answered in one checklist: Back undoes such a checklist whole.
    Facts pre-filled from a scenario file are answers but were never asked. `existing`:
    whether there is an existing setup to review (None until the user says).
    `skipped`: the topics (areas) left unticked at the opening checklist, asked last (None: the
    checklist was not asked); `retired`: facts answered "don't know, nor anything else about its
    topic" -> that topic. Back undoes either with the answer that made it. `mode_in_topics`: the
    checklist also said design or review (its first item), so Back to it forgets that too.
    `in_topics`: facts the checklist answered too (the goal, its items ticked), so Back to it forgets them.
    `surveying`: topics were ticked at the checklist, so surveys are due ("which of these can you
    answer?", the planner's `survey`); `surveys`: their answers, in order. Back right after a
    survey undoes it.
    """

    values: dict[str, Any] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    focus: str | None = None
    prefilled_from: str | None = None
    existing: bool | None = None
    together: list[tuple[str, ...]] = field(default_factory=list)
    skipped: tuple[str, ...] | None = None
    retired: dict[str, str] = field(default_factory=dict)
    mode_in_topics: bool = False
    in_topics: tuple[str, ...] = ()
    surveying: bool = False
    surveys: list[Survey] = field(default_factory=list)

    def skipped_topics(self) -> tuple[str, ...]:
        """The topics whose questions come last: unticked at the checklist, or retired since."""
        return tuple(dict.fromkeys((*(self.skipped or ()), *self.retired.values())))

    def unknown_facts(self) -> tuple[str, ...]:
        """The facts left unticked in a survey: asked last."""
        return tuple(name for survey in self.surveys for name in survey.unknown)

    def surveyed_facts(self) -> tuple[str, ...] | None:
        """The facts listed in a survey so far; None when no survey is due any more (or ever)."""
        return tuple(name for survey in self.surveys for name in survey.listed) if self.surveying else None

    def go_on_with_skipped(self) -> None:
        """The user goes on after the skipped topics' offer: they are asked like any other, to the end
        (no survey defers a question any more)."""
        self.skipped = () if self.skipped is not None else None
        self.retired.clear()
        self.surveying = False
        self.surveys = [Survey(s.at, s.listed, (), s.opening) for s in self.surveys]

    def record(self, fact: str, value: Any) -> None:
        self.values[fact] = value
        if fact in self.asked:
            self.asked.remove(fact)
            self.together = [group for group in (tuple(n for n in g if n != fact) for g in self.together)
                             if len(group) > 1]
        self.asked.append(fact)

    def record_together(self, values: dict[str, Any]) -> None:
        """The answers of one checklist, undone together by Back."""
        for fact, value in values.items():
            self.record(fact, value)
        if len(values) > 1:
            self.together.append(tuple(values))

    def can_go_back(self) -> bool:
        return bool(self.asked) or self.skipped is not None

    def go_back(self) -> dict[str, Any]:
        """Forget the last answer given (a whole checklist at once), so it is asked again;
        return the answers forgotten, for defaults. Before the first question: the topic
        checklist (under TOPICS, the topics left unticked; under SURVEY, the questions ticked in it).
        A survey asked since the last answer is undone first (under SURVEY, the facts ticked)."""
        last_survey = self.surveys[-1] if self.surveys and self.surveys[-1].at >= len(self.asked) else None
        if last_survey is not None and not last_survey.opening:
            return {SURVEY: self.surveys.pop().ticked()}
        if not self.asked:
            undone: dict[str, Any] = {TOPICS: self.skipped}
            if last_survey is not None:
                undone[SURVEY] = self.surveys.pop().ticked()
            self.skipped = None
            if self.mode_in_topics:
                undone[EXISTING], self.existing, self.mode_in_topics = self.existing, None, False
            for fact in self.in_topics:  # under its own name: the checklist ticks its items again
                undone[fact] = self.values.pop(fact, None)
            self.in_topics = ()
            self.surveying = False
            return undone
        last = self.asked[-1]
        group = next((g for g in reversed(self.together) if last in g), (last,))
        if len(group) > 1:
            self.together.remove(group)
        forgotten = {}
        for fact in group:
            if fact in self.asked:
                self.asked.remove(fact)
            self.retired.pop(fact, None)
            forgotten[fact] = self.values.pop(fact, None)
        return forgotten

    def as_data(self) -> dict[str, Any]:
        """JSON-ready form, for the draft file."""
        return {
            "focus": self.focus,
            "prefilled_from": self.prefilled_from,
            "answers": plain(self.values),
            "asked": list(self.asked),
            "existing": self.existing,
            "together": [list(group) for group in self.together],
            "skipped_topics": None if self.skipped is None else list(self.skipped),
            "retired": dict(self.retired),
            "mode_in_topics": self.mode_in_topics,
            "in_topics": list(self.in_topics),
            "surveying": self.surveying,
            "surveys": [{"at": s.at, "listed": list(s.listed), "unknown": list(s.unknown), "opening": s.opening}
                        for s in self.surveys],
        }

    def restore_mode(self, saved_existing: Any, knowledge: KnowledgeBase) -> None:
        """Design or review: a saved draft's `existing` (None when there is no draft, or it never said).

        An answered existing-setup fact means a review, whatever the draft says.
        """
        if isinstance(saved_existing, bool):
            self.existing = saved_existing
        if any(getattr(knowledge.vocabulary.fact(n), "existing_setup", False) for n in self.values):
            self.existing = True


def check_answer(spec: FactSpec, value: Any) -> Any:
    """Canonical value of an answer read back from a file (None stays "don't know")."""
    return None if value is None else spec.check(value)


def scenario_data(answers: Answers, knowledge: KnowledgeBase, name: str,
                  description: str) -> dict[str, Any]:
    """A scenario that `advisor consult FILE` loads into exactly these facts.

    Facts come in vocabulary order (the order the interactive report lists them in);
    "don't know" is saved as `fact: null`, which the scenario loader reads as not known.
    """
    facts: dict[str, Any] = {}
    for spec in knowledge.vocabulary.facts:
        if spec.name in answers.values:
            value = answers.values[spec.name]
            facts[spec.name] = plain(value)
    return {"name": name, "description": description, "facts": facts}


def scenario_yaml(answers: Answers, knowledge: KnowledgeBase, name: str, description: str) -> str:
    import yaml

    header = "# Saved by `advisor consult`; reproduce the report with: advisor consult THIS_FILE\n"
    body = yaml.safe_dump(scenario_data(answers, knowledge, name, description), sort_keys=False,
                          allow_unicode=True, default_flow_style=False, width=100)
    return header + body
