"""An existing setup read consistently, and heuristics the guide does not rank shown as such.

All on the real engine with the shipped rule base.
"""

from __future__ import annotations

import shutil
import textwrap

from conftest import ROOT, SCENARIOS, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.lint import lint_rules

POLICIES = ("bandit", "median_stopping", "truncation_selection")


def _warned(consultation) -> set[str]:
    return {w.rule_id for w in consultation.warnings}


# --- an existing sweep ----------------------------------------------------------------------

def test_existing_grid_sweep_over_choice_gets_no_policy(advisor):
    consultation = advisor.consult({"planned_sampling": "grid", "hyperparameter_expressions": ("choice",)})
    assert consultation.chosen("sampling") == ("grid",)
    assert consultation.chosen("early_termination") == ("none",)
    assert "sweep.no-policy-for-grid" in consultation.fired_ids()


def test_existing_grid_sweep_with_a_policy_is_told_it_is_unnecessary(advisor):
    consultation = advisor.consult({"planned_sampling": "grid", "hyperparameter_expressions": ("choice",),
                                    "planned_early_termination": "bandit"})
    assert consultation.chosen("early_termination") == ("none",)
    assert "sweep.grid-policy-unnecessary" in _warned(consultation)


def test_existing_bayesian_sweep_gets_no_policy_beside_the_disagreement(advisor):
    # Before: sampling fell back to random and median stopping was recommended next to the
    # warning saying the advisor picks no policy.
    for policy in (None, *POLICIES):
        facts = {"planned_sampling": "bayesian", "hyperparameter_expressions": ("choice", "uniform")}
        if policy:
            facts["planned_early_termination"] = policy
        consultation = advisor.consult(facts)
        assert consultation.chosen("sampling") == ("bayesian",), facts
        assert consultation.recommendation("early_termination") is None, facts
        # A policy in the file is what the sources disagree about; without one nothing is disputed.
        assert ("sweep.bayesian-early-termination-conflict" in _warned(consultation)) == bool(policy), facts


def test_existing_bayesian_sweep_over_unsupported_expressions_gets_random_advice(advisor):
    consultation = advisor.consult({"planned_sampling": "bayesian", "planned_early_termination": "bandit",
                                    "hyperparameter_expressions": ("choice", "loguniform")})
    assert consultation.chosen("sampling") == ("random",)
    assert "sweep.bayesian-unsupported-expressions" in _warned(consultation)
    assert "sweep.bayesian-early-termination-conflict" not in _warned(consultation)
    assert consultation.chosen("early_termination") == ("median_stopping",)


sweep_facts = st.fixed_dictionaries({}, optional={
    "planned_sampling": st.sampled_from(["grid", "random", "sobol", "bayesian"]),
    "planned_early_termination": st.sampled_from(["none", *POLICIES]),
    "hyperparameter_expressions": st.lists(st.sampled_from(
        ["choice", "randint", "uniform", "loguniform", "normal", "quniform", "qlognormal"]), min_size=1, max_size=3),
    "learn_from_previous_trials": st.booleans(),
    "reproducible_results": st.booleans(),
    "try_every_combination": st.booleans(),
    "termination_style": st.sampled_from(["conservative", "aggressive"]),
    "stop_relative_to": st.sampled_from(["best_trial", "lowest_performers"]),
})


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sweep_facts)
def test_no_warning_withholding_a_decision_fires_beside_a_recommendation_for_it(knowledge, advisor, facts):
    canonical = {k: knowledge.vocabulary.fact(k).check(v) for k, v in facts.items()}
    consultation = advisor.consult(canonical)
    for warning in consultation.warnings:
        rule = knowledge.rule(warning.rule_id)
        for name in rule.conclusion.withholds if rule else ():
            assert consultation.recommendation(name) is None, (warning.rule_id, name, facts)


def test_shipped_scenarios_never_show_a_withheld_decision(knowledge, advisor):
    from advisor.scenarios import load_scenario

    for path in sorted(SCENARIOS.rglob("*.yaml")):
        consultation = advisor.consult(load_scenario(path, knowledge).facts)
        for warning in consultation.warnings:
            for name in knowledge.rule(warning.rule_id).conclusion.withholds:
                assert consultation.recommendation(name) is None, (path.name, warning.rule_id)


# --- an existing cluster ----------------------------------------------------------------------

def test_existing_cluster_is_read_by_the_cluster_rules(advisor):
    consultation = advisor.consult({"planned_cluster_tier": "dedicated", "cluster_max_instances": 4})
    assert consultation.chosen("training_compute") == ("compute_cluster",)
    assert consultation.chosen("cluster_tier") == ("dedicated",)
    # Design facts still decide: interruptible jobs get low-priority advice.
    consultation = advisor.consult({"planned_cluster_tier": "dedicated", "cluster_max_instances": 4,
                                    "tolerates_interruption": True})
    assert consultation.chosen("cluster_tier") == ("low_priority",)


# --- heuristics the guide lists without ranking ------------------------------------------------

