"""The JSON Schema (draft 2020-12) of scenario files, for editors to validate as people type.

Built from the scenario format's keys (advisor.scenarios.model), then narrowed with the vocabulary and the rule base:
each input fact is a property with its type and allowed values, decisions take their own
choices, rule ids must exist. It accepts what `advisor.scenarios.load_scenario` accepts.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from advisor.knowledge import KnowledgeBase
from advisor.scenarios.model import EXPECTATION_KEYS, EXPECTATIONS_DESCRIPTION, SCENARIO_KEYS

if TYPE_CHECKING:
    from advisor.knowledge.vocabulary import DecisionSpec, FactSpec

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def scenario_schema(knowledge: KnowledgeBase) -> dict[str, Any]:
    schema = _format_schema()
    vocabulary = knowledge.vocabulary
    facts = schema["properties"]["facts"]
    facts["additionalProperties"] = False
    facts["properties"] = {f.name: fact_schema(f) for f in vocabulary.input_facts}

    expect = schema["$defs"]["Expectations"]["properties"]
    decisions = expect["decisions"]
    decisions.pop("additionalProperties")
    decisions["properties"] = {d.name: decision_schema(d) for d in vocabulary.decisions}
    decisions["additionalProperties"] = False
    expect["open"]["items"] = {"enum": [d.name for d in vocabulary.decisions]}
    rule_ids = sorted(r.id for r in knowledge.rules)  # sorted: the file changes only when rules do
    for key in ("fires", "does_not_fire", "warns"):
        expect[key]["items"] = {"enum": rule_ids}
    schema.pop("title", None)
    return {"$schema": DIALECT, "title": "advisor scenario",
            "description": "A situation for `advisor consult`, with optional expectations for `advisor evaluate`.",
            **schema}


def _format_schema() -> dict[str, Any]:
    """The format's keys and their types, before the vocabulary narrows them (each object's
    keys in alphabetical order, as the committed schema has them)."""
    names = {"items": {"type": "string"}, "type": "array"}
    expectations = {key: dict(sorted({"description": text, "title": key.replace("_", " ").title(), **names}.items()))
                    for key, text in EXPECTATION_KEYS.items()}
    expectations["decisions"] = {"additionalProperties": {"anyOf": [{"type": "string"}, names]},
                                 "description": EXPECTATION_KEYS["decisions"], "title": "Decisions", "type": "object"}
    kinds = {"name": {"minLength": 1, "title": "Name", "type": "string"},
             "description": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None, "title": "Description"},
             "facts": {"additionalProperties": True, "title": "Facts", "type": "object"},
             "expect": {"anyOf": [{"$ref": "#/$defs/Expectations"}, {"type": "null"}], "default": None}}
    properties = {key: dict(sorted({**kinds[key], "description": text}.items()))
                  for key, (text, _) in SCENARIO_KEYS.items()}
    return {"$defs": {"Expectations": {"additionalProperties": False, "description": EXPECTATIONS_DESCRIPTION,
                                       "properties": expectations, "title": "Expectations", "type": "object"}},
            "additionalProperties": False, "properties": properties,
            "required": [key for key, (_, required) in SCENARIO_KEYS.items() if required], "type": "object"}


def fact_schema(fact: FactSpec) -> dict[str, Any]:
    """One fact: its type and values; null means "don't know" (the loader skips it)."""
    schema: dict[str, Any] = {"description": _fact_description(fact)}
    if fact.type == "choice":
        schema["enum"] = [*fact.values, None]
    elif fact.type == "list":
        schema["type"] = ["array", "null"]
        schema["items"] = {"enum": list(fact.values)}
    elif fact.type == "bool":
        schema["type"] = ["boolean", "null"]
    else:
        schema["type"] = ["number", "null"]
        if fact.min is not None:
            schema["minimum"] = _number(fact.min)
        if fact.max is not None:
            schema["maximum"] = _number(fact.max)
    return schema


def decision_schema(decision: DecisionSpec) -> dict[str, Any]:
    choices = {"enum": list(decision.choices)}
    description = f"{decision.title}. " + "; ".join(f"{k}: {v}" for k, v in decision.choices.items())
    if not decision.multiple:
        return {"description": description, **choices}
    # Several choices: the recommended set must equal this list (one choice may be given alone).
    return {"description": description + ". Several choices: list them all.",
            "anyOf": [choices, {"type": "array", "items": choices}]}


def render_schema(knowledge: KnowledgeBase) -> str:
    return json.dumps(scenario_schema(knowledge), indent=2, ensure_ascii=False) + "\n"


def _fact_description(fact: FactSpec) -> str:
    parts = [fact.question, fact.help.strip()]
    if fact.values:
        parts.append("Values: " + "; ".join(f"{k}: {v}" for k, v in fact.values.items()))
    elif fact.type == "number":
        parts.append(f"Allowed: {fact.allowed()}")
    for given in fact.given:  # what the questionnaire adds once earlier answers hold
        labels = "; ".join(f"{k}: {v}" for k, v in given.labels.items())
        parts.append(f"When {given.when}: " + " ".join(p for p in (given.help, labels and f"Values: {labels}") if p))
    return "\n\n".join(p for p in parts if p)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
