"""`advisor consult`, `rules` and `vocabulary` through the installed console script."""

from __future__ import annotations

import json

import pytest
from conftest import SCENARIOS

EXAMPLE = str(SCENARIOS / "image-classifier.yaml")
DEFAULT_RULE = "sweep.sobol-for-reproducibility"


def test_consult_prints_recommendations_with_their_chain(cli):
    result = cli("consult", EXAMPLE)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "1. Design a machine learning solution" in out
    assert "CPU or GPU: GPU" in out
    assert "compute.gpu-for-deep-learning" in out
    assert "compute.vision-and-nlp-are-deep-learning" in out  # the chain down to the user's fact
    assert "given: ml_task" in out
    assert "design-machine-learning-model-training-solution/4-decide-between-compute-options" in out
    assert "Open decisions that matter" in out
    full = cli("consult", EXAMPLE, "--full").stdout  # the derivation trees, every open decision
    assert "given: ml_task = computer_vision (you)" in full
    assert "Decisions left open" in full


def test_consult_json_is_the_report_object(cli):
    result = cli("consult", EXAMPLE, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    processor = next(r for r in report["recommendations"] if r["decision"] == "processor")
    assert processor["choice"] == "gpu"
    assert processor["rules"] == ["compute.gpu-for-deep-learning"]
    assert processor["derivation"][0]["children"][0]["rule"] == "compute.vision-and-nlp-are-deep-learning"
    assert {f["rule"] for f in report["fired"]} >= {"compute.gpu-for-deep-learning"}


def test_consult_markdown_to_a_file(cli, tmp_path):
    target = tmp_path / "report.md"
    result = cli("consult", EXAMPLE, "--format", "markdown", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Image classifier for product photos")
    assert "| CPU or GPU | GPU |" in text
    assert "`compute.gpu-for-deep-learning`" in text


def test_list_facts_are_shown_literally(cli, tmp_path):
    scenario = tmp_path / "sweep.yaml"
    scenario.write_text("name: Sweep\nfacts:\n  hyperparameter_expressions: [choice, uniform]\n", encoding="utf-8")
    out = cli("consult", str(scenario), "--full").stdout
    assert "hyperparameter_expressions = [choice, uniform]" in out
    assert "given: hyperparameter_expressions = [choice, uniform] (you)" in out


def test_consult_with_a_warning_and_an_open_decision(cli, tmp_path):
    scenario = tmp_path / "bayes.yaml"
    scenario.write_text(
        "name: Bayesian sweep\nfacts:\n  hyperparameter_expressions: [choice, uniform]\n"
        "  learn_from_previous_trials: true\n", encoding="utf-8")
    report = json.loads(cli("consult", str(scenario), "--format", "json").stdout)
    assert [r["choice"] for r in report["recommendations"] if r["decision"] == "sampling"] == ["bayesian"]
    [warning] = [w for w in report["warnings"] if w["rule"] == "sweep.bayesian-early-termination-conflict"]
    assert warning["kind"] == "sources_disagree"
    assert "Sources disagree" in warning["message"]


@pytest.mark.parametrize(("content", "expected"), [
    ("name: x\nfacts:\n  datset_size: small\n", ":3: unknown fact 'datset_size'; did you mean dataset_size?"),
    ("name: x\nfacts:\n  dataset_size: huge\n", ":3: facts.dataset_size: 'huge' is not one of small, medium, large"),
    ("name: x\nfacts:\n  training_too_slow: 'yes'\n", ":3: facts.training_too_slow: 'yes' is not true or false"),
    ("name: x\nfacts:\n  notebook_users: -2\n", "out of range"),
    ("name: x\nfacts: [1\n", ":3: malformed YAML"),
    ("- a\n- b\n", ":1: top level is a list; expected a mapping with name and facts"),
    ("name: x\nfacts: {}\nextra: 1\n", ":3: unknown key 'extra' (allowed: name, description, facts, expect)"),
    ("facts: {}\n", "missing required key 'name'"),
    ("name: x\nname: y\nfacts: {}\n", ":2: duplicate key 'name' (first on line 1)"),
    ("name: x\nfacts:\n  workload: deep_learning\n", "fact 'workload' is concluded by rules and can't be given"),
    ("name: x\nfacts:\n  processor: gpu\n", "that is a decision the advisor makes, not a fact"),
    ("", "file is empty"),
    ("name: x\nfacts: {}\nexpect:\n  decisions:\n    processor: tpu\n", "unknown choice 'tpu'"),
])
def test_bad_scenarios_give_one_clear_line_and_exit_2(cli, tmp_path, content, expected):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(content, encoding="utf-8")
    result = cli("consult", str(scenario))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"advisor: error: {scenario}")
    assert expected in result.stderr


def test_missing_file_directory_and_bad_bytes(cli, tmp_path):
    assert "no such file" in cli("consult", str(tmp_path / "nope.yaml")).stderr
    result = cli("consult", str(tmp_path))
    assert result.returncode == 2 and "is a directory; expected a scenario YAML file" in result.stderr
    binary = tmp_path / "latin1.yaml"
    binary.write_bytes("name: caf\xe9\nfacts: {}\n".encode("latin-1"))
    result = cli("consult", str(binary))
    assert result.returncode == 2 and "not UTF-8 text" in result.stderr


def test_alias_bomb_is_refused_at_once(cli, tmp_path):
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    rows += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = cli("consult", str(bomb))  # expanded, it would not end within the default 120 s; refused, it takes ms
    assert result.returncode == 2
    assert "aliases (*name) are not allowed" in result.stderr


def test_consult_without_file_or_terminal_exits_2(cli):
    result = cli("consult", input="")
    assert result.returncode == 2
    assert "scenario file" in result.stderr and "terminal" in result.stderr


def test_rules_list_json_cites_the_guide(cli, knowledge):
    result = cli("rules", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    rules = json.loads(result.stdout)
    assert len(rules) == len(knowledge.rules) >= 60
    assert {r["section"] for r in rules} == set(knowledge.guide.section_ids)
    for rule in rules:
        assert {"id", "title", "section", "source"} <= rule.keys()
        assert knowledge.guide.unit(rule["source"]) is not None


def test_rules_show_explains_in_plain_words(cli):
    result = cli("rules", "show", "sweep.bayesian-learns-from-results")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "learn_from_previous_trials is true" in out
    assert "hyperparameter_expressions uses only choice, uniform or quniform" in out
    assert "recommend sampling = bayesian" in out
    assert "Configure a sampling method" in out


def test_rules_show_names_what_a_warning_contests_and_what_sets_a_rule_aside(cli, knowledge):
    out = " ".join(cli("rules", "show", "compute.gpu-for-deep-learning").stdout.split())
    assert "set aside when prebuilt_model_fits is true (scope.prebuilt-model:" in out
    out = " ".join(cli("rules", "show", "services.databricks-versus-gpu-cluster-unranked").stdout.split())
    assert f"contests: {knowledge.vocabulary.decision('training_service').title}" in out
    rules = json.loads(cli("rules", "list", "--format", "json").stdout)
    then = next(r["then"] for r in rules if r["id"] == "services.databricks-versus-gpu-cluster-unranked")
    assert "training_service" in then["contests"] and "withholds" not in then and "sets_aside" not in then


def test_rules_show_unknown_id_suggests(cli):
    result = cli("rules", "show", "sweep.sobol-for-reproducibilty")
    assert result.returncode == 2
    assert f"did you mean {DEFAULT_RULE}" in result.stderr


def test_vocabulary_json_has_facts_and_decisions(cli, knowledge):
    data = json.loads(cli("vocabulary", "--format", "json").stdout)
    assert set(data) == {"facts", "decisions"}
    facts = {f["name"]: f for f in data["facts"]}
    assert facts["dataset_size"]["values"] == ["small", "medium", "large"]
    assert facts["dataset_size"]["question"] == knowledge.vocabulary.fact("dataset_size").question
    assert facts["training_too_slow"]["type"] == "bool"
    decisions = {d["name"]: d for d in data["decisions"]}
    assert decisions["sampling"]["choices"] == ["grid", "random", "sobol", "bayesian"]


def test_version_from_the_console_script(cli_process):
    """The installed entry point itself (its --version fast path imports no CLI framework)."""
    from advisor import __version__

    result = cli_process("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"advisor {__version__}"
