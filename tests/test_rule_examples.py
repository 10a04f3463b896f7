"""Every rule has a positive and a negative example, run on the real engine.

Like Semgrep or Checkov rule fixtures: tests/rule_examples/<area>.yaml maps each rule id of
rules/<area>.yaml to `fires` and `does_not_fire` lists of input facts. Example files and
rules are discovered (no hand-kept list), so a new rule file or rule needs its examples here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import pytest

from advisor.errors import AdvisorError
from advisor.explain.whynot import condition_failure
from advisor.yamlio import parse_yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = Path(__file__).resolve().parent / "rule_examples"
EXPECTATIONS = ("fires", "does_not_fire")


@dataclass(frozen=True)
class Example:
    rule_id: str
    expectation: str  # "fires" or "does_not_fire"
    index: int
    facts: Any        # as written; validated by the test, so a bad example fails there
    where: str        # file:line, for messages

    @property
    def test_id(self) -> str:
        return f"{self.rule_id}-{self.expectation}-{self.index}"


@dataclass(frozen=True)
class ExampleFiles:
    examples: tuple[Example, ...]
    keyed_rules: dict[str, str]  # rule id -> where it is keyed
    problems: tuple[str, ...]    # structural mistakes in the files


def _read_example_files(directory: Path) -> ExampleFiles:
    examples: list[Example] = []
    keyed: dict[str, str] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        name = str(path.relative_to(ROOT))
        try:
            doc = parse_yaml(path.read_text(encoding="utf-8"), name)
        except (AdvisorError, OSError, UnicodeDecodeError) as exc:
            problems.append(str(exc))
            continue
        if not isinstance(doc.data, dict):
            problems.append(f"{name}: must map rule ids to their examples, got {type(doc.data).__name__}")
            continue
        for rule_id, body in doc.data.items():
            where = f"{name}:{doc.line(rule_id)}"
            if rule_id in keyed:
                problems.append(f"{where}: {rule_id} already has examples at {keyed[rule_id]}")
                continue
            keyed[rule_id] = where
            if str(rule_id).split(".")[0] != path.stem:
                area_file = path.with_name(str(rule_id).split(".")[0] + ".yaml").relative_to(ROOT)
                problems.append(f"{where}: {rule_id} belongs in {area_file} "
                                "(examples live in their rule's area file)")
            if not isinstance(body, dict):
                problems.append(f"{where}: {rule_id} needs a mapping with {' and '.join(EXPECTATIONS)}")
                continue
            for key in body:
                if key not in EXPECTATIONS:
                    problems.append(f"{name}:{doc.line(rule_id, key)}: {rule_id}: unknown key {key!r} "
                                    f"(allowed: {', '.join(EXPECTATIONS)})")
            for expectation in EXPECTATIONS:
                items = body.get(expectation, [])
                if not isinstance(items, list):
                    problems.append(f"{name}:{doc.line(rule_id, expectation)}: {rule_id}.{expectation} "
                                    "must be a list of examples")
                    continue
                for index, facts in enumerate(items):
                    examples.append(Example(str(rule_id), expectation, index, facts,
                                            f"{name}:{doc.line(rule_id, expectation, index)}"))
    return ExampleFiles(tuple(examples), keyed, tuple(problems))


EXAMPLE_FILES = _read_example_files(EXAMPLES_DIR)


# --- helpers -------------------------------------------------------------------

def _validated_facts(example: Example, vocabulary: Any) -> dict[str, Any]:
    """The example's facts in canonical form; a clear test failure for anything invalid."""
    facts = example.facts
    if not isinstance(facts, dict) or not facts:
        pytest.fail(f"{example.where}: an example is a non-empty mapping of input facts, got {facts!r}")
    canonical = {}
    for name, value in facts.items():
        spec = vocabulary.fact(name)
        if spec is None:
            if vocabulary.decision(name) is not None:
                kind = "a decision, which rules recommend; give the input facts that lead to it"
            else:
                close = get_close_matches(str(name), [f.name for f in vocabulary.input_facts], n=3)
                kind = "not in rules/vocabulary.yaml" + (f" (did you mean {', '.join(close)}?)" if close else "")
            pytest.fail(f"{example.where}: {example.rule_id}: unknown fact {name!r}: it is {kind}")
        if spec.derived:
            pytest.fail(f"{example.where}: {example.rule_id}: {name!r} is a derived fact that only rules "
                        "conclude; give the input facts that lead to it instead")
        try:
            canonical[name] = spec.check(value)
        except ValueError as exc:
            problem = str(exc)
        else:
            continue
        pytest.fail(f"{example.where}: {example.rule_id}: fact {name}: {problem}")
    return canonical