def test_large_data_against_python_is_contested_by_the_engine(advisor):
    """The guide ranks none of its service guidelines: distributed data (Synapse or Databricks)
    against Python (Azure ML) is contested, said once, and no other advice rests on either."""
    consultation = advisor.consult({"dataset_size": "large", "python_preferred": True})
    rec = consultation.recommendation("training_service")
    assert rec.contested
    contest = next(w for w in consultation.warnings if w.kind == "contested")
    assert contest.message.startswith("training_service: contested: the guide does not rank these")
    assert "azure_ml" in contest.message and "synapse_or_databricks" in contest.message
    assert "training_service" not in consultation.values
    # Without the competing heuristic there is nothing to weigh.
    quiet = advisor.consult({"dataset_size": "large", "python_preferred": False})
    assert quiet.chosen("training_service") == ("synapse_or_databricks",)
    assert not quiet.recommendation("training_service").contested


def test_full_control_with_large_image_data_trains_in_azure_ml_on_gpus(advisor):
    # Issue 21: Spark distributes only PySpark/Scala/SQL code, so large image data with a Python
    # team and full control is distributed deep learning on an Azure ML GPU cluster, not Databricks.
    consultation = advisor.consult({"dataset_size": "large", "needs_full_training_control": True,
                                    "ml_task": "computer_vision", "python_preferred": True})
    assert consultation.chosen("training_service") == ("azure_ml",)
    assert consultation.chosen("processor") == ("gpu",)
    assert consultation.chosen("distributed_processing") == ("distributed_gpu_training",)
    warned = _warned(consultation)
    assert "services.databricks-versus-gpu-cluster-unranked" not in warned
    assert "services.scale-versus-python-unranked" not in warned


def test_full_control_with_image_data_in_one_service_names_both_candidates(advisor):
    # Full control (Azure ML or Databricks) and one service (Synapse or Databricks) both allow
    # Databricks; deep learning on GPUs still names the Azure ML compute cluster: contested.
    consultation = advisor.consult({"all_data_work_in_one_service": True, "needs_full_training_control": True,
                                    "ml_task": "computer_vision"})
    assert consultation.chosen("training_service") == ("databricks",)
    assert consultation.chosen("processor") == ("gpu",)
    message = next(w.message for w in consultation.warnings
                   if w.rule_id == "services.databricks-versus-gpu-cluster-unranked")
    assert "Azure Databricks" in message and "compute cluster in Azure Machine Learning" in message
    assert consultation.recommendation("training_service").contested
    # With Python too, the service is contested outright (Azure ML against Databricks).
    python = advisor.consult({"all_data_work_in_one_service": True, "needs_full_training_control": True,
                              "ml_task": "computer_vision", "python_preferred": True})
    assert python.recommendation("training_service").contested
    assert "training_service" not in python.values


other_facts = st.fixed_dictionaries({}, optional={
    "ml_task": st.sampled_from(["classification", "regression", "forecasting", "computer_vision", "nlp"]),
    "data_format": st.sampled_from(["tabular", "semi_structured", "unstructured"]),
    "dataset_size": st.sampled_from(["small", "medium", "large"]),
    "stage": st.sampled_from(["experimentation", "production"]),
    "works_in_notebooks": st.booleans(),
})


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(other_facts)
def test_slow_scikit_learn_training_never_gets_a_gpu(knowledge, advisor, facts):
    facts = {**facts, "training_too_slow": True, "framework": "sklearn"}
    consultation = advisor.consult(facts)
    assert "gpu" not in consultation.chosen("processor"), facts
    assert "compute.no-gpu-for-sklearn" in _warned(consultation)
    assert consultation.chosen("distributed_processing") == ("spark",)


# --- the lint check -----------------------------------------------------------------------------

def test_lint_finds_a_warning_that_contradicts_a_recommendation(tmp_path):
    rules = tmp_path / "repo" / "rules"
    rules.mkdir(parents=True)
    for name in ("guide.yaml", "vocabulary.yaml"):
        shutil.copy(ROOT / "rules" / name, rules / name)
    source = ("https://learn.microsoft.com/en-gb/training/modules/perform-hyperparameter-tuning-azure-"
              "machine-learning-pipelines/4-configure-early-termination")
    (rules / "demo.yaml").write_text(textwrap.dedent(f"""\
        title: Demo
        rules:
          - id: demo.policy-for-reproducible
            title: A policy for reproducible sweeps
            section: optimize
            when: {{reproducible_results: true}}
            then: {{recommend: {{early_termination: median_stopping}}}}
            because: Demo.
            source: {source}
          - id: demo.no-policy-claim
            title: Says no policy is picked
            section: optimize
            when: {{planned_sampling: bayesian}}
            then: {{warn: {{message: "The advisor picks no policy here.", withholds: [early_termination]}}}}
            because: Demo.
            source: {source}
          - id: demo.grid-claim
            title: Says no policy is picked, but only where none can be recommended
            section: optimize
            when: {{planned_sampling: grid, reproducible_results: false}}
            then: {{warn: {{message: "The advisor picks no policy here.", withholds: [early_termination]}}}}
            because: Demo.
            source: {source}
        """), encoding="utf-8")
    report = lint_rules(rules)
    found = [f for f in report.findings if f.check == "contradiction"]
    assert [f.rules for f in found] == [("demo.no-policy-claim", "demo.policy-for-reproducible")]
    assert found[0].witness == {"planned_sampling": "bayesian", "reproducible_results": True}
    assert "picks no early_termination here" in found[0].message
