"""The experta engine on the real rule base: chaining, overrides, contests, trace and reuse."""

from __future__ import annotations

import textwrap

import pytest

from advisor.engine.advisor import Advisor

SOURCE = ("https://learn.microsoft.com/en-gb/training/modules/"
          "perform-hyperparameter-tuning-azure-machine-learning-pipelines/3-configure-sampling-method")


def test_unstructured_data_chains_to_gpu(advisor):
    result = advisor.consult({"data_format": "unstructured"})
    assert result.chosen("processor") == ("gpu",)
    assert result.derived["workload"].value == "deep_learning"
    assert result.derived["workload"].origin == "compute.unstructured-is-deep-learning"
    [tree] = result.derivation("processor", "gpu")
    assert tree.rule_id == "compute.gpu-for-deep-learning"
    [child] = tree.children
    assert child.rule_id == "compute.unstructured-is-deep-learning"
    assert [(e.name, e.value, e.origin) for e in child.facts] == [("data_format", "unstructured", "user")]


def test_three_step_chain_reaches_the_users_facts(advisor):
    result = advisor.consult({"stage": "production", "tolerates_interruption": True})
    [tree] = result.derivation("cluster_tier", "low_priority")
    assert tree.rule_id == "compute.low-priority-when-interruptible"
    assert [c.rule_id for c in tree.children] == ["compute.cluster-for-production"]
    assert {(e.name, e.origin) for e in tree.facts} == {
        ("training_compute", "compute.cluster-for-production"), ("tolerates_interruption", "user")}


def test_higher_priority_overrules_and_both_are_kept(advisor):
    result = advisor.consult({"data_format": "unstructured", "dataset_size": "large"})
    rec = result.recommendation("training_data_store")
    assert rec.choice == "adls_gen2"
    assert rec.rules == ("services.adls-for-large-data",)
    [alternative] = rec.alternatives
    assert alternative.choice == "blob_storage"
    assert alternative.rules == ("services.blob-for-unstructured",)
    assert "higher priority (10 over 0)" in alternative.reason
    overruled = [f for f in result.fired if f.rule_id == "services.blob-for-unstructured"]
    assert overruled[0].status == "overruled"


def test_slow_training_moves_small_tabular_work_to_gpu_with_low_certainty(advisor):
    """The docs say GPU when training on CPU takes too long; the guide hedges, so certainty is low."""
    result = advisor.consult({"data_format": "tabular", "dataset_size": "small", "training_too_slow": True})
    rec = result.recommendation("processor")
    assert rec.choice == "gpu" and rec.certainty == 0.6
    assert rec.alternatives[0].choice == "cpu"
    assert "higher priority (5 over 0)" in rec.alternatives[0].reason
    assert result.chosen("vm_family") == ()  # the CPU family rules read the winner only


def test_more_specific_rule_wins_at_equal_priority(advisor):
    result = advisor.consult({"prediction_timing": "as_data_arrives", "manage_own_kubernetes": True})
    rec = result.recommendation("endpoint_type")
    assert rec.choice == "kubernetes_online"
    assert "more specific (2 conditions over 1)" in rec.alternatives[0].reason
    # Downstream rules read the winner only: the deployment compute follows Kubernetes.
    assert result.chosen("deployment_compute") == ("kubernetes_cluster",)


def test_an_override_is_settled_before_anything_reads_it(advisor):
    """Sobol (priority 10) overrides Bayesian; the early-termination rules see sobol only."""
    result = advisor.consult({
        "hyperparameter_expressions": ["choice", "uniform"],
        "learn_from_previous_trials": True,
        "reproducible_results": True,
    })
    assert result.chosen("sampling") == ("sobol",)
    assert result.chosen("early_termination") == ("median_stopping",)
    assert "sweep.bayesian-early-termination-conflict" not in result.fired_ids()


def test_unknown_facts_never_fire_rules(advisor):
    """`not` is three-valued: not knowing the access needs fires no role rule."""
    assert advisor.consult({}).recommendations == []
    result = advisor.consult({"access_needs": ["run_experiments"]})
    assert result.chosen("rbac_role") == ("azureml_data_scientist",)
    result = advisor.consult({"access_needs": ["run_experiments", "full_access"]})
    assert result.chosen("rbac_role") == ("contributor",)


