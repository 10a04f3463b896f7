"""`advisor rules lint` on small bad rule sets (tests/lint_fixtures) and on the shipped rule base."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.engine.advisor import Advisor
from advisor.knowledge.base import load_from
from advisor.knowledge.conditions import All, Leaf
from advisor.lint import lint_rules
from advisor.lint.domains import Universe
from advisor.lint.logic import witness_all
from tests.conftest import ROOT

FIXTURES = Path(__file__).parent / "lint_fixtures"
COMPUTE_OPTIONS = ("https://learn.microsoft.com/en-gb/training/modules/"
                   "design-machine-learning-model-training-solution/4-decide-between-compute-options")


def found(report, check: str) -> dict[tuple[str, ...], object]:
    return {f.rules: f for f in report.findings if f.check == check}


# --- the shipped rule base ------------------------------------------------------

def test_shipped_rule_base_is_clean(cli, knowledge):
    result = cli("rules", "lint", "--format", "json")
    report = json.loads(result.stdout)
    assert report["findings"] == [], report["findings"]
    assert report["status"] == "clean" and result.returncode == 0
    assert report["rules"] == len(knowledge.rules)
    if (ROOT.parent / "shared" / "dp100-study-guide.md").is_file():
        assert Path(report["guide_text"]).resolve() == (ROOT.parent / "shared" / "dp100-study-guide.md").resolve()


def test_shipped_rule_base_table_says_clean(cli):
    result = cli("rules", "lint")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("clean: ")


# --- conditions that can never be true ------------------------------------------

def test_never_true_rules(tmp_path, rule_base):
    report = lint_rules(rule_base(folder="repo/rules").add(FIXTURES / "never.yaml").path)
    never = found(report, "never-true")
    assert set(never) == {("never.two-values",), ("never.empty-range",), ("never.only-and-any",),
                          ("never.trial-budget",), ("never.not-unknown",),
                          ("never.unrecommended-choice",), ("never.reads-cpu",)}
    # 1995 trials with 100 hyperparameters is under 20 per hyperparameter: that rule can fire.
    assert ("never.tight-trial-budget",) not in never
    assert "can never all be true" in never[("never.empty-range",)].message
    # Its own condition is fine; it reads a decision value no live rule recommends.
    assert "no live rule produces processor" in never[("never.unrecommended-choice",)].message
    assert never[("never.two-values",)].location == "never.yaml:3"
    assert report.status == "findings" and report.exit_code == 1


def test_choices_only_dead_rules_recommend_are_unreachable(tmp_path, rule_base):
    report = lint_rules(rule_base(folder="repo/rules").add(FIXTURES / "never.yaml").path)
    unreachable = {f.message.split(" is never")[0]: f for f in report.findings if f.check == "unreachable-choice"}
    assert set(unreachable) == {"processor = cpu", "processor = gpu",
                                "vm_family = general_purpose", "vm_family = memory_optimized"}
    assert "only rules that never fire" in unreachable["processor = cpu"].message
    assert "no rule recommends it" in unreachable["processor = gpu"].message


def test_decisions_and_derived_facts_no_rule_produces_are_uncovered(tmp_path, knowledge, rule_base):
    report = lint_rules(rule_base(folder="repo/rules").add(FIXTURES / "never.yaml").path)
    uncovered = {f.subject for f in report.findings if f.check == "uncovered"}
    produced = {"processor", "vm_family"}
    expected = {d.name for d in knowledge.vocabulary.decisions} - produced
    expected |= {f.name for f in knowledge.vocabulary.facts if f.derived}
    assert uncovered == expected


# --- conflicts -------------------------------------------------------------------

def test_conflicts_between_unrelated_rules_at_one_priority(tmp_path, rule_base):
    report = lint_rules(rule_base(folder="repo/rules").add(FIXTURES / "conflict.yaml").path)
    conflicts = found(report, "conflict")
    assert set(conflicts) == {
        ("conflict.gpu-when-slow", "conflict.cpu-for-small-data"),         # overlap, unrelated
        ("conflict.classical-for-tabular", "conflict.deep-for-vision"),    # derived fact
        ("conflict.adls-for-bigger-data", "conflict.sql-for-large-data"),  # narrows, but no more tests
        ("conflict.databricks-for-notebooks", "conflict.azure-ml-for-notebooks"),  # same condition
    }
    # Refinements with more conditions, and different priorities, are deliberate.
    quiet = {"conflict.single-node-when-large-but-fast", "conflict.databricks-for-python-in-databricks",
             "conflict.priority-settles-it"}
    assert not quiet & {rule for f in report.findings if f.check != "no-example" for rule in f.rules}
    assert "narrows" in conflicts[("conflict.adls-for-bigger-data", "conflict.sql-for-large-data")].message
    assert "same situations" in conflicts[("conflict.databricks-for-notebooks",
                                           "conflict.azure-ml-for-notebooks")].message


def test_a_conflict_witness_really_makes_the_engine_report_a_contest(tmp_path, rule_base):
    rules = rule_base(folder="repo/rules").add(FIXTURES / "conflict.yaml").path
    report = lint_rules(rules)
    finding = found(report, "conflict")[("conflict.gpu-when-slow", "conflict.cpu-for-small-data")]
    assert finding.witness == {"dataset_size": "small", "training_too_slow": True}
    consultation = Advisor(load_from(rules)).consult(finding.witness)
    assert consultation.recommendation("processor").contested
    assert {"conflict.gpu-when-slow", "conflict.cpu-for-small-data"} <= consultation.fired_ids()


# --- shadowing -------------------------------------------------------------------

def test_shadowed_rules(tmp_path, rule_base):
    report = lint_rules(rule_base(folder="repo/rules").add(FIXTURES / "shadowed.yaml").path)
    shadowed = {f.rules[0]: set(f.rules[1:]) for f in report.findings if f.check == "shadowed"}
    assert shadowed == {
        "shadowed.cpu-for-small-vision": {"shadowed.gpu-for-vision"},
        # neither spark rule covers both sizes; together they do
        "shadowed.single-node-for-bigger-data": {"shadowed.spark-for-large", "shadowed.spark-for-medium"},
        # same priority, outranked on specificity by a rule that fires whenever it does
        "shadowed.general-purpose-for-notebooks": {"shadowed.memory-optimized-for-notebooks-or-large"},
    }
    assert not found(report, "conflict")  # the specificity case is reported once, as shadowed
    unreachable = [f.message for f in report.findings if f.check == "unreachable-choice"]
    assert any(m.startswith("distributed_processing = single_node") and "shadowed" in m for m in unreachable)


def test_a_shadowed_rule_is_overruled_by_the_engine(tmp_path, rule_base):
    rules = rule_base(folder="repo/rules").add(FIXTURES / "shadowed.yaml").path
    consultation = Advisor(load_from(rules)).consult({"dataset_size": "medium", "works_in_notebooks": True})
    status = {f.rule_id: f.status for f in consultation.fired}
    assert status["shadowed.single-node-for-bigger-data"] == "overruled"
    assert status["shadowed.general-purpose-for-notebooks"] == "overruled"
    # The rule the lint does not call shadowed wins when the size is unknown (three-valued logic).
    consultation = Advisor(load_from(rules)).consult({"data_source": "relational_database"})
    assert consultation.chosen("training_data_store") == ("azure_sql",)


# --- sources, duplicates and rule bases that don't load -------------------------------

def test_sources_missing_from_the_guide_text(tmp_path, rule_base):
    rules = rule_base(folder="repo/rules").add(FIXTURES / "sources.yaml").path
    guide = tmp_path / "shared" / "dp100-study-guide.md"
    guide.parent.mkdir()
    guide.write_text(f"| | [Decide between compute options]({COMPUTE_OPTIONS}) | CPU or GPU |\n")
    report = lint_rules(rules)
    assert report.guide_text == guide
    sources = found(report, "source-not-in-guide")
    assert set(sources) == {("sources.unit-missing-from-text",)}
    assert "does not appear in the study guide text" in sources[("sources.unit-missing-from-text",)].message
    assert sources[("sources.unit-missing-from-text",)].line == 17


def test_guide_text_option_and_sources_outside_guide_yaml(tmp_path, cli, rule_base):
    rules = rule_base(folder="repo/rules").add(FIXTURES / "foreign.yaml").path
    other_guide = tmp_path / "guide.md"
    other_guide.write_text(f"see {COMPUTE_OPTIONS}.\n")
    result = cli("rules", "lint", "--rules-dir", str(rules), "--guide-text", str(other_guide), "--format", "json")
    assert result.returncode == 2, result.stderr
    report = json.loads(result.stdout)
    assert report["status"] == "error" and report["guide_text"] == str(other_guide)
    checks = {(f["check"], tuple(f["rules"])) for f in report["findings"]}
    assert checks == {("source-not-in-guide", ("foreign.blog-post",)), ("load-error", ("foreign.blog-post",))}


def test_duplicate_ids_are_listed_with_every_place(tmp_path, cli, rule_base):
    rules = rule_base(folder="repo/rules").add(FIXTURES / "duplicate.yaml").path
    result = cli("rules", "lint", "--rules-dir", str(rules), "--format", "json")
    assert result.returncode == 2
    findings = json.loads(result.stdout)["findings"]
    duplicate = next(f for f in findings if f["check"] == "duplicate-id")
    assert duplicate["rules"] == ["duplicate.gpu"]
    assert "duplicate.yaml:3" in duplicate["message"] and "duplicate.yaml:11" in duplicate["message"]
    assert findings[-1]["check"] == "load-error"


def test_unknown_fact_is_an_error_finding_not_a_traceback(tmp_path, cli, rule_base):
    rules = rule_base(folder="repo/rules").add(FIXTURES / "unknown.yaml").path
    result = cli("rules", "lint", "--rules-dir", str(rules))
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "load-error" in result.stdout and "video_frames" in result.stdout
    assert "unknown.yaml:3" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("error: ")


def test_missing_rules_folder_is_an_error(tmp_path, cli):
    result = cli("rules", "lint", "--rules-dir", str(tmp_path / "nowhere"), "--format", "json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["findings"][0]["check"] == "load-error"


def test_missing_guide_text_file_is_a_user_error(tmp_path, cli):
    result = cli("rules", "lint", "--guide-text", str(tmp_path / "no-guide.md"))
    assert result.returncode == 2
    assert result.stderr.startswith("advisor: error: ") and "no-guide.md" in result.stderr


def test_table_lists_findings_with_an_example_situation(tmp_path, cli, rule_base):
    rules = rule_base(folder="repo/rules").add(FIXTURES / "conflict.yaml").path
    result = cli("rules", "lint", "--rules-dir", str(rules))
    assert result.returncode == 1, result.stderr
    assert "conflict.gpu-when-slow" in result.stdout
    assert "e.g. when dataset_size = small, training_too_slow = true" in result.stdout
    assert "findings in" in result.stdout.splitlines()[-1]


# --- the reasoning itself ------------------------------------------------------------

OPS = st.sampled_from(["eq", "ne", "gt", "ge", "lt", "le"])


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.tuples(OPS, st.integers(0, 20)), min_size=1, max_size=4))
def test_number_reasoning_matches_brute_force(knowledge, parts):
    """Thresholds, the gaps between them and the bounds decide every mix of comparisons."""
    condition = All(tuple(Leaf("notebook_users", op, bound) for op, bound in parts))
    universe = Universe(knowledge.vocabulary, None)
    grid = [x / 2 for x in range(0, 43)] + [1000]  # notebook_users is 0..1000
    from advisor.knowledge.conditions import leaf_holds

    brute = any(all(leaf_holds(op, x, bound) for op, bound in parts) for x in grid)
    assert (witness_all([condition], universe) is not None) == brute


@pytest.mark.parametrize("times", [20, 0.5])
def test_fact_to_fact_comparisons_carry_thresholds(knowledge, times):
    from advisor.knowledge.conditions import FactRef

    universe = Universe(knowledge.vocabulary, None)
    # tuned_hyperparameter_count is 1..100: trials can be below times × count only under times × 100
    top = times * 100
    below = Leaf("max_total_trials", "lt", FactRef("tuned_hyperparameter_count", times))
    assert witness_all([All((below, Leaf("max_total_trials", "ge", top - 1)))], universe) is not None
    assert witness_all([All((below, Leaf("max_total_trials", "ge", top)))], universe) is None
