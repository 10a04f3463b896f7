"""The review's annotated fixtures (tests/fixtures/azureml) as rule examples, like Semgrep's
rule beside its annotated test file: a fixture whose header says `# expect: review.x@12` is
where rule review.x fires; any other fixture of a kind the check reads (checks.yaml) is a near
miss where it does not. `advisor rules lint` counts them, so a review check needs no entry in
rules/review.examples.yaml; tests/test_review.py holds every fixture to its header."""

from __future__ import annotations

from pathlib import Path

from advisor.azureml.checks import checks
from advisor.azureml.documents import read_document
from advisor.errors import AdvisorError

FOLDER = Path("tests") / "fixtures" / "azureml"  # below the checkout that holds rules/
PATTERNS = ("flawed/*.yml", "clean/*.yml", "folders/*/*.yml")


def header(text: str) -> dict[str, str]:
    """The `# key: value` annotations before a file's first setting."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        found[key.strip()] = value.strip()
    return found


def expected_rules(text: str) -> set[str]:
    """The rule ids of the `# expect:` header (each may carry `@line`)."""
    items = (item.strip() for item in header(text).get("expect", "").split(","))
    return {item.partition("@")[0].strip() for item in items if item}


def fixture_examples(folder: Path) -> dict[str, set[str]]:
    """Rule id -> which examples the fixtures below `folder` give it: "fires" and/or
    "does_not_fire". A fixture that can't be read gives none."""
    found: dict[str, set[str]] = {}
    declared = checks()
    for path in (p for pattern in PATTERNS for p in sorted(folder.glob(pattern))):
        try:
            document = read_document(path)
        except AdvisorError:
            continue
        expected = expected_rules(document.text)
        for rule_id in expected:
            found.setdefault(rule_id, set()).add("fires")
        for rule_id, check in declared.items():
            if document.kind in check.kinds and rule_id not in expected:
                found.setdefault(rule_id, set()).add("does_not_fire")
    return found


def examples_beside(rules_directory: Path) -> dict[str, set[str]]:
    """The fixture examples of the checkout whose rules/ folder this is (none elsewhere)."""
    folder = Path(rules_directory).resolve().parent / FOLDER
    return fixture_examples(folder) if folder.is_dir() else {}
