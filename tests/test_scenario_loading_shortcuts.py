"""Scenario loading's shortcuts give the answers the long way gives: a document parsed without
its lines still names the line of every error, and a fact value accepted once is accepted
again only when it is the same value of the same type."""

from __future__ import annotations

import pytest

from advisor.errors import ScenarioError
from advisor.scenarios.loader import parse_scenario
from advisor.yamlio import parse_yaml

# (text, the error's line, words the message holds)
BROKEN = [
    ("name: a\nfacts:\n  data_format: tabular\n  data_format: images\n", 4, "first on line 3"),
    ("name: a\nfacts: &x\n  data_format: tabular\nexpect: *x\n", 4, "aliases"),
    ("base: &b {data_format: tabular}\nname: a\nfacts:\n  <<: *b\n", 4, "merge keys"),
    ("name: a\nfacts:\n  notebook_users: .nan\n", 3, "finite"),
    ("name: a\nfacts:\n  ? [a, b]\n  : 1\n", 3, "plain text"),
    ("name: a\nfacts:\n  data_formatt: tabular\n", 3, "unknown fact"),
    ("name: a\nfacts:\n  data_format: tabular\n\nexpect:\n  decisions:\n    processor: tpu\n", 7, "unknown choice"),
    ("name: a\nfacts:\n  - data_format\n", 2, "a mapping of fact names"),
    ("name: a\nfacts:\n  data_format: tabular\nextra: 1\n", 4, "unknown key"),
    ("name: a\nfacts:\n  data_format: tabular\n  notebook_users: -5\n", 4, "out of range"),
]


@pytest.mark.parametrize(("text", "line", "words"), BROKEN)
def test_an_error_names_its_line(knowledge, text, line, words):
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml", knowledge)
    assert caught.value.line == line
    assert words in caught.value.message


def test_a_document_without_lines_finds_them_when_asked():
    text = "name: a\nfacts:\n  data_format: tabular\n  mlops_activities:\n  - deploy_model\n"
    quick, full = parse_yaml(text, "s.yaml", lines=False), parse_yaml(text, "s.yaml")
    assert quick.data == full.data
    assert quick.lines is None  # not worked out until asked
    assert quick.line("facts", "mlops_activities", 0) == full.line("facts", "mlops_activities", 0) == 5
    assert quick.lines == full.lines


def test_an_accepted_value_is_accepted_again_only_with_its_type(knowledge):
    ok = parse_scenario("name: a\nfacts:\n  works_in_notebooks: true\n  notebook_users: 5\n", "a.yaml", knowledge)
    assert ok.facts == {"works_in_notebooks": True, "notebook_users": 5}
    # 1 == True and hashes alike, but 1 is not a boolean
    with pytest.raises(ScenarioError, match="is not true or false"):
        parse_scenario("name: b\nfacts:\n  works_in_notebooks: 1\n", "b.yaml", knowledge)
    again = parse_scenario("name: c\nfacts:\n  notebook_users: 5.0\n", "c.yaml", knowledge)
    assert type(again.facts["notebook_users"]) is float
