"""`advisor schema`: the scenario JSON Schema agrees with the scenario loader and the vocabulary."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import SCENARIOS, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

COMMITTED = SCENARIOS / "scenario.schema.json"


@pytest.fixture(scope="module")
def schema(knowledge):
    from advisor.evaluation.schema import scenario_schema

    return scenario_schema(knowledge)


@pytest.fixture(scope="module")
def validator(schema):
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_committed_schema_is_the_output_of_advisor_schema(cli, tmp_path):
    proc = cli("schema")
    assert proc.returncode == 0
    assert COMMITTED.read_text(encoding="utf-8") == proc.stdout, \
        "run: uv run advisor schema -o scenarios/scenario.schema.json"
    out = tmp_path / "s.json"
    assert cli("schema", "--output", str(out)).stdout == ""
    assert out.read_text(encoding="utf-8") == proc.stdout
    assert json.loads(proc.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_shipped_scenario_is_valid(validator):
    files = sorted(p for p in SCENARIOS.rglob("*") if p.suffix in (".yaml", ".yml"))
    assert files
    # libyaml's safe loader where PyYAML has it: the same data, ~8x faster than the Python one
    # over the ~250 files (0.35 -> 0.05 CPU s).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in files:
        errors = [e.message for e in validator.iter_errors(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))]
        assert errors == [], path


def test_facts_follow_the_vocabulary(schema, knowledge):
    facts = schema["properties"]["facts"]
    assert facts["additionalProperties"] is False
    vocabulary = knowledge.vocabulary
    assert list(facts["properties"]) == [f.name for f in vocabulary.input_facts]
    for fact in vocabulary.input_facts:
        prop = facts["properties"][fact.name]
        assert prop["description"].startswith(fact.question)
        assert fact.help.strip() in prop["description"]
        if fact.type == "choice":
            assert prop["enum"] == [*fact.values, None]
        elif fact.type == "list":
            assert prop["type"] == ["array", "null"] and prop["items"]["enum"] == list(fact.values)
        elif fact.type == "bool":
            assert prop["type"] == ["boolean", "null"]
        else:
            assert prop["type"] == ["number", "null"]
            assert (prop.get("minimum"), prop.get("maximum")) == (fact.min, fact.max)
    assert not any(f.name in facts["properties"] for f in vocabulary.facts if f.derived)


def test_expectations_name_decisions_choices_and_rules(schema, knowledge):
    expect = schema["$defs"]["Expectations"]
    assert expect["additionalProperties"] is False and schema["additionalProperties"] is False
    decisions = expect["properties"]["decisions"]
    assert decisions["additionalProperties"] is False
    for decision in knowledge.vocabulary.decisions:
        prop = decisions["properties"][decision.name]
        choices = {"enum": list(decision.choices)}
        if decision.multiple:
            assert prop["anyOf"] == [choices, {"type": "array", "items": choices}]
        else:
            assert prop["enum"] == choices["enum"]
    assert expect["properties"]["open"]["items"]["enum"] == [d.name for d in knowledge.vocabulary.decisions]
    rule_ids = sorted(r.id for r in knowledge.rules)
    for key in ("fires", "does_not_fire", "warns"):
        assert expect["properties"][key]["items"]["enum"] == rule_ids


# --- the schema accepts exactly what `advisor evaluate` accepts ------------------------------

def _verdicts(data, validator, advisor, tmp_path) -> tuple[bool, bool, str]:
    from advisor.evaluation import evaluate_file

    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path = tmp_path / "generated.yaml"
    path.write_text(text, encoding="utf-8")
    result = evaluate_file(str(path), advisor)
    return validator.is_valid(yaml.safe_load(text)), result.status != "error", result.error or text


HAND_PICKED = [
    ({"name": "ok", "facts": {}}, True),
    ({"name": "ok", "description": None, "facts": {"data_format": None}, "expect": None}, True),
    ({"name": "", "facts": {}}, False),
    ({"name": "x"}, False),
    ({"name": "x", "facts": {}, "extra": 1}, False),
    ({"name": "x", "facts": {"data_format": "tabular", "notebook_users": 3}}, True),
    ({"name": "x", "facts": {"notebook_users": 1001}}, False),
    ({"name": "x", "facts": {"notebook_users": True}}, False),
    ({"name": "x", "facts": {"python_preferred": 1}}, False),
    ({"name": "x", "facts": {"access_needs": ["view_only", "view_only"]}}, True),
    ({"name": "x", "facts": {"access_needs": "view_only"}}, False),
    ({"name": "x", "facts": {"workload": "deep_learning"}}, False),  # derived: concluded by rules
    ({"name": "x", "facts": {"processor": "gpu"}}, False),           # a decision, not a fact
    ({"name": "x", "facts": {}, "expect": {"decisions": {"processor": "gpu"}}}, True),
    ({"name": "x", "facts": {}, "expect": {"decisions": {"processor": ["gpu"]}}}, False),
    ({"name": "x", "facts": {}, "expect": {"decisions": {"monitoring": "data_drift"}}}, True),
    ({"name": "x", "facts": {}, "expect": {"decisions": {"monitoring": ["data_drift"]}}}, True),
    ({"name": "x", "facts": {}, "expect": {"decisions": {"monitoring": ["gpu"]}}}, False),
    ({"name": "x", "facts": {}, "expect": {"open": ["processor"], "fires": ["compute.gpu-for-deep-learning"]}}, True),
    ({"name": "x", "facts": {}, "expect": {"warns": ["compute.nope"]}}, False),
    ({"name": "x", "facts": {}, "expect": {"open": "processor"}}, False),
]


@pytest.mark.parametrize("data, valid", HAND_PICKED)
def test_schema_and_evaluate_agree_on_examples(data, valid, validator, advisor, tmp_path):
    by_schema, by_evaluate, detail = _verdicts(data, validator, advisor, tmp_path)
    assert (by_schema, by_evaluate) == (valid, valid), detail


def scenario_documents(knowledge):
    """Scenario documents, mostly valid, each part sometimes wrong in a way a person might get it wrong."""
    return st.composite(lambda draw: _document(draw, knowledge))()


def _document(draw, knowledge):
    vocabulary = knowledge.vocabulary

    def mostly(good, bad):
        return draw(bad if draw(st.integers(0, 9)) == 0 else good)

    junk = st.one_of(st.none(), st.booleans(), st.integers(-5, 2000), st.sampled_from(["", "gpu", "tabular", "x"]),
                     st.lists(st.sampled_from(["view_only", "gpu", "tabular"]), max_size=2))

    def fact_value(fact):
        if fact.type == "choice":
            good = st.sampled_from(list(fact.values))
        elif fact.type == "list":
            good = st.lists(st.sampled_from(list(fact.values)), max_size=3)
        elif fact.type == "bool":
            good = st.booleans()
        else:
            low = -10 if fact.min is None else fact.min
            high = 10_000 if fact.max is None else fact.max
            good = st.one_of(st.integers(int(low) - 2, int(high) + 2),
                             st.floats(low - 1, high + 1, allow_nan=False))
        return mostly(good, junk)

    text = st.text(st.characters(codec="ascii", categories=["L", "N"]), max_size=8)
    data = {"name": mostly(text, st.integers())}
    if draw(st.booleans()):
        data["description"] = mostly(st.one_of(st.none(), text), st.integers())
    facts = {}
    for _ in range(draw(st.integers(0, 6))):
        name = mostly(st.sampled_from([f.name for f in vocabulary.input_facts]),
                      st.sampled_from(["workload", "processor", "no_such_fact"]))
        spec = vocabulary.fact(name)
        facts[name] = fact_value(spec) if spec is not None and not spec.derived else draw(junk)
    data["facts"] = facts
    if draw(st.booleans()):
        decision_names = st.sampled_from([d.name for d in vocabulary.decisions])
        decisions = {}
        for _ in range(draw(st.integers(0, 3))):
            name = mostly(decision_names, st.just("nope"))
            spec = vocabulary.decision(name)
            choices = st.sampled_from(list(spec.choices) if spec else ["a"])
            decisions[name] = mostly(st.one_of(choices, st.lists(choices, max_size=2)), st.just("not_a_choice"))
        rule_ids = st.sampled_from([r.id for r in knowledge.rules])
        expect = {"decisions": decisions,
                  "open": draw(st.lists(decision_names, max_size=2)),
                  "fires": [mostly(rule_ids, st.just("area.not-a-rule")) for _ in range(draw(st.integers(0, 2)))]}
        if draw(st.integers(0, 9)) == 0:
            expect["surprise"] = True
        data["expect"] = draw(st.sampled_from([expect, expect, None, {}]))
    return data


@pytest.fixture(scope="module")
def documents(knowledge):
    return scenario_documents(knowledge)


def test_schema_and_evaluate_agree_on_generated_documents(documents, validator, advisor, tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")

    @settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(documents)
    def agree(data):
        by_schema, by_evaluate, detail = _verdicts(data, validator, advisor, folder)
        assert by_schema == by_evaluate, detail

    agree()
