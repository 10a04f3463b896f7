"""The scenario file format: its keys, their descriptions, and the check of a document's shape.

Plain Python, not a pydantic model: reading one scenario is on every consult's path, and
importing pydantic alone costs more than the consultation. The keys below are the one
description of the format; `advisor.evaluation.schema` builds the JSON Schema from them, and
the loader checks the facts and expectations against the vocabulary and the rule base.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from advisor.errors import ScenarioError
from advisor.records import record
from advisor.yamlio import YamlDocument

# key: (description, required). Order is the file's documented order.
SCENARIO_KEYS: dict[str, tuple[str, bool]] = {
    "name": ("A short title for the scenario.", True),
    "description": ("The situation in plain words.", False),
    "facts": ("Facts of the situation, by name (see `advisor vocabulary`).", True),
    "expect": ("Expected results, checked by `advisor evaluate`.", False),
}
EXPECTATIONS_DESCRIPTION = "What a scenario expects of the advisor; every part is optional."
EXPECTATION_KEYS: dict[str, str] = {
    "decisions": "Expected choice per decision (a list for decisions that take several choices).",
    "open": "Decisions expected to stay open.",
    "fires": "Rule ids expected to fire.",
    "does_not_fire": "Rule ids expected not to fire.",
    "warns": "Rule ids expected to raise a warning.",
}


@record
class Expectations:
    """What a scenario expects of the advisor; every part is optional."""

    decisions: dict[str, str | list[str]] = field(default_factory=dict)
    open: list[str] = field(default_factory=list)
    fires: list[str] = field(default_factory=list)
    does_not_fire: list[str] = field(default_factory=list)
    warns: list[str] = field(default_factory=list)


@record
class Scenario:
    """A scenario file's name, facts (as given) and expectations."""

    name: str
    facts: dict[str, Any]
    description: str | None = None
    expect: Expectations | None = None


def scenario_from(document: YamlDocument, where: str) -> Scenario:
    """The scenario a parsed document (a mapping) describes, if its keys and their types fit the
    format; otherwise the ScenarioError naming the first key that does not, with its line.
    Facts are taken as given here: the loader checks them against the vocabulary."""
    data = document.data
    shape = _Shape(document, where)
    shape.known_keys(data, (), SCENARIO_KEYS)
    for key, (_, required) in SCENARIO_KEYS.items():
        if required and key not in data:
            raise ScenarioError(f"missing required key {key!r}", where=where, line=document.line())
    name = shape.text(data["name"], ("name",))
    if not name:
        raise shape.error(("name",), "must not be empty")
    description = data.get("description")
    if description is not None:
        shape.text(description, ("description",))
    facts = shape.mapping(data["facts"], ("facts",), "a mapping of fact names to values")
    expect = data.get("expect")
    return Scenario(name=name, description=description, facts=dict(facts),
                    expect=None if expect is None else _expectations(shape, expect))


def _expectations(shape: _Shape, expect: Any) -> Expectations:
    path = ("expect",)
    shape.mapping(expect, path, "a mapping with any of " + ", ".join(EXPECTATION_KEYS))
    shape.known_keys(expect, path, EXPECTATION_KEYS)
    decisions = shape.mapping(expect.get("decisions", {}), (*path, "decisions"),
                              "a mapping of decisions to choices")
    for name, choice in decisions.items():
        if not isinstance(choice, str):
            shape.texts(choice, (*path, "decisions", name), "a choice or a list of choices")
    lists = {key: shape.texts(expect.get(key, []), (*path, key), "a list of names")
             for key in ("open", "fires", "does_not_fire", "warns")}
    return Expectations(decisions=dict(decisions), **lists)


class _Shape:
    """Checks of a scenario document's keys and types, each error naming its line."""

    def __init__(self, document: YamlDocument, where: str) -> None:  # a plain class: made at every start
        self.document = document
        self.where = where

    def error(self, path: tuple[str, ...], message: str, allowed: str | None = None) -> ScenarioError:
        return ScenarioError(f"{'.'.join(path)}: {message}", where=self.where, line=self.document.line(*path),
                             allowed=allowed)

    def known_keys(self, data: dict[str, Any], path: tuple[str, ...], keys: dict[str, Any]) -> None:
        for key in data:
            if key not in keys:
                raise ScenarioError(f"unknown key {'.'.join((*path, key))!r}", where=self.where,
                                    line=self.document.line(*path, key), allowed=", ".join(keys))

    def text(self, value: Any, path: tuple[str, ...]) -> str:
        if not isinstance(value, str):
            raise self.error(path, f"expected text, not {_kind(value)}")
        return value

    def texts(self, value: Any, path: tuple[str, ...], expected: str) -> list[str]:
        if not isinstance(value, list):
            raise self.error(path, f"expected {expected}, not {_kind(value)}")
        for item in value:
            if not isinstance(item, str):
                raise self.error(path, f"expected {expected}, not a list holding {_kind(item)}")
        return list(value)

    def mapping(self, value: Any, path: tuple[str, ...], expected: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(path, f"expected {expected}, not {_kind(value)}")
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return {str: "text", list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)
