"""The fact and decision vocabulary: names, types, allowed values, questions and help.

Plain frozen dataclasses; advisor/knowledge/validation.py builds them from YAML with pydantic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import field, replace
from typing import Any, Literal

from advisor.records import record

# No fact counts anything near this; beyond it, arithmetic on floats would overflow.
NUMBER_LIMIT = 10**12

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "off"})


def value_text(value: Any) -> str:
    """A fact or decision value the way rules and reports write it: true, [a, b], 20."""
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple | list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _short(value: Any) -> str:
    """A value for an error message: a 400-digit number or a long text is cut, not printed whole."""
    if isinstance(value, int) and abs(value) > 10**30:
        return f"a number of {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def plain(value: Any) -> Any:
    """JSON-ready form of a value: tuples (list facts, rule lists) become lists, in dicts and lists too."""
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def read_number(text: str) -> int | float:
    """A typed number: an int when it is one, else a float (maybe inf: `check` refuses it); ValueError otherwise."""
    typed = text.strip()
    try:
        return int(typed)
    except ValueError:
        return float(typed)


FactType = Literal["choice", "bool", "number", "list"]


@record(frozen=True)
class Given:
    """A question's words once earlier answers make `condition` true (a fact's `given` entry).

    `condition` is a rule condition (advisor.knowledge.conditions) on input facts and `when` the
    same in words; `help` is shown under the question's own help; `labels` annotate some of its
    values (same values, other words: an answer is never hidden).
    """

    condition: Any
    when: str
    help: str = ""
    labels: dict[str, str] = field(default_factory=dict)


@record(frozen=True)
class FactSpec:
    """A fact of the vocabulary: its question, type, allowed values and bounds."""

    name: str
    type: FactType
    section: str
    question: str
    help: str
    values: dict[str, str] = field(default_factory=dict)
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    derived: bool = False
    existing_setup: bool = False  # describes what the user already has (advisor review reads it)
    describes: str | None = None  # the decision whose choice an existing-setup value states (drills hide it)
    given: tuple[Given, ...] = ()  # more words for the question, given earlier answers
    notes: tuple[str, ...] = ()  # the `given` help that holds for this consultation (set by as_asked)

    def as_asked(self, answers: Mapping[str, Any]) -> FactSpec:
        """The question after `answers` (fact -> value, None for don't know): the help of every
        `given` entry whose condition holds becomes a note, and its labels replace the values'."""
        from advisor.knowledge.conditions import evaluate  # conditions imports this module

        def lookup(name: str) -> Any:
            if answers.get(name) is None:
                raise KeyError(name)  # not answered, or don't know: unknown
            return answers[name]

        holding = [g for g in self.given if evaluate(g.condition, lookup) is True]
        if not holding:
            return self
        labels = dict(self.values)
        for entry in holding:
            labels.update(entry.labels)
        return replace(self, values=labels, notes=tuple(g.help for g in holding if g.help))

    def allowed(self) -> str:
        """Plain description of what a value of this fact may be."""
        if self.type == "choice":
            return "one of " + ", ".join(self.values)
        if self.type == "list":
            return "a list of " + ", ".join(self.values)
        if self.type == "bool":
            return "true or false"
        bounds = []
        if self.min is not None:
            bounds.append(f">= {self.min:g}")
        if self.max is not None:
            bounds.append(f"<= {self.max:g}")
        unit = f" {self.unit}" if self.unit else ""
        return "a number" + unit + (" " + " and ".join(bounds) if bounds else "")

    def check(self, value: Any) -> Any:
        """Return the value in canonical form, or raise ValueError saying what is allowed."""
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            raise ValueError(f"{_short(value)} is not {self.allowed()}")
        if self.type == "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{_short(value)} is not {self.allowed()}")
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"{_short(value)} is not a finite number: {self.allowed()}")
            if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
                raise ValueError(f"{_short(value)} is out of range: {self.allowed()}")
            if abs(value) > NUMBER_LIMIT:
                raise ValueError(f"{_short(value)} is too large: {self.allowed()} up to {NUMBER_LIMIT:.0e}")
            return value
        if self.type == "choice":
            if isinstance(value, str) and value in self.values:
                return value
            raise ValueError(f"{_short(value)} is not {self.allowed()}")
        if not isinstance(value, list):
            raise ValueError(f"{_short(value)} is not {self.allowed()}")
        unknown = [v for v in value if not isinstance(v, str) or v not in self.values]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not one of {', '.join(self.values)}")
        # Canonical order and no repeats, so equal sets compare and hash equal.
        return tuple(v for v in self.values if v in value)

    def read(self, text: str) -> Any:
        """A value typed as text (command line, prompt), read as this fact's type and checked.

        Booleans accept true/false, yes/no, y/n, 1/0, on/off; lists are comma-separated.
        Raises ValueError saying what is allowed.
        """
        value: Any = text
        if self.type == "bool":
            lowered = text.strip().lower()
            if lowered not in TRUE_WORDS | FALSE_WORDS:
                raise ValueError(f"{text!r} is not true or false")
            value = lowered in TRUE_WORDS
        elif self.type == "number":
            try:
                value = read_number(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a number") from None
        elif self.type == "list":
            value = [item.strip() for item in text.split(",") if item.strip()]
        return self.check(value)

    def describe_value(self, value: Any) -> str:
        """A value in the vocabulary's own words, for reports and drills."""
        if self.type == "choice":
            return self.values.get(value, str(value))
        if self.type == "list":
            return ", ".join(self.values.get(v, v) for v in value) or "None of these"
        if self.type == "bool":
            return "Yes" if value else "No"
        unit = f" {self.unit}" if self.unit else ""
        return f"{value:g}{unit}"


@record(frozen=True)
class DecisionSpec:
    """A decision the advisor makes, and its choices."""

    name: str
    section: str
    title: str
    choices: dict[str, str]
    multiple: bool = False


@record(frozen=True)
class Vocabulary:
    """Every fact and decision a rule, a scenario or a question can name."""

    facts: tuple[FactSpec, ...]
    decisions: tuple[DecisionSpec, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_facts", {f.name: f for f in self.facts})
        object.__setattr__(self, "_decisions", {d.name: d for d in self.decisions})
        object.__setattr__(self, "_order", {f.name: i for i, f in enumerate(self.facts)})
        object.__setattr__(self, "_inputs", frozenset(f.name for f in self.facts if not f.derived))

    def fact(self, name: str) -> FactSpec | None:
        facts: dict[str, FactSpec] = self._facts  # type: ignore[attr-defined]
        return facts.get(name)

    def decision(self, name: str) -> DecisionSpec | None:
        decisions: dict[str, DecisionSpec] = self._decisions  # type: ignore[attr-defined]
        return decisions.get(name)

    def require_fact(self, name: str) -> FactSpec:
        """The fact `name`, which the caller knows is in the vocabulary (KeyError if it is not)."""
        spec = self.fact(name)
        if spec is None:
            raise KeyError(f"no fact {name!r} in the vocabulary")
        return spec

    def require_decision(self, name: str) -> DecisionSpec:
        """The decision `name`, which the caller knows is in the vocabulary (KeyError if it is not)."""
        spec = self.decision(name)
        if spec is None:
            raise KeyError(f"no decision {name!r} in the vocabulary")
        return spec

    def is_input(self, name: str) -> bool:
        """A fact a user may state: in the vocabulary and not concluded by rules."""
        return name in self._inputs  # type: ignore[attr-defined]

    def is_concluded(self, name: str) -> bool:
        """Something only rules set: a decision, a derived fact (or a name the vocabulary lacks)."""
        return not self.is_input(name)

    @property
    def fact_order(self) -> Mapping[str, int]:
        """Each fact's position in the vocabulary (the questionnaire's and the reports' order)."""
        order: Mapping[str, int] = self._order  # type: ignore[attr-defined]
        return order

    @property
    def input_names(self) -> frozenset[str]:
        """The names of the input facts: made once, read by every consultation."""
        names: frozenset[str] = self._inputs  # type: ignore[attr-defined]
        return names

    @property
    def input_facts(self) -> tuple[FactSpec, ...]:
        """Facts a user may state (everything not derived)."""
        return tuple(f for f in self.facts if not f.derived)

    def values_of(self, name: str) -> tuple[str, ...] | None:
        """Allowed symbolic values of a fact or decision (None for bool and number)."""
        spec = self.fact(name)
        if spec is not None:
            if spec.type == "bool":
                return None
            return tuple(spec.values) or None
        decision = self.decision(name)
        return tuple(decision.choices) if decision else None

    def as_json(self) -> dict[str, Any]:
        return {
            "facts": [
                {
                    "name": f.name,
                    "type": f.type,
                    "values": list(f.values) if f.values else ([True, False] if f.type == "bool" else []),
                    "labels": dict(f.values),
                    "unit": f.unit,
                    "min": f.min,
                    "max": f.max,
                    "question": f.question,
                    "help": f.help,
                    "section": f.section,
                    "derived": f.derived,
                    "existing_setup": f.existing_setup,
                    "describes": f.describes,
                    "given": [{"when": g.when, "help": g.help, "labels": dict(g.labels)} for g in f.given],
                }
                for f in self.facts
            ],
            "decisions": [
                {
                    "name": d.name,
                    "title": d.title,
                    "choices": list(d.choices),
                    "labels": dict(d.choices),
                    "multiple": d.multiple,
                    "section": d.section,
                }
                for d in self.decisions
            ],
        }
