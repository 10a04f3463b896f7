"""Issue 21's knowledge: every ranking cites its sentence, a rule a scope entry sets aside competes
with no one, and the rankings the guide does not give are gone (rules lint: unsourced-ranking)."""

from __future__ import annotations

from advisor.knowledge.base import build_knowledge, read_sources
from advisor.lint.checks import Analysis, run_checks
from advisor.paths import rules_dir


def _with(texts: dict[str, str], file: str, old: str, new: str) -> dict[str, str]:
    assert old in texts[file]
    return {**texts, file: texts[file].replace(old, new, 1)}


def _unsourced(texts: dict[str, str]) -> set[tuple[str, ...]]:
    return {f.rules for f in run_checks(build_knowledge(texts)) if f.check == "unsourced-ranking"}


def test_the_shipped_rule_base_has_no_unsourced_ranking():
    assert _unsourced(read_sources(rules_dir())) == set()


def test_every_shipped_ranked_by_quotes_a_sentence_with_its_address():
    knowledge = build_knowledge(read_sources(rules_dir()))
    cited = [r for r in knowledge.rules if r.ranked_by]
    assert len(cited) >= 20
    assert all(len(r.ranked_by[0]) >= 10 and r.ranked_by[1].startswith("https://") for r in cited)


def test_a_rule_set_aside_by_scope_is_no_rival_there():
    """existing-fabric is set aside where a prebuilt model fits: raising its priority ranks it
    over the rules that still stand beside it (python-first), never over prebuilt-model-fits."""
    texts = read_sources(rules_dir())
    rule = "    then: {recommend: {training_service: fabric}}\n"
    raised = _with(texts, "services.yaml", rule, rule + "    priority: 5\n")
    found = _unsourced(raised)
    assert ("services.existing-fabric", "services.python-first") in found
    assert ("services.existing-fabric", "services.prebuilt-model-fits") not in found
    # Without the scope entry's rule list, the prebuilt rule is a rival again.
    listed = "services.automl-vision-in-azure-ml, services.automl-in-azure-ml]"
    unscoped = _with(raised, "scope.yaml", f"            services.existing-fabric, {listed}", f"            {listed}")
    assert ("services.existing-fabric", "services.prebuilt-model-fits") in _unsourced(unscoped)


def test_an_entry_covering_every_value_still_leaves_the_fact_unknown():
    """scope.training-data-already-stored holds for every stored service: the rules it sets
    aside still compete where nobody named the storage."""
    texts = read_sources(rules_dir())
    rule = "    when: {data_format: unstructured}\n    then: {recommend: {training_data_store: blob_storage}}\n"
    findings = run_checks(build_knowledge(_with(texts, "services.yaml", rule, rule + "    priority: 5\n")))
    found = {f.rules: f for f in findings if f.check == "unsourced-ranking"}  # _unsourced's, built once
    assert ("services.blob-for-unstructured", "services.adls-for-large-data") in found
    assert "storage_service" not in found["services.blob-for-unstructured", "services.adls-for-large-data"].witness


def test_fabric_already_in_use_settles_the_spark_guidelines_on_fabric(advisor):
    facts = {"all_data_work_in_one_service": True, "existing_service": "fabric",
             "needs_full_training_control": False}
    rec = advisor.consult(facts).recommendation("training_service")
    assert rec.choice == "fabric" and not rec.contested
    with_python = advisor.consult({**facts, "python_preferred": True})
    assert with_python.recommendation("training_service").contested  # no source ranks Fabric over Python
    assert any("the guide does not rank these" in w.message for w in with_python.warnings)


def test_automl_for_images_sets_the_spark_service_guidelines_aside(advisor):
    facts = {"algorithm_selection": "automated", "ml_task": "computer_vision", "all_data_work_in_one_service": True,
             "existing_service": "databricks"}
    consultation = advisor.consult(facts)
    rec = consultation.recommendation("training_service")
    assert rec.choice == "azure_ml" and not rec.contested
    status = {f.rule_id: f.status for f in consultation.fired}
    assert status["services.one-service-for-data-work"] == "set_aside"
    assert status["services.existing-databricks"] == "set_aside"
    assert any(s.scope_id == "scope.automl-vision-runs-in-azure-ml" for s in consultation.set_aside)


