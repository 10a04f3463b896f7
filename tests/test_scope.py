"""Scope, declared once in rules/scope.yaml: a moot decision is never recommended, listed open,
asked, drawn, emitted or drilled; incompatible choices never stand together."""

from __future__ import annotations

import random

import pytest

from advisor.azureml import emit
from advisor.drill.questions import build_question, usable_decisions
from advisor.engine.advisor import Advisor
from advisor.errors import KnowledgeError
from advisor.interactive.planner import Planner
from advisor.knowledge.base import build_knowledge, read_sources
from advisor.paths import rules_dir
from advisor.presentation.consultation.data import build_report
from advisor.presentation.consultation.diagram import build_diagram

PREBUILT = {"prebuilt_model_fits": True, "python_preferred": True, "data_format": "unstructured",
            "tolerates_interruption": True,
            "stage": "production", "prediction_timing": "at_set_times", "hyperparameter_expressions": ["uniform"]}
AUTOML = {"algorithm_selection": "automated", "ml_task": "classification",
          "hyperparameter_expressions": ["uniform"], "hard_coded_values": True}


def _moot(consultation) -> set[str]:
    return {d for s in consultation.set_aside for d in s.decisions}


def test_a_prebuilt_model_retires_training_and_deployment_everywhere(advisor, knowledge):
    consultation = advisor.consult(PREBUILT)
    moot = _moot(consultation)
    assert {"processor", "training_compute", "sampling", "endpoint_type", "cluster_tier"} <= moot
    assert not moot & {r.decision for r in consultation.recommendations}
    assert not moot & {o.decision for o in consultation.open_decisions}
    aside = {f.rule_id for f in consultation.fired if f.status == "set_aside"}
    assert {"compute.gpu-for-deep-learning", "deployment.batch-endpoint"} <= aside
    assert consultation.set_aside[0].rules and set(consultation.set_aside[0].rules) <= aside
    # warnings about a moot decision go with it (the low-priority caution is about cluster_tier)
    assert not any(knowledge.rule(w.rule_id).area == "sweep" for w in consultation.warnings)
    report = build_report(consultation, knowledge)
    assert [item.scope for item in report.set_aside] == ["scope.prebuilt-model-fits", "scope.prebuilt-model"]
    # a prebuilt model makes where to train your own moot: the Python preference competes with nothing
    assert consultation.chosen("training_service") == ("ai_services",)
    assert not consultation.recommendation("training_service").contested
    drawn = {line for box in build_diagram(report).boxes for line, _ in box.lines}
    assert not any("Sweep" in line or "open" in line and "sampl" in line.lower() for line in drawn)
    assert "sweep" not in {b.component.id for b in build_diagram(report).boxes}
    plan = emit.plan(consultation, knowledge, "prebuilt")
    assert not plan.files
    assert any("set aside by scope.prebuilt-model" in s.reason for s in plan.skipped)
    assert not moot & set(usable_decisions(consultation, knowledge))


def test_without_the_prebuilt_model_the_same_facts_are_advised_in_full(advisor):
    consultation = advisor.consult({**PREBUILT, "prebuilt_model_fits": False})
    assert not consultation.set_aside
    assert {"processor", "endpoint_type"} <= {r.decision for r in consultation.recommendations}


# Facts that settle the Azure ML-only decisions a prebuilt model makes moot, and the data,
# retraining and monitoring decisions that still apply when a prebuilt model is customized.
CUSTOMIZED_PREBUILT = {"prebuilt_model_fits": True, "data_format": "unstructured", "storage_service": "blob",
                       "data_layout": "folder_of_files", "works_in_notebooks": True, "fixed_working_hours": True,
                       "model_questions": ["which_features_matter"], "retrain_when": "fixed_interval",
                       "uses_ci_cd_tool": True, "ingestion_transform_style": "notebooks",
                       "data_changes_over_time": True, "identity_access_preferred": True}
AZURE_ML_ONLY = {"datastore_type", "datastore_auth", "data_asset_type", "development_compute", "notebook_vm_family",
                 "instance_cost_controls", "retraining_automation", "schedule_trigger", "responsible_ai_components"}


def test_a_prebuilt_model_retires_what_serves_only_azure_ml_jobs_and_keeps_its_data(advisor, knowledge):
    """Datastores, data assets, the notebook compute instance, Azure ML retraining pipelines and the
    Responsible AI dashboard serve models trained in Azure ML; customizing a prebuilt model still
    needs its labelled data stored and moved, retrained when it changes, and monitored."""
    trained = advisor.consult({**CUSTOMIZED_PREBUILT, "prebuilt_model_fits": False})
    decided = {r.decision for r in trained.recommendations}
    assert AZURE_ML_ONLY - {"notebook_vm_family"} <= decided  # the facts settle them when you train
    consultation = advisor.consult(CUSTOMIZED_PREBUILT)
    moot = _moot(consultation)
    assert AZURE_ML_ONLY <= moot
    assert not moot & {r.decision for r in consultation.recommendations}
    assert not moot & {o.decision for o in consultation.open_decisions}
    assert consultation.chosen("training_data_store") == ("blob_storage",)
    assert consultation.chosen("ingestion_tool") == ("databricks",)
    assert consultation.chosen("retraining_trigger")
    assert consultation.recommendation("monitoring") is not None
    entry = knowledge.scope_entry("scope.prebuilt-model")
    assert ".md" not in entry.because and "Responsible AI dashboard" in entry.because
    asked = {q.fact.name for q in Planner(advisor).plan({"prebuilt_model_fits": True}).questions}
    assert not {"works_in_notebooks", "model_questions", "identity_access_preferred"} & asked
    assert {"retrain_when", "ingestion_transform_style"} <= asked