def test_multiple_choice_decisions_keep_every_choice(advisor):
    result = advisor.consult({"model_questions": ["which_subgroups_err", "effect_of_intervention"]})
    assert result.chosen("responsible_ai_components") == ("error_analysis", "causal_analysis")


def test_sources_disagree_is_a_warning_not_a_choice(advisor):
    result = advisor.consult({
        "hyperparameter_expressions": ["choice", "uniform"],
        "learn_from_previous_trials": True,
    })
    assert result.chosen("sampling") == ("bayesian",)
    assert result.chosen("early_termination") == ()
    [warning] = [w for w in result.warnings if w.rule_id == "sweep.bayesian-early-termination-conflict"]
    assert warning.kind == "sources_disagree"


def test_fact_to_fact_comparison(advisor):
    facts = {"planned_sampling": "bayesian", "hyperparameter_expressions": ["choice"],
             "tuned_hyperparameter_count": 3}
    low = advisor.consult({**facts, "max_total_trials": 40})
    high = advisor.consult({**facts, "max_total_trials": 60})
    assert "sweep.bayesian-trial-budget" in low.fired_ids()
    assert "sweep.bayesian-trial-budget" not in high.fired_ids()


def test_open_decisions_name_the_facts_that_would_settle_them(advisor):
    result = advisor.consult({"stage": "production"})
    open_ = {o.decision: o.settled_by for o in result.open_decisions}
    assert "tolerates_interruption" in open_["cluster_tier"]
    # Nothing can reach the instance controls without notebook work being possible: still listed
    # through the facts that would make a compute instance the development compute.
    assert "works_in_notebooks" in open_["instance_cost_controls"]
    assert "cluster_tier" not in {r.decision for r in result.recommendations}


def test_certainty_combines_supporting_rules(advisor):
    result = advisor.consult({"stage": "production", "algorithm_selection": "own_script"})
    rec = result.recommendation("training_compute")
    assert set(rec.rules) == {"compute.cluster-for-production", "compute.cluster-for-jobs"}
    strengths = [f.certainty for f in result.fired if f.rule_id in rec.rules]
    expected = strengths[0] + strengths[1] * (1 - strengths[0])
    assert rec.certainty == pytest.approx(expected, abs=1e-3)


def test_one_engine_reused_gives_identical_results(advisor):
    facts = {"data_format": "unstructured", "dataset_size": "large", "needs_full_training_control": True}
    first = advisor.consult(facts)
    advisor.consult({"stage": "production"})
    again = advisor.consult(facts)
    assert [(r.decision, r.choice, r.rules) for r in first.recommendations] == \
           [(r.decision, r.choice, r.rules) for r in again.recommendations]
    assert [f.rule_id for f in first.fired] == [f.rule_id for f in again.fired]


def test_equal_rank_disagreement_is_contested_not_overwritten(rule_base):
    rule = """\
      - id: sweep.{id}
        title: {id}
        section: optimize
        when: {{{fact}: true}}
        then: {{recommend: {{sampling: {choice}}}}}
        because: x
        source: {source}
    """
    body = "title: Contest\nrules:\n" + "".join(
        textwrap.indent(textwrap.dedent(rule.format(id=i, fact=f, choice=c, source=SOURCE)), "  ")
        for i, f, c in [("seeded", "reproducible_results", "sobol"),
                        ("learning", "learn_from_previous_trials", "bayesian")])
    engine = Advisor(rule_base().write("sweep.yaml", body).load())
    result = engine.consult({"reproducible_results": True, "learn_from_previous_trials": True})
    rec = result.recommendation("sampling")
    assert rec.contested
    assert {rec.choice, rec.alternatives[0].choice} == {"sobol", "bayesian"}
    [warning] = result.warnings
    assert warning.kind == "contested"
    assert {f.status for f in result.fired} == {"applied", "contested"}