def test_distributed_deep_learning_wins_over_spark_as_an_exception(advisor):
    consultation = advisor.consult({"data_format": "unstructured", "dataset_size": "large",
                                    "training_too_slow": True})
    rec = consultation.recommendation("distributed_processing")
    assert rec.choice == "distributed_gpu_training" and not rec.contested


def test_stored_training_data_keeps_its_store(advisor):
    consultation = advisor.consult({"data_source": "relational_database", "data_format": "tabular",
                                    "storage_service": "blob"})
    assert consultation.recommendation("training_data_store").choice == "blob_storage"
    assert not consultation.recommendation("training_data_store").contested
    unstored = advisor.consult({"data_source": "relational_database", "data_format": "tabular"})
    assert unstored.recommendation("training_data_store").choice == "azure_sql"


def test_the_business_need_outranks_the_data_profile_with_its_sentence(advisor, knowledge):
    rule = knowledge.rule("training.accuracy-for-business-need")
    assert "primary consideration" in rule.ranked_by[0]
    consultation = advisor.consult({"algorithm_selection": "automated", "ml_task": "classification",
                                    "class_balance": "imbalanced", "classification_metric_focus": "share_correct"})
    rec = consultation.recommendation("automl_primary_metric")
    assert rec is not None and rec.choice == "accuracy"


def test_the_lint_scope_awareness_uses_the_engine_s_own_guards():
    knowledge = build_knowledge(read_sources(rules_dir()))
    analysis = Analysis(knowledge)
    rule = knowledge.rule("services.sql-for-relational")
    assert analysis.set_aside_by(rule)  # scope.training-data-already-stored, at least


# --- choices that cannot stand together ----------------------------------------------------------

def _incompatible(texts: dict[str, str]) -> dict[str, dict]:
    return {f.subject: f.witness for f in Analysis(build_knowledge(texts)).incompatibilities()}


def _without_entry(texts: dict[str, str], entry: str) -> dict[str, str]:
    scope = texts["scope.yaml"]
    start = scope.index(f"  - id: {entry}\n")
    end = scope.index("\n  - id: ", start + 1)
    return {**texts, "scope.yaml": scope[:start] + scope[end + 1:]}


def test_no_declared_incompatible_pair_can_be_recommended_together():
    assert _incompatible(read_sources(rules_dir())) == {}


def test_each_pair_s_proof_rests_on_its_scope_entry():
    """Without the entry that keeps them apart, lint prints the situation where both hold:
    a proof that holds only because the search missed a witness would fail here."""
    texts = read_sources(rules_dir())
    for entry, pair, facts in [
        ("scope.automl-compute-targets", "incompatible.automl-on-kubernetes", {"needs_kubernetes_control": True}),
        ("scope.automl-not-on-spark-pool", "incompatible.automl-on-attached-spark-pool",
         {"existing_compute": "synapse_spark"}),
        ("scope.training-data-already-stored", "incompatible.sql-training-data-and-a-datastore",
         {"data_source": "relational_database"}),
    ]:
        witness = _incompatible(_without_entry(texts, entry)).get(pair)
        assert witness is not None, entry
        assert facts.items() <= witness.items()


def test_the_engine_keeps_the_pairs_apart(advisor):
    automl = {"algorithm_selection": "automated", "ml_task": "classification"}
    kubernetes = advisor.consult({**automl, "needs_kubernetes_control": True})
    assert kubernetes.recommendation("training_compute").choice == "compute_cluster"
    assert any(w.rule_id == "compute.automl-not-on-kubernetes" for w in kubernetes.warnings)
    pool = advisor.consult({**automl, "existing_compute": "synapse_spark"})
    assert pool.recommendation("training_compute").choice == "compute_cluster"
    vm = advisor.consult({**automl, "existing_compute": "azure_vm"})  # remote VMs do run AutoML
    assert "compute.attach-existing" in {f.rule_id for f in vm.fired if f.status != "set_aside"}
