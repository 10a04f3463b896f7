"""What a user reads in a report (rule rationales, warnings, scope reasons) names public sources,
never a file of this project or of its notes."""

from __future__ import annotations

import re

INTERNAL = re.compile(r"[\w-]+\.md\b|rules/[\w-]+\.yaml|shared/")


def _texts(knowledge):
    for rule in knowledge.rules:
        yield rule.id, rule.because
        if rule.conclusion.kind == "warn":
            yield rule.id, str(rule.conclusion.value)
    for entry in (*knowledge.scope, *knowledge.incompatible):
        yield entry.id, entry.because


def test_no_rationale_names_an_internal_file(knowledge):
    named = [(where, m.group()) for where, text in _texts(knowledge) for m in INTERNAL.finditer(text)]
    assert named == []


def test_the_check_sees_a_file_name_in_a_rationale():
    assert INTERNAL.search("thresholds (azureml-facts.md, AutoML)")
    assert INTERNAL.search("dates in ../shared/dp100-language-models.md")
    assert not INTERNAL.search("learn.microsoft.com/azure/machine-learning/how-to-configure-auto-train")
