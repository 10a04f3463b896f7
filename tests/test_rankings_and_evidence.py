"""No ranking without a source, and one fact is one piece of evidence (docs/explain.md)."""

from __future__ import annotations

from functools import lru_cache

import yaml
from conftest import SCENARIOS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine.advisor import Advisor
from advisor.engine.conflicts import settle_by_sets
from advisor.knowledge.base import build_knowledge, read_sources
from advisor.lint.checks import run_checks
from advisor.paths import rules_dir
from advisor.scenarios import load_scenario

SHIPPED = sorted(SCENARIOS.rglob("*.yaml"))


def _lint(texts: dict[str, str]) -> list:
    from advisor.lint.checks import Analysis
    knowledge = build_knowledge(texts)
    return [*run_checks(knowledge), *Analysis(knowledge).unsourced_rankings()]


def _with(texts: dict[str, str], file: str, old: str, new: str) -> dict[str, str]:
    assert old in texts[file]
    return {**texts, file: texts[file].replace(old, new, 1)}


# --- no ranking without a source ---------------------------------------------------------------

def test_a_priority_over_a_rival_without_ranked_by_is_a_lint_error():
    texts = read_sources(rules_dir())
    shipped = {f.rules for f in _lint(texts) if f.check == "unsourced-ranking"}
    rule = "    when: {data_format: unstructured}\n    then: {recommend: {training_data_store: blob_storage}}\n"
    raised = _with(texts, "services.yaml", rule, rule + "    priority: 5\n")
    found = [f for f in _lint(raised) if f.check == "unsourced-ranking" and f.rules not in shipped]
    assert found and found[0].severity == "error"
    assert "services.blob-for-unstructured" == found[0].rules[0] and found[0].witness
    cited = _with(raised, "services.yaml", rule + "    priority: 5\n",
                  rule + "    priority: 5\n"
                  "    ranked_by: {quote: 'a sentence that ranks them', url: https://example.org/x}\n")
    assert not [f for f in _lint(cited) if f.check == "unsourced-ranking" and f.rules not in shipped]


def test_unranked_service_heuristics_settle_on_what_they_all_allow(advisor):
    both = advisor.consult({"python_preferred": True, "needs_full_training_control": True})
    rec = both.recommendation("training_service")
    assert rec.choice == "azure_ml" and not rec.contested  # Azure ML is both Python's and full control's
    assert "services.full-control" in rec.rules  # Azure ML or Databricks supports Azure ML


def test_unranked_heuristics_naming_two_choices_give_the_combined_choice_contested(knowledge):
    combined = {c: frozenset(n) for c, n in knowledge.combined["training_service"].items()}
    assert settle_by_sets(["azure_ml", "azure_ml_or_databricks"], combined) == ("azure_ml", True)
    assert settle_by_sets(["azure_ml_or_databricks", "synapse_or_databricks"], combined) == ("databricks", True)
    assert settle_by_sets(["azure_ml", "databricks"], combined) == ("azure_ml_or_databricks", False)
    assert settle_by_sets(["azure_ml", "synapse"], combined) == (None, False)
    assert settle_by_sets(["ai_services"], combined) == ("ai_services", True)


def test_contested_with_no_combined_choice_is_shown_but_read_by_no_rule(advisor):
    both = advisor.consult({"dataset_size": "large", "python_preferred": True})
    rec = both.recommendation("training_service")
    assert rec.contested and "training_service" not in both.values
    assert any("the guide does not rank these" in w.message for w in both.warnings)


def test_the_readme_example_is_no_longer_databricks_by_an_invented_ranking(advisor, knowledge):
    facts = load_scenario(SCENARIOS / "image-classifier.yaml", knowledge).facts
    rec = advisor.consult(facts).recommendation("training_service")
    assert rec.choice == "azure_ml"  # Python and full control agree; Spark does not distribute PyTorch


def test_more_conditions_win_only_as_a_refinement(advisor):
    """Small data (general purpose) and notebooks (memory optimized) test different things: no
    rule refines the other, so counting their conditions ranks nothing: contested."""
    store = advisor.consult({"dataset_size": "large", "data_format": "unstructured"})
    assert store.recommendation("training_data_store").contested
    refined = advisor.consult({"needs_full_training_control": True, "wants_lifecycle_ui": True})
    assert not refined.recommendation("training_service").contested  # full control, refined by the UI


# --- one fact, one piece of evidence ------------------------------------------------------------

def test_two_rules_reading_one_fact_are_one_piece_of_evidence(advisor):
    rec = advisor.consult({"python_preferred": True, "needs_full_training_control": True}
                          ).recommendation("training_service")
    firings = {f.rule_id: f.certainty for f in advisor.consult(
        {"python_preferred": True, "needs_full_training_control": True}).fired}
    assert rec.certainty == max(firings[r] for r in rec.rules) < 0.96


