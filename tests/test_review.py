"""`advisor review`: existing Azure ML YAML of every kind becomes facts, the rule base finds
the mistakes; files reviewed together get the checks that need two of them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from review_fixtures import (
    CLEAN,
    FIXTURES,
    FLAWED,
    FOLDER_FILES,
    FOLDERS,
    NOTED,
    TEMPLATES,
    UNREADABLE,
    expected_lines,
    expected_rules,
    given_facts,
)

from advisor.azureml.documents import KIND_TITLES, read_document
from advisor.azureml.facts import read_facts
from advisor.azureml.review import ReviewOptions, review_documents, review_file
from advisor.cli.assignments import parse_input_fact
from advisor.errors import AdvisorError
from advisor.scenarios import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def context_of(path: Path, knowledge) -> dict:
    return dict(parse_input_fact(text, knowledge.vocabulary, "--fact") for text in given_facts(path))


def test_there_are_enough_fixtures_of_every_kind():
    flawed_files = [p for p in FLAWED + FOLDER_FILES if expected_rules(p)]
    clean_files = CLEAN + [p for p in FOLDER_FILES if not expected_rules(p)]
    assert len(flawed_files) >= 40 and len(clean_files) >= 15 and len(UNREADABLE) >= 3
    kinds = {read_document(p).kind for p in flawed_files}
    assert kinds >= set(KIND_TITLES) - {"other", "kubernetes_compute", "batch_endpoint"}, \
        set(KIND_TITLES) - kinds
    assert {read_document(p).kind for p in CLEAN} >= set(KIND_TITLES) - {"other"}


@pytest.mark.parametrize("path", FLAWED, ids=lambda p: p.name)
def test_each_flawed_file_is_caught_by_the_right_rule(advisor, knowledge, path):
    review = review_file(path, advisor, context_of(path, knowledge))
    assert {f.rule_id for f in (*review.findings, *review.hints)} == expected_rules(path), review.notes
    for finding in (*review.findings, *review.hints):
        rule = knowledge.rule(finding.rule_id)
        assert finding.source == rule.source and knowledge.guide.unit(finding.source) is not None
        assert finding.because == rule.because and finding.title == rule.title
        assert finding.facts, "a finding names the settings behind it"
        assert 0 < finding.certainty <= 1


@pytest.mark.parametrize("path", [p for p in FLAWED if any(expected_lines(p).values())], ids=lambda p: p.name)
def test_each_finding_sits_on_the_line_of_the_setting_to_change(advisor, knowledge, path):
    review = review_file(path, advisor, context_of(path, knowledge))
    lines = {f.rule_id: f.line for f in (*review.findings, *review.hints)}
    for rule_id, line in expected_lines(path).items():
        if line is not None:
            assert lines[rule_id] == line, (rule_id, lines)


def test_an_inline_suppression_on_the_setting_to_change_suppresses_it(advisor, tmp_path):
    source = (FIXTURES / "flawed" / "online-two-instances-stage-unknown.yml").read_text(encoding="utf-8")
    path = tmp_path / "deployment.yml"
    path.write_text(source.replace("instance_count: 2", "instance_count: 2  # advisor: ignore[review.online-"
                                   "instances-stage-unknown] a development deployment"), encoding="utf-8")
    review = review_file(path, advisor)
    assert review.findings == () and review.hints == ()
    assert [s.finding.rule_id for s in review.suppressed] == ["review.online-instances-stage-unknown"]


@pytest.mark.parametrize("path", NOTED, ids=lambda p: p.name)
def test_azure_ml_kinds_without_checks_are_noted_not_errors(advisor, path):
    review = review_file(path, advisor)
    assert review.kind == "other" and review.findings == ()
    assert any("advisor has no checks for this kind" in note for note in review.notes)
    assert review.title not in ("Azure ML asset", "")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_a_template_with_placeholders_is_noted_as_one(path):
    from advisor.azureml.documents import TemplateFile

    with pytest.raises(TemplateFile, match="template placeholder"):
        read_document(path)


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_clean_files_give_no_finding(advisor, path):
    review = review_file(path, advisor)
    assert review.findings == (), [f.rule_id for f in review.findings]
    assert review.facts, "a clean file still yields facts (otherwise nothing was checked)"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_folder_review_gives_each_file_its_findings_with_the_cross_file_ones(advisor, folder):
    paths = sorted(folder.glob("*.yml"))
    reviews = review_documents([read_document(p) for p in paths], advisor)
    for path, review in zip(paths, reviews, strict=True):
        assert {f.rule_id for f in review.findings} == expected_rules(path), path.name
    # Alone, each file gives none of the findings that need another file.
    for path in paths:
        alone = review_file(path, advisor)
        assert not {f.rule_id for f in alone.findings} & expected_rules(path), path.name


def test_a_cross_file_finding_names_the_other_file_and_line(advisor):
    folder = FIXTURES / "folders" / "training"
    paths = sorted(folder.glob("*.yml"))
    reviews = {Path(r.path).name: r for r in review_documents([read_document(p) for p in paths], advisor)}
    (finding,) = reviews["sweep.yml"].findings
    assert finding.rule_id == "review.concurrency-above-cluster-nodes"
    assert finding.line == 20  # max_concurrent_trials: 4
    cluster = next(f for f in finding.facts if f.name == "target_cluster_max_instances")
    assert (cluster.value, cluster.path, cluster.line) == (2, str(folder / "cluster.yml"), 6)


def test_a_name_defined_in_two_folders_is_not_guessed(advisor, tmp_path):
    for name, size in (("a", 8), ("b", 1)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "cluster.yml").write_text(
            f"type: amlcompute\nname: cpu-cluster\nmin_instances: 0\nmax_instances: {size}\n", encoding="utf-8")
    job = tmp_path / "job.yml"
    job.write_text((FIXTURES / "folders" / "training" / "sweep.yml").read_text(encoding="utf-8")
                   .replace("../../src", str(FIXTURES / "src")), encoding="utf-8")
    paths = [tmp_path / "a" / "cluster.yml", tmp_path / "b" / "cluster.yml", job]
    reviews = review_documents([read_document(p) for p in paths], advisor)
    assert reviews[2].findings == ()
    assert "target_cluster_max_instances" not in {f.name for f in reviews[2].facts}


@pytest.mark.parametrize("endpoint", [
    "name: churn-endpoint\nauth_mode: key\ncompute:\n",  # an empty compute names no cluster
    "$schema: https://example.com/kubernetes/managedOnlineEndpoint.schema.json\nname: churn-endpoint\n"
    "auth_mode: key\n",  # a mirror whose URL says kubernetes; the schema it names is managed
], ids=["empty-compute", "managed-schema-on-a-kubernetes-path"])
def test_an_endpoint_is_one_kind_to_itself_and_to_its_deployments(advisor, knowledge, tmp_path, endpoint):
    (tmp_path / "endpoint.yml").write_text(endpoint, encoding="utf-8")
    (tmp_path / "blue.yml").write_text(
        (FIXTURES / "folders" / "serving" / "blue.yml").read_text(encoding="utf-8")
        .replace("../../assets", str(FIXTURES / "assets")), encoding="utf-8")
    documents = [read_document(tmp_path / "endpoint.yml"), read_document(tmp_path / "blue.yml")]
    own = read_facts(documents[0], knowledge.vocabulary).facts.get("planned_endpoint_type", "managed_online")
    _, deployment = review_documents(documents, advisor)
    seen = next(f.value for f in deployment.facts if f.name == "endpoint_kind_in_folder")
    assert own == seen == "managed_online"
    assert deployment.findings == ()


def test_pipeline_steps_are_reviewed_with_their_lines(advisor):
    review = review_file(FIXTURES / "flawed" / "pipeline-step-bayesian-bandit.yml", advisor)
    (finding,) = review.findings
    assert finding.step == "tune" and finding.message.startswith("step tune: ")
    assert finding.line == 14  # sampling_algorithm of the step


def test_facts_read_from_a_sweep_job_with_their_lines(knowledge):
    document = read_document(FIXTURES / "flawed" / "sweep-bandit-both-slacks.yml")
    assert document.kind == "sweep_job"
    read = read_facts(document, knowledge.vocabulary)
    assert read.facts == {"planned_sampling": "random", "sampling_seed_given": False,
                          "hyperparameter_expressions": ("loguniform",), "tuned_hyperparameter_count": 1,
                          "max_total_trials": 50, "command_undeclared_reference": False,
                          "planned_early_termination": "bandit", "bandit_slack": "both"}
    assert read.lines["planned_sampling"] == 9 and read.lines["planned_early_termination"] == 21


def test_facts_read_from_a_sobol_sweep_and_a_deployment(knowledge):
    read = read_facts(read_document(FIXTURES / "flawed" / "sweep-bandit-no-slack.yml"), knowledge.vocabulary)
    assert read.facts["planned_sampling"] == "sobol" and read.facts["bandit_slack"] == "neither"
    read = read_facts(read_document(FIXTURES / "flawed" / "kubernetes-custom-no-script.yml"), knowledge.vocabulary)
    assert read.facts["planned_endpoint_type"] == "kubernetes_online"
    assert read.facts["deployment_model_type"] == "custom_model" and read.origins["deployment_model_type"] == "default"
    assert read.facts["has_scoring_script"] is False and read.origins["has_scoring_script"] == "not in the file"
    assert read.facts["deployment_has_environment"] is True


def test_local_paths_are_looked_at(knowledge):
    def facts(name):
        return read_facts(read_document(FIXTURES / name), knowledge.vocabulary).facts

    assert facts("clean/data-mltable-local.yml")["data_path_target"] == "folder_with_mltable"
    assert facts("flawed/data-uri-file-is-folder.yml")["data_path_target"] == "folder_without_mltable"
    assert facts("clean/data-uri-file-local.yml")["data_path_target"] == "file"
    assert facts("clean/model-mlflow-local.yml")["model_folder_has_mlmodel"] is True
    assert facts("clean/environment-pinned-with-mlflow.yml")["environment_has_mlflow"] is True
    assert facts("clean/online-custom-complete.yml")["scoring_script_has_init_and_run"] is True


def test_finding_points_at_the_line_of_the_setting(advisor):
    review = review_file(FIXTURES / "flawed" / "compute-min-above-max.yml", advisor)
    finding = next(f for f in review.findings if f.rule_id == "review.min-above-max")
    assert finding.line == 6  # min_instances: 4
    assert {(f.name, f.value, f.line) for f in finding.facts} == {
        ("cluster_min_instances", 4, 6), ("cluster_max_instances", 2, 7)}


def test_the_stage_sharpens_what_holds_whatever_the_stage(advisor):
    path = FIXTURES / "flawed" / "compute-warm-stage-unknown.yml"
    unknown = review_file(path, advisor)
    (caution,) = unknown.findings
    assert caution.rule_id == "review.cluster-keeps-nodes-warm" and caution.severity == "medium"
    assert review_file(path, advisor, {"stage": "production"}).findings == ()
    dev = review_file(path, advisor, {"stage": "experimentation"})
    assert [f.rule_id for f in dev.findings] == []  # low-priority nodes: the dedicated-node rule doesn't apply
    dedicated = FIXTURES / "flawed" / "compute-dev-dedicated-warm.yml"
    assert [f.rule_id for f in review_file(dedicated, advisor).findings] == ["review.dev-cluster-idle-dedicated"]


def test_values_outside_the_vocabulary_become_notes(advisor, tmp_path):
    path = tmp_path / "deployment.yml"
    path.write_text("endpoint_name: e\nmodel: {path: ., type: mlflow_model}\ninstance_count: 0\n", encoding="utf-8")
    review = review_file(path, advisor)
    assert "deployment_instance_count" not in {f.name for f in review.facts}
    assert any(n.startswith("deployment_instance_count not checked (line 3)") for n in review.notes)


# --- a list or mapping where a single value belongs (issue 16, class 10) ------------------------

SHAPES = [
    ("sweep", "sampling_algorithm", "[random]"), ("sweep", "early_termination", "[bandit]"),
    ("sweep", "early_termination", "{type: [bandit]}"), ("sweep", "search_space", "{lr: {type: [uniform]}}"),
    ("sweep", "search_space", "{lr: [uniform]}"), ("sweep", "limits", "[1, 2]"),
    ("sweep", "limits", "{max_total_trials: [20], max_concurrent_trials: {a: 1}}"),
    ("sweep", "sampling_algorithm", "{type: {random: 1}, rule: [sobol]}"), ("sweep", "trial", "[x]"),
    ("sweep", "trial", "{command: [python, x.py], environment: [e]}"),
    ("compute", "tier", "[dedicated]"), ("compute", "min_instances", "{a: 1}"), ("compute", "size", "[x]"),
    ("automl", "training_data", "{type: [mltable]}"), ("automl", "task", "[classification]"),
    ("automl", "featurization", "{mode: [off]}"), ("automl", "primary_metric", "{a: 1}"),
    ("automl", "resources", "instance_type=Standard_E4s_v3"),
    ("deployment", "model", "{type: [mlflow_model], path: [a]}"), ("deployment", "instance_count", "[3]"),
    ("deployment", "code_configuration", "{code: [a], scoring_script: {a: 1}}"),
    ("deployment", "environment", "{image: [x], conda_file: [y]}"), ("pipeline", "jobs", "[a, b]"),
    ("pipeline", "jobs", "{a: [x], b: {type: [sweep], inputs: [1]}}"),
    ("data", "path", "[a, b]"), ("datastore", "credentials", "[account_key]"),
    ("datastore", "credentials", "{account_key: [x]}"), ("schedule", "trigger", "[cron]"),
    ("schedule", "trigger", "{start_time: [1], end_time: {a: 1}}"), ("endpoint", "traffic", "{blue: [90]}"),
    ("instance", "schedules", "{compute_start_stop: {action: stop}}"), ("model", "path", "{a: 1}"),
    ("environment", "conda_file", "[x]"), ("command", "command", "[python, train.py]"),
]
BASES = {
    "sweep": "type: sweep\nobjective: {goal: maximize, primary_metric: a}\n",
    "compute": "type: amlcompute\nname: c\n", "automl": "type: automl\n",
    "deployment": "endpoint_name: e\n", "pipeline": "type: pipeline\n",
    "data": "type: uri_file\npath: x.csv\n", "datastore": "type: azure_blob\nname: d\n",
    "schedule": "name: s\ncreate_job: azureml:x\ntrigger: {type: cron, expression: '0 * * * *'}\n",
    "endpoint": "$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json\n",
    "instance": "type: computeinstance\nname: i\n", "model": "type: mlflow_model\npath: m\n",
    "environment": "$schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json\n",
    "command": "type: command\nenvironment: e\n",
}


@pytest.mark.parametrize("kind,key,value", SHAPES, ids=lambda v: str(v))
def test_a_list_or_mapping_where_a_value_belongs_is_a_note_not_a_crash(advisor, tmp_path, kind, key, value):
    lines = [line for line in BASES[kind].splitlines() if not line.startswith(f"{key}:")]
    path = tmp_path / "odd.yml"
    path.write_text("\n".join(lines) + f"\n{key}: {value}\n", encoding="utf-8")
    try:
        review = review_file(path, advisor)
    except AdvisorError as exc:  # refusing the file with one clear line is fine too
        assert str(path) in exc.render()
        return
    assert isinstance(review.findings, tuple)


def test_the_other_files_are_still_reviewed_after_an_odd_one(advisor, tmp_path):
    odd = tmp_path / "odd.yml"
    odd.write_text("type: sweep\nearly_termination: [bandit]\nsearch_space: {lr: {type: [uniform]}}\n",
                   encoding="utf-8")
    documents = [read_document(odd), read_document(FIXTURES / "flawed" / "sweep-bandit-both-slacks.yml")]
    first, second = review_documents(documents, advisor)
    assert any("early_termination type (a list)" in n for n in first.notes)
    assert [f.rule_id for f in second.findings] == ["review.bandit-one-slack"]


@pytest.mark.parametrize("path", UNREADABLE, ids=lambda p: p.name)
def test_unreadable_files_raise_one_clear_error(path):
    with pytest.raises(AdvisorError) as raised:
        read_document(path)
    assert raised.value.where == str(path) and raised.value.line is not None


def test_kinds_without_checks_are_recognised(advisor, tmp_path):
    path = tmp_path / "component.yml"
    path.write_text("$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json\n"
                    "name: train\ntype: command\ncommand: python train.py\n", encoding="utf-8")
    review = review_file(path, advisor)
    assert review.kind == "other" and review.title == "command component" and review.findings == ()
    assert "advisor has no checks for this kind" in review.notes[-1]


def test_a_kind_without_checks_takes_the_right_article(advisor, tmp_path):
    path = tmp_path / "vm.yml"
    path.write_text("$schema: https://azuremlschemas.azureedge.net/latest/vmCompute.schema.json\n"
                    "name: vm\ntype: virtualmachine\nresource_id: /subscriptions/x\n", encoding="utf-8")
    review = review_file(path, advisor)
    assert review.title == "attached VM"
    assert review.notes[-1].startswith("an attached VM: advisor has no checks")


def test_config_facts_and_skipped_rules(advisor):
    path = FIXTURES / "flawed" / "compute-warm-stage-unknown.yml"
    options = ReviewOptions(config_facts={"stage": "production"})
    (review,) = review_documents([read_document(path)], advisor, options)
    assert review.findings == ()
    assert ("stage", "production", "config") in {(f.name, f.value, f.origin) for f in review.facts}
    (review,) = review_documents([read_document(path)], advisor,
                                 ReviewOptions(skip_rules={"review.cluster-keeps-nodes-warm": "shared cluster"}))
    assert review.findings == ()
    (item,) = review.suppressed
    assert (item.finding.rule_id, item.reason, item.by) == (
        "review.cluster-keeps-nodes-warm", "shared cluster", "config")


# --- the rules of review.yaml: scenarios and examples cover every one -------------------

def review_rule_ids(knowledge) -> set[str]:
    return {r.id for r in knowledge.rules_in_area("review")}


def test_review_scenarios_fire_every_review_rule(advisor, knowledge):
    fired: set[str] = set()
    for path in sorted((ROOT / "scenarios" / "review").glob("*.yaml")):
        scenario = load_scenario(path, knowledge)
        consultation = advisor.consult(scenario.facts)
        expect = scenario.expect
        for decision, choice in expect.decisions.items():
            assert consultation.chosen(decision) == (choice,), (path.name, decision)
        assert set(expect.fires) <= consultation.fired_ids(), path.name
        assert not set(expect.does_not_fire) & consultation.fired_ids(), path.name
        assert set(expect.warns) <= {w.rule_id for w in consultation.warnings}, path.name
        fired |= set(expect.fires)
    # A review rule that a flawed fixture catches needs no scenario (docs/adding-a-review-check.md).
    caught = set().union(*(expected_rules(p) for p in FLAWED + FOLDER_FILES))
    assert review_rule_ids(knowledge) <= fired | caught


def test_rule_examples_cover_every_review_rule(knowledge):
    examples = yaml.safe_load((ROOT / "rules" / "review.examples.yaml").read_text(encoding="utf-8"))
    assert set(examples) == review_rule_ids(knowledge)
    assert all(e["fires"] and e["does_not_fire"] for e in examples.values())


def test_every_review_warning_rule_has_a_fixture_that_it_catches(knowledge):
    caught = set().union(*(expected_rules(p) for p in FLAWED + FOLDER_FILES))
    warning_rules = {r.id for r in knowledge.rules_in_area("review") if r.conclusion.kind == "warn"}
    assert warning_rules <= caught, warning_rules - caught


def test_automl_vision_concurrency_is_read_from_its_sweep_limits(knowledge, tmp_path):
    path = tmp_path / "automl-image.yml"
    path.write_text("type: automl\ntask: image_classification\ncompute: azureml:gpu-cluster\n"
                    "training_data: {type: mltable, path: azureml:fridge:1}\n"
                    "sweep:\n  limits: {max_trials: 10, max_concurrent_trials: 4}\n"
                    "search_space:\n  - model_name: \"choice('vitb16r224')\"\n", encoding="utf-8")
    read = read_facts(read_document(path), knowledge.vocabulary)
    assert read.facts["max_concurrent_trials"] == 4 and read.lines["max_concurrent_trials"] == 6
    assert read.facts["ml_task"] == "computer_vision"


def test_paths_the_yaml_names_are_probed_safely(advisor, tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe")
    cases = {
        "data-fifo.yml": "type: uri_file\npath: pipe\n",
        "data-long.yml": "type: uri_folder\npath: " + "x" * 400 + "\n",
        "env-zero.yml": "$schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json\n"
                        "image: python:3.11.7\nconda_file: /dev/zero\n",
        "deployment-fifo.yml": "endpoint_name: e\nmodel: {path: pipe, type: custom_model}\ninstance_count: 3\n"
                               "code_configuration: {code: ., scoring_script: pipe}\nenvironment: azureml:e:1\n",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    reviews = review_documents([read_document(tmp_path / n) for n in cases], advisor)
    by_name = {Path(r.path).name: r for r in reviews}
    assert "data_path_target" not in {f.name for f in by_name["data-fifo.yml"].facts}
    assert any("could not be read" in n for n in by_name["env-zero.yml"].notes)
    assert [f.rule_id for f in by_name["deployment-fifo.yml"].findings] == ["review.scoring-script-missing"]


def test_every_review_check_declares_its_severity_and_names_a_rule(knowledge):
    from advisor.azureml.checks import SEVERITIES, checks

    declared = checks()
    warning_rules = {r.id for r in knowledge.rules_in_area("review") if r.conclusion.kind == "warn"}
    assert warning_rules <= set(declared), warning_rules - set(declared)
    assert all(knowledge.rule(rule_id) is not None for rule_id in declared)
    assert all(c.severity in SEVERITIES for c in declared.values())
    assert all(c.line is None or knowledge.vocabulary.fact(c.line) is not None for c in declared.values())
