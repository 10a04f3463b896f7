"""The answers of one interactive consultation: values, "don't know", and the order asked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor.knowledge import KnowledgeBase
from advisor.knowledge.vocabulary import FactSpec, plain


@dataclass
class Answers:
    """Fact name -> canonical value, or None for "don't know".

    `asked` lists the facts asked in this consultation, in order: Back walks it backwards.
    Facts pre-filled from a scenario file are answers but were never asked. `existing`:
    whether there is an existing setup to review (None until the user says).
    """

    values: dict[str, Any] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    focus: str | None = None
    prefilled_from: str | None = None
    existing: bool | None = None

    def record(self, fact: str, value: Any) -> None:
        self.values[fact] = value
        if fact in self.asked:
            self.asked.remove(fact)
        self.asked.append(fact)

    def can_go_back(self) -> bool:
        return bool(self.asked)

    def go_back(self) -> tuple[str, Any]:
        """Forget the last answer given, so it is asked again; return it for a default."""
        fact = self.asked.pop()
        return fact, self.values.pop(fact, None)

    def as_data(self) -> dict[str, Any]:
        """JSON-ready form, for the draft file."""
        return {
            "focus": self.focus,
            "prefilled_from": self.prefilled_from,
            "answers": plain(self.values),
            "asked": list(self.asked),
            "existing": self.existing,
        }

    def restore_mode(self, saved: Any, knowledge: KnowledgeBase) -> None:
        """Design or review, from a saved draft's `existing` (the draft loader keeps only the facts).

        An answered existing-setup fact means a review, whatever the draft says.
        """
        if isinstance(saved, dict) and isinstance(saved.get("existing"), bool):
            self.existing = saved["existing"]
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