def test_automl_on_tabular_data_has_no_sweep_or_script_advice(advisor, knowledge):
    consultation = advisor.consult(AUTOML)
    assert consultation.chosen("job_type") == ("automl",)
    moot = _moot(consultation)
    assert {"sampling", "early_termination", "script_preparation"} <= moot
    assert not moot & {r.decision for r in consultation.recommendations}
    assert not moot & {o.decision for o in consultation.open_decisions}
    report = build_report(consultation, knowledge)
    assert "sweep" not in {b.component.id for b in build_diagram(report).boxes}
    assert "sweep-job.yml" not in {f.name for f in emit.plan(consultation, knowledge, "automl").files}


def test_automl_for_vision_keeps_its_sweep(advisor):
    """AutoML for images can sweep hyperparameters: only the tabular tasks retire the sweep."""
    consultation = advisor.consult({**AUTOML, "ml_task": "computer_vision"})
    assert "sampling" not in _moot(consultation)
    assert consultation.chosen("sampling")
    assert "script_preparation" in _moot(consultation)


def test_automl_gets_no_notebook_to_script_caution_and_is_not_asked_about_notebooks(advisor):
    """An AutoML job writes no training script: the cautions to turn notebooks into scripts (for
    production, before automating retraining) are set aside with it, in the report's warnings too,
    and the questionnaire does not ask whether the training code lives in notebooks."""
    facts = {**AUTOML, "code_in_notebooks": True, "stage": "production", "retrain_when": "fixed_interval"}
    script_cautions = {"training.scripts-for-production", "mlops.scripts-before-automation"}
    own_script = advisor.consult({**facts, "algorithm_selection": "own_script"})
    assert script_cautions <= {w.rule_id for w in own_script.warnings}
    consultation = advisor.consult(facts)
    assert not script_cautions & {w.rule_id for w in consultation.warnings}
    aside = {f.rule_id for f in consultation.fired if f.status == "set_aside"}
    assert script_cautions <= aside
    asked = {q.fact.name for q in Planner(advisor).plan({"algorithm_selection": "automated",
                                                          "ml_task": "forecasting"}).questions}
    assert "code_in_notebooks" not in asked


def test_a_prebuilt_model_needs_no_azure_ml_workspace_decisions(advisor):
    """With no model of its own to train or deploy there is no workspace to lay out per environment,
    no MLOps stage, no workspace resources, assets, tools or roles; the Responsible AI principles
    still apply to the prebuilt model."""
    facts = {"prebuilt_model_fits": True, "needs_access_separation": True,
             "access_needs": ["grant_access"], "mlops_activities": ["explore_and_train"]}
    trained = advisor.consult({**facts, "prebuilt_model_fits": False})
    assert {"workspace_layout", "rbac_role", "mlops_stage"} <= {r.decision for r in trained.recommendations}
    consultation = advisor.consult(facts)
    moot = _moot(consultation)
    workspace = {"workspace_layout", "mlops_stage", "workspace_resource", "builtin_datastore",
                 "workspace_asset", "developer_tool", "data_uri_protocol", "rbac_role"}
    assert workspace <= moot
    assert not workspace & {r.decision for r in consultation.recommendations}
    assert not workspace & {o.decision for o in consultation.open_decisions}
    assert "responsible_ai_principle" in {o.decision for o in consultation.open_decisions}
    asked = {q.fact.name for q in Planner(advisor).plan({"prebuilt_model_fits": True}).questions}
    assert not {"needs_access_separation", "access_needs", "workspace_needs", "tool_tasks"} & asked


def test_the_questionnaire_asks_nothing_only_moot_decisions_need(advisor):
    planner = Planner(advisor)
    before = {q.fact.name for q in planner.plan({"algorithm_selection": "manual"}).questions}
    after_plan = planner.plan({"algorithm_selection": "automated", "ml_task": "regression"})
    after = {q.fact.name for q in after_plan.questions}
    assert "hyperparameter_expressions" in before and "hard_coded_values" in before
    sweep_facts = {"hyperparameter_expressions", "try_every_combination", "learn_from_previous_trials",
                   "reproducible_results", "termination_style", "hard_coded_values", "max_total_trials"}
    assert "max_total_trials" in before  # a sweep job's trial budget, not AutoML's (max_trials)
    assert not sweep_facts & after
    assert not {r.conclusion.name for r in after_plan.open_rules} & _moot(after_plan.consultation)