AREAS = ("services", "compute", "data")


@lru_cache(maxsize=1)
def _duplicating_advisors() -> tuple[Advisor, Advisor]:
    """The shipped rules, and the same with every recommending rule of services, compute and data
    written twice (same premises, same conclusion, same strength)."""
    texts = read_sources(rules_dir())
    doubled = dict(texts)
    for area in AREAS:
        text = texts[f"{area}.yaml"]
        head, rules = text.split("rules:\n", 1)
        copy = rules.replace(f"  - id: {area}.", f"  - id: {area}.twin-")
        doubled[f"{area}.yaml"] = head + "rules:\n" + rules.rstrip("\n") + "\n" + copy
    scope = yaml.safe_load(texts["scope.yaml"])  # a twin is set aside with its rule
    for entry in scope["scope"]:
        twins = [r.replace(".", ".twin-", 1) for r in entry.get("rules", ()) if r.split(".")[0] in AREAS]
        entry["rules"] = entry.get("rules", []) + twins
    doubled["scope.yaml"] = yaml.safe_dump(scope)
    return Advisor(build_knowledge(texts)), Advisor(build_knowledge(doubled))


def _certainties(consultation) -> dict[tuple[str, str], float]:
    return {(r.decision, r.choice): r.certainty for r in consultation.recommendations}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(SHIPPED))
def test_duplicating_a_rule_with_the_same_premises_never_changes_certainty(path, knowledge):
    plain, doubled = _duplicating_advisors()
    facts = load_scenario(path, knowledge).facts
    assert _certainties(doubled.consult(facts)) == _certainties(plain.consult(facts))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(SHIPPED), data=st.data())
def test_a_fact_no_derivation_reads_never_changes_certainty(path, data, advisor, knowledge):
    facts = load_scenario(path, knowledge).facts
    before = advisor.consult(facts)
    unread = [f for f in knowledge.vocabulary.input_facts
              if f.name not in facts and f.type in ("bool", "choice")]
    spec = data.draw(st.sampled_from(unread), label="fact")
    value = data.draw(st.sampled_from([True, False] if spec.type == "bool" else list(spec.values)), label="value")
    after = advisor.consult({**facts, spec.name: value})
    for rec in before.recommendations:
        same = after.recommendation(rec.decision)
        if same is None or same.choice != rec.choice or same.rules != rec.rules:
            continue  # the new fact entered this recommendation's derivation
        readers = {r for r in rec.rules if spec.name in _footprint(after, r)}
        if not readers:
            assert same.certainty == rec.certainty, (rec.decision, spec.name)


def _footprint(consultation, rule_id: str) -> frozenset[str]:
    from advisor.engine.certainty import footprints
    prints = footprints(consultation.fired)
    return frozenset().union(*(prints[f.order] for f in consultation.fired if f.rule_id == rule_id))


def _sampling_rules(*rules: tuple[str, str, str]) -> str:
    source = ("https://learn.microsoft.com/en-gb/training/modules/"
              "perform-hyperparameter-tuning-azure-machine-learning-pipelines/3-configure-sampling-method")
    body = "".join(f"  - id: sweep.{rid}\n    title: {rid}\n    section: optimize\n    when: {when}\n"
                   f"    then: {{recommend: {{sampling: {choice}}}}}\n    because: x\n    source: {source}\n"
                   for rid, when, choice in rules)
    return "title: Test\nrules:\n" + body


def test_an_exception_to_one_rule_of_a_choice_is_explained_as_one(rule_base):
    """Grid is an exception to the general random rule (it tests everything that rule tests, and
    more); an exception answers the choice, so random stands down for its other rule too, as
    distributed deep learning does for every Spark rule. The note names the exception; it used
    to call the 2-condition winner "more specific (2 conditions over 3)" than the 3-condition loser."""
    rules = _sampling_rules(
        ("general", "{reproducible_results: false}", "random"),
        ("other-heuristic", "{all: [{learn_from_previous_trials: false}, {compare_runs_in_code: true}, "
                            "{try_every_combination: true}]}", "random"),
        ("exception", "{all: [{reproducible_results: false}, {try_every_combination: true}]}", "grid"))
    engine = Advisor(rule_base().write("sweep.yaml", rules).load())
    both = engine.consult({"reproducible_results": False, "try_every_combination": True,
                           "learn_from_previous_trials": False, "compare_runs_in_code": True})
    assert both.recommendation("sampling").choice == "grid"
    notes = {f.rule_id: f.note for f in both.fired}
    assert notes["sweep.other-heuristic"].startswith("overruled by sweep.exception: an exception to sweep.general")
    assert not any("more specific (2 conditions over 3)" in note for note in notes.values())
