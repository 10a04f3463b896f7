"""Read and validate scenario files: every error names the file, the line and what is allowed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from advisor.errors import AdvisorError, ScenarioError
from advisor.knowledge import KnowledgeBase, load_knowledge
from advisor.scenarios.model import Scenario, scenario_from
from advisor.yamlio import YamlDocument, parse_yaml, read_text_file


def load_scenario(path: str | Path, knowledge: KnowledgeBase | None = None) -> Scenario:
    """Load one scenario file; raise ScenarioError with a clear message on any problem."""
    path = Path(path)
    text = read_text_file(path, "a scenario YAML file", ScenarioError)
    return parse_scenario(text, str(path), knowledge)


def parse_scenario(text: str, where: str, knowledge: KnowledgeBase | None = None, *,
                   default_name: str | None = None) -> Scenario:
    """`default_name`: the name of a scenario that gives none (one piped in, facts from Python)."""
    knowledge = knowledge or load_knowledge()
    if not text.strip():
        raise ScenarioError("file is empty; expected a mapping with name and facts", where=where)
    try:
        document = parse_yaml(text, where)
    except AdvisorError as exc:
        raise ScenarioError(exc.message, where=exc.where, line=exc.line) from None
    if not isinstance(document.data, dict):
        kind = type(document.data).__name__ if document.data is not None else "nothing"
        raise ScenarioError(f"top level is {_kind(kind)}; expected a mapping with name and facts",
                            where=where, line=1)
    if default_name is not None and "name" not in document.data:
        document.data["name"] = default_name
    scenario = scenario_from(document, where)
    facts = _check_facts(scenario.facts, document, where, knowledge)
    if scenario.expect is not None:
        _check_expectations(scenario, document, where, knowledge)
    return replace(scenario, facts=facts)


def _kind(name: str) -> str:
    return {"list": "a list", "str": "a string", "int": "a number", "float": "a number",
            "bool": "a boolean", "nothing": "empty"}.get(name, name)


def _check_facts(facts: dict[str, Any], document: YamlDocument, where: str,
                 knowledge: KnowledgeBase) -> dict[str, Any]:
    vocabulary = knowledge.vocabulary
    checked: dict[str, Any] = {}
    for name, value in facts.items():
        spec = vocabulary.fact(name) if isinstance(name, str) else None
        if spec is None:
            raise ScenarioError(f"unknown fact {name!r}{_fact_hint(str(name), knowledge)}", where=where,
                                line=document.line("facts", name), allowed="the facts listed by `advisor vocabulary`")
        if spec.derived:
            raise ScenarioError(f"fact {name!r} is concluded by rules and can't be given", where=where,
                                line=document.line("facts", name))
        if value is None:
            continue  # an explicit "don't know"
        try:
            checked[name] = spec.check(value)
        except ValueError as exc:
            raise ScenarioError(f"facts.{name}: {exc}", where=where, line=document.line("facts", name)) from None
    return checked


def _fact_hint(name: str, knowledge: KnowledgeBase) -> str:
    vocabulary = knowledge.vocabulary
    if vocabulary.decision(name):
        return " (that is a decision the advisor makes, not a fact)"
    import difflib  # only for a misspelt fact: not on every scenario's path

    close = difflib.get_close_matches(name, [f.name for f in vocabulary.input_facts], n=2)
    return f"; did you mean {' or '.join(close)}?" if close else ""


def _check_expectations(scenario: Scenario, document: YamlDocument, where: str,
                        knowledge: KnowledgeBase) -> None:
    expect = scenario.expect
    assert expect is not None
    vocabulary = knowledge.vocabulary
    for name, choice in expect.decisions.items():
        spec = vocabulary.decision(name)
        valid = spec is not None and isinstance(choice, str) and choice in spec.choices  # the line only for an error
        line = None if valid else document.line("expect", "decisions", name)
        if spec is None:
            raise ScenarioError(f"expect.decisions: unknown decision {name!r}", where=where, line=line,
                                allowed=", ".join(d.name for d in vocabulary.decisions))
        if not isinstance(choice, str) and not spec.multiple:
            raise ScenarioError(f"expect.decisions.{name}: {name} takes a single choice, not a list", where=where,
                                line=line, allowed="one of " + ", ".join(spec.choices))
        for value in ([choice] if isinstance(choice, str) else choice):
            if value not in spec.choices:
                raise ScenarioError(f"expect.decisions.{name}: unknown choice {value!r}", where=where,
                                    line=line, allowed=", ".join(spec.choices))
    for name in expect.open:
        if vocabulary.decision(name) is None:
            raise ScenarioError(f"expect.open: unknown decision {name!r}", where=where,
                                line=document.line("expect", "open"))
    for key in ("fires", "does_not_fire", "warns"):
        for rule_id in getattr(expect, key):
            if knowledge.rule(rule_id) is None:
                raise ScenarioError(f"expect.{key}: unknown rule {rule_id!r}", where=where,
                                    line=document.line("expect", key),
                                    allowed="see `advisor rules list`")