def test_a_drill_never_asks_a_moot_decision(advisor, knowledge):
    consultation = advisor.consult(AUTOML)
    assert build_question(consultation, "sampling", knowledge, random.Random(1)) is None
    assert "sampling" not in usable_decisions(consultation, knowledge)


def _texts_with_scope(scope_text: str) -> dict[str, str]:
    texts = read_sources(rules_dir())
    texts["scope.yaml"] = scope_text
    return texts


SOURCE = "https://learn.microsoft.com/en-gb/training/modules/design-machine-learning-model-training-solution/3-choose-service-train"


def test_an_entry_that_reads_what_it_makes_moot_is_refused():
    text = f"""scope:
  - id: scope.circle
    title: circular
    when: {{processor: gpu}}
    decisions: [processor]
    because: circular
    source: {SOURCE}
"""
    with pytest.raises(KnowledgeError, match="reads processor, which it makes moot"):
        build_knowledge(_texts_with_scope(text))


def test_entries_that_decide_each_other_fail_stratification():
    text = f"""scope:
  - id: scope.a
    title: a
    when: {{processor: gpu}}
    decisions: [training_compute]
    because: a
    source: {SOURCE}
  - id: scope.b
    title: b
    when: {{training_compute: compute_cluster}}
    decisions: [processor]
    because: b
    source: {SOURCE}
"""
    with pytest.raises(KnowledgeError, match="cycle"):
        build_knowledge(_texts_with_scope(text))


def test_an_unknown_decision_in_scope_is_refused():
    text = f"""scope:
  - id: scope.typo
    title: typo
    when: {{prebuilt_model_fits: true}}
    decisions: [procesor]
    because: typo
    source: {SOURCE}
"""
    with pytest.raises(KnowledgeError, match="unknown decision 'procesor'"):
        build_knowledge(_texts_with_scope(text))


def test_the_engine_never_recommends_choices_declared_incompatible():
    """The safety net under the lint's proof: if an incompatibility ever holds, the decisions its
    last condition reads are withheld, with a warning."""
    text = f"""incompatible:
  - id: incompatible.gpu-and-cluster
    title: made up to hold
    all:
      - {{processor: gpu}}
      - {{training_compute: compute_cluster}}
    because: only a test
    source: {SOURCE}
"""
    facts = {"data_format": "unstructured", "stage": "production"}
    plain = Advisor(build_knowledge(read_sources(rules_dir()) | {"scope.yaml": "{}"})).consult(facts)
    assert plain.chosen("processor") == ("gpu",) and plain.chosen("training_compute") == ("compute_cluster",)
    guarded = Advisor(build_knowledge(_texts_with_scope(text))).consult(facts)
    assert guarded.chosen("processor") == ("gpu",) and not guarded.chosen("training_compute")
    assert any("incompatible.gpu-and-cluster" in w.message for w in guarded.warnings)


# --- the lint's checks on scope and incompatible choices ----------------------------------------

def _lint(texts: dict[str, str]) -> list:
    from advisor.lint.checks import run_checks
    return run_checks(build_knowledge(texts))


def test_lint_proves_the_shipped_incompatibilities_and_prints_a_witness_for_one_that_can_hold(advisor):
    # That the shipped incompatibilities and scope entries give no finding is test_lint's
    # test_shipped_rule_base_is_clean (no finding of any check), not repeated here.
    shipped = read_sources(rules_dir())["scope.yaml"]
    text = shipped.replace("incompatible:\n", f"""incompatible:
  - id: incompatible.gpu-and-cluster
    title: made up so it can hold
    all:
      - {{scoring_mode: batch}}
      - {{endpoint_type: batch}}
    because: only a test
    source: {SOURCE}
""")
    findings = [f for f in _lint(_texts_with_scope(text)) if f.check == "incompatible"]
    assert [f.subject for f in findings] == ["incompatible.gpu-and-cluster"]
    witness = findings[0].witness
    consultation = advisor.consult(witness)  # the shipped rules
    assert consultation.chosen("scoring_mode") == ("batch",) and consultation.chosen("endpoint_type") == (
        "batch",), "the witness is a scenario where both are recommended"


def test_lint_reports_a_scope_entry_that_never_holds():
    text = f"""scope:
  - id: scope.never
    title: never
    when: {{all: [{{stage: production}}, {{stage: experimentation}}]}}
    decisions: [sampling]
    because: never holds
    source: {SOURCE}
"""
    assert [f.subject for f in _lint(_texts_with_scope(text)) if f.check == "scope-never-holds"] == ["scope.never"]


def test_lint_reports_a_fact_a_scope_entry_stops_asking_that_a_live_rule_still_reads():
    text = f"""scope:
  - id: scope.too-much
    title: stops asking what the processor rules read
    when: {{stage: production}}
    decisions: [sampling]
    facts: [training_too_slow]
    because: a test
    source: {SOURCE}
"""
    findings = [f for f in _lint(_texts_with_scope(text)) if f.check == "scope-fact-still-read"]
    assert findings and all(f.subject == "scope.too-much" for f in findings)
    assert any("compute.gpu-when-training-too-slow" in f.rules for f in findings)
