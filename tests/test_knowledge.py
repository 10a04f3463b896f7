"""The knowledge base: coverage of the guide, sources, and clear errors for bad rule files."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from advisor.errors import KnowledgeError

GUIDE_FILE = ROOT.parent / "shared" / "dp100-study-guide.md"
LANGUAGE_MODELS_FILE = ROOT.parent / "shared" / "dp100-language-models.md"  # exam domain 4
SOURCE = ("https://learn.microsoft.com/en-gb/training/modules/"
          "perform-hyperparameter-tuning-azure-machine-learning-pipelines/3-configure-sampling-method")


def test_rule_base_covers_the_whole_guide(knowledge):
    assert len(knowledge.rules) >= 60
    assert {r.section for r in knowledge.rules} == set(knowledge.guide.section_ids)
    assert len(knowledge.guide.sections) == 7  # the study guide's six, and the exam's language-model domain


def test_every_decision_has_a_rule(knowledge):
    uncovered = [d.name for d in knowledge.vocabulary.decisions if not knowledge.producers(d.name)]
    assert uncovered == []


@pytest.mark.skipif(not GUIDE_FILE.exists(), reason="the study guide (../shared) is not beside this clone")
def test_guide_units_match_the_study_guide(knowledge):
    text = GUIDE_FILE.read_text(encoding="utf-8")
    urls_in_guide = set(re.findall(r"https://learn\.microsoft\.com/en-gb/training/modules/[^)\s]+", text))
    listed = {u.url for u in knowledge.guide.units if u.section != "language-models"}
    assert listed == urls_in_guide
    if LANGUAGE_MODELS_FILE.exists():  # domain 4's units and pages come from its own source file
        text += LANGUAGE_MODELS_FILE.read_text(encoding="utf-8")
    for rule in knowledge.rules:
        if rule.section == "language-models" and not LANGUAGE_MODELS_FILE.exists():
            continue
        assert rule.source in text, rule.id


def test_every_rule_cites_a_unit_of_its_guide(knowledge):
    for rule in knowledge.rules:
        unit = knowledge.guide.unit(rule.source)
        assert unit is not None, rule.id


def test_chains_are_stratified(knowledge):
    """A rule always sits in a later stratum than every rule producing what it reads."""
    for rule in knowledge.rules:
        for name in rule.reads:
            for producer in knowledge.producers(name):
                assert producer.stratum < rule.stratum, (producer.id, rule.id)
    assert max(r.stratum for r in knowledge.rules) >= 2  # real multi-step chains exist


# --- loader errors -------------------------------------------------------------

def _rule(**overrides: str) -> str:
    fields = {
        "id": "sweep.example",
        "title": "Example",
        "section": "optimize",
        "when": "{reproducible_results: true}",
        "then": "{recommend: {sampling: sobol}}",
        "because": "Sobol takes a seed.",
        "source": SOURCE,
    }
    fields.update(overrides)
    lines = [f"    {k}: {v}" for k, v in fields.items() if v is not None]
    return "title: Test\nrules:\n  -\n" + "\n".join(lines) + "\n"


def test_a_valid_rule_loads(rule_base):
    knowledge = rule_base().write("sweep.yaml", _rule()).load()
    assert [r.id for r in knowledge.rules] == ["sweep.example"]


@pytest.mark.parametrize(("overrides", "message"), [
    ({"when": "{reproducible: true}"}, "unknown fact or decision 'reproducible'"),
    ({"when": "{dataset_size: huge}"}, "unknown value 'huge'"),
    ({"when": "{dataset_size: {gt: 3}}"}, "operator 'gt' does not apply to a choice"),
    ({"then": "{recommend: {sampler: sobol}}"}, "unknown decision 'sampler'"),
    ({"then": "{recommend: {sampling: halton}}"}, "unknown choice 'halton'"),
    ({"then": "{conclude: {dataset_size: large}}"}, "rules may only conclude derived facts"),
    ({"source": None}, "source: Field required"),
    ({"source": "https://example.com/not-in-guide"}, "is not a unit URL of the study guide"),
    ({"section": "deployment"}, "unknown section 'deployment'"),
    ({"id": "Bad Id"}, "ids look like area.short-name"),
    ({"id": "compute.example"}, "id must start with the file's area 'sweep.'"),
    ({"when": "{monitoring: data_drift}"}, "can take several choices at once"),
])
def test_bad_rules_fail_with_file_rule_and_reason(rule_base, overrides, message):
    with pytest.raises(KnowledgeError) as excinfo:
        rule_base().write("sweep.yaml", _rule(**overrides)).load()
    text = excinfo.value.render()
    assert message in text
    assert text.startswith("sweep.yaml")


def test_duplicate_rule_ids_are_refused(rule_base):
    body = _rule() + "\n".join(_rule().splitlines()[2:]) + "\n"
    with pytest.raises(KnowledgeError, match="duplicate rule id 'sweep.example'"):
        rule_base().write("sweep.yaml", body).load()


def test_cycles_between_rules_are_refused(rule_base):
    body = """\
        title: Cycle
        rules:
          - id: sweep.a
            title: A
            section: optimize
            when: {search_space: discrete}
            then: {recommend: {sampling: grid}}
            because: x
            source: SOURCE_URL
          - id: sweep.b
            title: B
            section: optimize
            when: {sampling: grid}
            then: {conclude: {search_space: discrete}}
            because: x
            source: SOURCE_URL
        """.replace("SOURCE_URL", SOURCE)
    with pytest.raises(KnowledgeError, match="cycle"):
        rule_base().write("sweep.yaml", body).load()


def test_malformed_rule_yaml_names_the_line(rule_base):
    with pytest.raises(KnowledgeError) as excinfo:
        rule_base().write("sweep.yaml", "title: x\nrules:\n  - id: [unclosed\n").load()
    assert excinfo.value.where == "sweep.yaml"
    assert excinfo.value.line is not None