def _input_facts_behind(names: frozenset[str], knowledge: Any, seen: frozenset[str] = frozenset()) -> Iterator[str]:
    """Input facts a condition reading `names` depends on, through the rules producing derived
    facts and decisions."""
    for name in names:
        spec = knowledge.vocabulary.fact(name)
        if spec is not None and not spec.derived:
            yield name
            continue
        for producer in knowledge.producers(name):
            if producer.id not in seen:
                yield from _input_facts_behind(producer.reads, knowledge, seen | {producer.id})


# --- tests ---------------------------------------------------------------------

def test_example_files_are_well_formed() -> None:
    assert EXAMPLE_FILES.examples, f"no examples found in {EXAMPLES_DIR}"
    assert not EXAMPLE_FILES.problems, "problems in the rule example files:\n" + "\n".join(EXAMPLE_FILES.problems)


@pytest.mark.parametrize("example", EXAMPLE_FILES.examples, ids=lambda e: e.test_id)
def test_rule_example(example: Example, knowledge: Any, advisor: Any) -> None:
    facts = _validated_facts(example, knowledge.vocabulary)
    rule = knowledge.rule(example.rule_id)
    assert rule is not None, f"{example.where}: unknown rule id {example.rule_id!r}"
    consultation = advisor.consult(facts)

    if example.expectation == "fires":
        if rule.id not in consultation.fired_ids():
            failure = condition_failure(consultation, knowledge, rule)
            reason = (failure.text if failure is not None
                      else "its condition holds on the final values, yet the engine did not fire it")
            pytest.fail(f"{example.where}: {rule.id} should fire on {facts} but did not: {reason} "
                        f"(known after the run: {consultation.values})")
        return

    depends_on = set(_input_facts_behind(rule.reads, knowledge))
    assert depends_on & facts.keys(), (
        f"{example.where}: this negative example of {rule.id} states none of the facts the rule depends "
        f"on ({', '.join(sorted(depends_on))}); make it a near miss of a positive example")
    firing = next((f for f in consultation.fired if f.rule_id == rule.id), None)
    assert firing is None, (
        f"{example.where}: {rule.id} should not fire on {facts} but did, matching "
        + ", ".join(f"{e.name}={e.value} (from {e.origin})" for e in firing.matched))


def test_every_rule_has_a_positive_and_a_negative_example(knowledge: Any) -> None:
    given: dict[str, set[str]] = {}
    for example in EXAMPLE_FILES.examples:
        given.setdefault(example.rule_id, set()).add(example.expectation)
    missing = [f"{rule.id} (rules/{rule.file}): no `{expectation}` example "
               f"in tests/rule_examples/{rule.area}.yaml"
               for rule in knowledge.rules for expectation in EXPECTATIONS
               if expectation not in given.get(rule.id, set())]
    assert not missing, f"{len(missing)} missing rule example(s):\n" + "\n".join(missing)


def test_examples_name_only_known_rules(knowledge: Any) -> None:
    unknown = [f"{where}: unknown rule id {rule_id!r}"
               for rule_id, where in EXAMPLE_FILES.keyed_rules.items() if knowledge.rule(rule_id) is None]
    assert not unknown, "examples keyed by rule ids that are not in rules/*.yaml:\n" + "\n".join(unknown)
