"""The exam's fourth domain, language models (rules/llm.yaml): its sources, its gate, and the
acceptance consultation of issue 22."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, SCENARIOS

from advisor.drill.questions import usable_decisions
from advisor.interactive.planner import Planner
from advisor.lint import lint_rules
from advisor.scenarios.loader import load_scenario

SOURCE_FILE = ROOT.parent / "shared" / "dp100-language-models.md"
SECTION = "language-models"
LINK = re.compile(r"\[[^\]]+\]\((https://[^)\s]+)\)")

# Pages the source file links that no rule needs to cite, and why.
NOT_DECISION_BEARING = {
    "https://learn.microsoft.com/credentials/certifications/resources/study-guides/dp-100":
        "the exam's own outline (skills and weights), the list the file is organized by, not a heuristic",
    "https://learn.microsoft.com/en-gb/training/paths/create-custom-copilots-ai-studio/":
        "the learning path: it only groups the units the file lists one by one",
}
ACCEPTANCE = SCENARIOS / "language-models" / "support-chatbot-from-product-manuals.yaml"


def _language_model_decisions(knowledge) -> list[str]:
    return [d.name for d in knowledge.vocabulary.decisions if d.section == SECTION]


def test_every_language_model_unit_is_cited_by_a_rule(knowledge):
    units = [u for u in knowledge.guide.content_units if u.section == SECTION]
    cited = {r.source for r in knowledge.rules}
    assert len(units) == 45
    assert [u.url for u in units if u.url not in cited] == []


@pytest.mark.skipif(not SOURCE_FILE.exists(), reason="../shared/dp100-language-models.md is not beside this clone")
def test_every_page_of_the_source_is_a_unit_or_not_decision_bearing(knowledge):
    linked = set(LINK.findall(SOURCE_FILE.read_text(encoding="utf-8")))
    units = {u.url for u in knowledge.guide.units if u.section == SECTION}
    assert set(NOT_DECISION_BEARING) <= linked
    assert linked - set(NOT_DECISION_BEARING) == units


def test_lint_reads_the_language_model_source_beside_the_study_guide(tmp_path, rule_base):
    rules = rule_base(folder="repo/rules").write("llm.yaml", """\
        title: Test
        rules:
          - id: llm.standard
            title: Standard deployment
            section: language-models
            when: {solution_goal: language_model_app, catalog_model_source: sold_by_azure}
            then: {recommend: {lm_deployment: standard_deployment}}
            because: The preferred deployment option.
            source: https://learn.microsoft.com/azure/ai-foundry/concepts/deployments-overview
        """).path
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "dp100-study-guide.md").write_text("no language-model page here\n")
    missing = lint_rules(rules)
    assert [f.check for f in missing.findings if f.rules == ("llm.standard",)].count("source-not-in-guide") == 1
    (shared / "dp100-language-models.md").write_text(
        "| | [Deployment overview](https://learn.microsoft.com/azure/ai-foundry/concepts/deployments-overview) |\n")
    found = lint_rules(rules)
    assert [f for f in found.findings if f.check == "source-not-in-guide"] == []


def test_acceptance_support_chatbot(advisor, knowledge):
    """Issue 22: prompt engineering plus RAG (not fine-tuning first), a deployment option with its
    billing reason, an Azure AI Search index and the evaluation metrics, each with its source."""
    scenario = load_scenario(ACCEPTANCE)
    consultation = advisor.consult(scenario.facts)
    assert set(consultation.chosen("optimization_approach")) == {"prompt_engineering", "rag"}
    assert "llm.not-fine-tuning-first" in {w.rule_id for w in consultation.warnings}
    deployment = consultation.recommendation("lm_deployment")
    assert deployment.choice == "standard_deployment"
    assert consultation.chosen("rag_index_store") == ("azure_ai_search",)
    assert {"groundedness", "relevance", "coherence", "fluency"} <= set(consultation.chosen("evaluation_metrics"))
    units = {u.url for u in knowledge.guide.units if u.section == SECTION}
    for decision in ("optimization_approach", "lm_deployment", "rag_index_store", "evaluation_metrics"):
        producers = {f.rule_id for f in consultation.fired
                     if f.name == decision and f.status in ("applied", "supporting")}
        assert producers, decision
        for rule_id in producers:
            assert knowledge.rule(rule_id).source in units
    billing = [knowledge.rule(f.rule_id).because for f in consultation.fired
               if f.name == "lm_deployment" and f.value == "standard_deployment"]
    assert any("billed per token" in text for text in billing)


def test_a_predictive_model_fires_no_language_model_rule(advisor):
    consultation = advisor.consult({"solution_goal": "predictive_model", "answers_need_own_data": True,
                                    "tight_budget": True, "public_users": True})
    assert [f.rule_id for f in consultation.fired if f.rule_id.startswith("llm.")] == []


def test_a_predictive_model_retires_the_language_model_decisions(advisor, knowledge):
    """scope.predictive-model-only: a model trained on your own data lists no language-model
    decision open, and the report says once why they were set aside."""
    consultation = advisor.consult({"solution_goal": "predictive_model"})
    lm = set(_language_model_decisions(knowledge))
    assert lm and not lm & {o.decision for o in consultation.open_decisions}
    assert not lm & {r.decision for r in consultation.recommendations}
    retired = {d for s in consultation.set_aside if s.scope_id == "scope.predictive-model-only" for d in s.decisions}
    assert lm <= retired
    both = advisor.consult({"solution_goal": "both"})
    assert lm & {o.decision for o in both.open_decisions}


def test_the_opening_question_gates_the_language_model_questions(advisor, knowledge):
    planner = Planner(advisor)
    lm_facts = {f.name for f in knowledge.vocabulary.input_facts if f.section == SECTION}
    predictive = {q.fact.name for q in planner.plan({"solution_goal": "predictive_model"}).questions}
    assert predictive and not predictive & lm_facts
    language = {q.fact.name for q in planner.plan({"solution_goal": "language_model_app"}).questions}
    assert "answers_need_own_data" in language
    both = {q.fact.name for q in planner.plan({"solution_goal": "both"}).questions}
    assert "answers_need_own_data" in both and "algorithm_selection" in both


def _example_consultations(advisor, knowledge):
    for rule in knowledge.rules:
        if rule.area == "llm":
            for example in rule.examples.fires:
                yield advisor.consult(example.facts)
    for path in sorted((SCENARIOS / "language-models").glob("*.yaml")):
        yield advisor.consult(load_scenario(path).facts)


def test_prompt_flow_is_never_recommended_without_its_retirement(advisor, knowledge):
    recommended = 0
    for consultation in _example_consultations(advisor, knowledge):
        if consultation.chosen("prompt_flow_type") or consultation.chosen("flow_setup"):
            recommended += 1
            assert "llm.prompt-flow-retires" in {w.rule_id for w in consultation.warnings}
    assert recommended >= 5


def test_every_language_model_decision_can_be_drilled(advisor, knowledge):
    drillable: set[str] = set()
    for consultation in _example_consultations(advisor, knowledge):
        drillable |= set(usable_decisions(consultation, knowledge))
    assert [d for d in _language_model_decisions(knowledge) if d not in drillable] == []


def test_the_diagram_draws_the_language_model_architecture_in_its_own_lane(advisor, knowledge):
    from advisor.presentation.consultation.data import build_report
    from advisor.presentation.consultation.diagram import build_diagram, render_mermaid

    chatbot = build_report(advisor.consult(load_scenario(ACCEPTANCE).facts), knowledge)
    lane = {b.component.id for b in build_diagram(chatbot).boxes
            if b.component.stage == "Language model" and not b.open}
    assert {"lm_approach", "grounding_data", "lm_index", "lm_model", "lm_evaluation"} <= lane
    mermaid = render_mermaid(chatbot)
    assert "language_model_stage" in mermaid and "grounding_data -->" in mermaid and "lm_index -->" in mermaid
    assert "Azure AI Search index" in mermaid


def test_with_no_goal_the_diagram_draws_no_open_language_model_lane(advisor, knowledge):
    """With `solution_goal` unanswered the language-model decisions stay open in the report (the
    goal would settle them) but the diagram draws no lane of open boxes; a goal that includes a
    language model draws it."""
    from advisor.presentation.consultation.data import build_report
    from advisor.presentation.consultation.diagram import LANGUAGE_MODEL, build_diagram, render_mermaid

    facts = {"ml_task": "classification", "data_format": "tabular", "prediction_timing": "at_set_times"}
    lm = set(_language_model_decisions(knowledge))
    unknown = build_report(advisor.consult(facts), knowledge)
    assert lm <= {o.decision for o in unknown.open}
    assert "solution_goal" in next(o for o in unknown.open if o.decision == "optimization_approach").settled_by
    assert [b.component.id for b in build_diagram(unknown).boxes if b.component.stage == LANGUAGE_MODEL] == []
    assert "language_model_stage" not in render_mermaid(unknown)
    assert any(b.component.stage == "Serving" for b in build_diagram(unknown).boxes)  # the rest is drawn
    both = build_report(advisor.consult({**facts, "solution_goal": "both"}), knowledge)
    lane = [b for b in build_diagram(both).boxes if b.component.stage == LANGUAGE_MODEL]
    assert {"lm_approach", "lm_model", "fine_tuning"} <= {b.component.id for b in lane}
    assert any(b.open for b in lane)  # open boxes are drawn once the goal includes a language model


def test_every_end_to_end_scenario_states_its_goal(advisor, knowledge):
    """A realistic consultation says what it builds, so the language-model decisions are retired
    where they do not apply instead of listed open."""
    lm = set(_language_model_decisions(knowledge))
    for path in sorted((SCENARIOS / "end-to-end").glob("*.yaml")):
        facts = load_scenario(path).facts
        assert facts.get("solution_goal") in {"predictive_model", "language_model_app", "both"}, path.name
        if facts["solution_goal"] == "predictive_model":
            assert not lm & {o.decision for o in advisor.consult(facts).open_decisions}, path.name


def test_a_model_sold_by_azure_in_a_hub_without_a_foundry_resource_is_cautioned(advisor):
    """Standard deployment stays the key (the docs' preferred option), but a hub offers it only
    through a connected Foundry resource: the report says so instead of leaving it unsaid."""
    facts = {"solution_goal": "language_model_app", "catalog_model_source": "sold_by_azure"}
    hub = advisor.consult({**facts, "project_kind": "hub_only"})
    assert hub.chosen("lm_deployment") == ("standard_deployment",)
    assert "llm.hub-needs-a-foundry-resource" in {w.rule_id for w in hub.warnings}
    connected = advisor.consult({**facts, "project_kind": "hub_with_foundry_resource"})
    assert "llm.hub-needs-a-foundry-resource" not in {w.rule_id for w in connected.warnings}


def test_reasoning_against_cost_is_contested_not_picked(advisor):
    """The unit lists reasoning models for math and code and small models for cost, without ranking."""
    consultation = advisor.consult({"solution_goal": "language_model_app", "lm_task": "math_code_science",
                                    "tight_budget": True})
    assert consultation.recommendation("language_model").contested
    assert not advisor.consult({"solution_goal": "language_model_app",
                                "lm_task": "math_code_science"}).recommendation("language_model").contested


def test_evaluating_the_shortlist_on_your_own_data_needs_no_expected_answers(advisor):
    """AI-assisted metrics judge replies without ground truth; only NLP metrics need expected answers."""
    consultation = advisor.consult({"solution_goal": "language_model_app", "comparing_catalog_models": True,
                                    "has_ground_truth": False})
    assert "own_data_evaluation" in consultation.chosen("model_comparison")
    assert "ai_assisted" in consultation.chosen("evaluation_method")
