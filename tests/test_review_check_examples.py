"""A review check's annotated fixture is its example (issue 24): `advisor rules lint` counts a
fixture whose `# expect:` header names a rule as the rule's `fires` example, and a fixture of
a kind the check reads that doesn't expect it as its near miss, so adding a check needs no
rules/review.examples.yaml entry (docs/adding-a-review-check.md)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import RuleBase
from review_fixtures import FIXTURES

from advisor.azureml.checks import checks
from advisor.azureml.fixtures import examples_beside, expected_rules, fixture_examples
from advisor.lint import lint_rules

ROOT = Path(__file__).resolve().parents[1]
RULE = "review.instance-never-stops"


def _without_examples(rules: Path, rule_id: str) -> None:
    """Drop one rule's entry from the copied review.examples.yaml."""
    path = rules / "review.examples.yaml"
    text = path.read_text(encoding="utf-8")
    entry = re.compile(rf"^{re.escape(rule_id)}:\n(?:[ #].*\n|\n)*?(?=^\S)", re.MULTILINE)
    shorter, count = entry.subn("", text)
    assert count == 1
    path.write_text(shorter, encoding="utf-8")


def _no_example_rules(report) -> set[str]:
    return {rule for f in report.findings if f.check == "no-example" for rule in f.rules}


def test_a_review_check_without_an_examples_entry_is_covered_by_its_fixtures(tmp_path):
    checkout = tmp_path / "repo"
    RuleBase(checkout / "rules", also=("review.yaml", "review.examples.yaml"))  # the review area is enough
    _without_examples(checkout / "rules", RULE)
    alone = lint_rules(checkout / "rules")
    assert RULE in _no_example_rules(alone)  # no fixtures beside these rules: the entry is missed
    assert "# expect:" in next(f.message for f in alone.findings if RULE in f.rules)
    shutil.copytree(FIXTURES, checkout / "tests" / "fixtures" / "azureml")
    assert RULE not in _no_example_rules(lint_rules(checkout / "rules"))


def test_fixture_examples_come_from_headers_and_the_kinds_a_check_reads():
    found = fixture_examples(FIXTURES)
    assert found[RULE] == {"fires", "does_not_fire"}  # flawed/instance-never-stops.yml; clean instances
    assert examples_beside(ROOT / "rules") == found
    # only rules a header names or checks.yaml lists get examples from fixtures
    named = set().union(*(expected_rules(p.read_text(encoding="utf-8")) for p in FIXTURES.rglob("*.yml")))
    assert set(found) <= named | set(checks()) and named - {RULE} <= set(found)
    assert all(v == {"does_not_fire"} for k, v in found.items() if k not in named)


def test_the_header_parser_reads_rules_and_lines():
    assert expected_rules("# expect: review.a@3, review.b\n# facts: stage=production\nname: x\n") == \
        {"review.a", "review.b"}
    assert expected_rules("name: x\n# expect: review.a\n") == set()
