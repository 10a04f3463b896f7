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
        document = parse_yaml(text, where, lines=False)  # lines: only an error names one
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


# (name, value's class, value) that a vocabulary's check accepted as they are: the same
# answers (choices, booleans) come back in every file of a batch, and a check of ~80 facts
# was ~5% of evaluating a file. Only values the check returns unchanged are kept (not lists,
# which it turns into tuples); numbers can take many values, hence the limit.
_ACCEPTED_LIMIT = 100_000
_accepted: tuple[Any, set[tuple[str, type, Any]]] = (None, set())


def _check_facts(facts: dict[str, Any], document: YamlDocument, where: str,
                 knowledge: KnowledgeBase) -> dict[str, Any]:
    global _accepted
    vocabulary = knowledge.vocabulary
    if _accepted[0] is not vocabulary:
        _accepted = (vocabulary, set())
    accepted = _accepted[1]
    checked: dict[str, Any] = {}
    for name, value in facts.items():
        key = (name, value.__class__, value)  # the class too: True == 1, but a check tells them apart
        try:
            if key in accepted:
                checked[name] = value
                continue
        except TypeError:  # a list: checked below
            key = None
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
            checked[name] = canonical = spec.check(value)
        except ValueError as exc:
            raise ScenarioError(f"facts.{name}: {exc}", where=where, line=document.line("facts", name)) from None
        if key is not None and canonical is value:
            if len(accepted) >= _ACCEPTED_LIMIT:
                accepted.clear()
            accepted.add(key)
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
        if spec is None:
            raise ScenarioError(f"expect.decisions: unknown decision {name!r}", where=where,
                                line=document.line("expect", "decisions", name),
                                allowed=", ".join(d.name for d in vocabulary.decisions))
        if not isinstance(choice, str) and not spec.multiple:
            raise ScenarioError(f"expect.decisions.{name}: {name} takes a single choice, not a list", where=where,
                                line=document.line("expect", "decisions", name),
                                allowed="one of " + ", ".join(spec.choices))
        for value in ([choice] if isinstance(choice, str) else choice):
            if value not in spec.choices:
                raise ScenarioError(f"expect.decisions.{name}: unknown choice {value!r}", where=where,
                                    line=document.line("expect", "decisions", name), allowed=", ".join(spec.choices))
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
