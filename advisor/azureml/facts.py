"""Azure ML YAML settings turned into the advisor's facts, each with the line it came from.

Only what the file states (or what Azure ML does by default when a key is left out, said so
in a note) becomes a fact. A value the vocabulary doesn't allow is left out with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor.azureml.documents import AzureMLDocument
from advisor.knowledge.vocabulary import Vocabulary

SAMPLING = {"grid": "grid", "random": "random", "bayesian": "bayesian"}
POLICIES = {"bandit": "bandit", "median_stopping": "median_stopping",
            "truncation_selection": "truncation_selection"}
STAGE_TAGS = ("stage", "environment", "env")
STAGES = {"experimentation": "experimentation", "dev": "experimentation", "development": "experimentation",
          "production": "production", "prod": "production"}
AUTOML_TASKS = {
    "classification": "classification", "regression": "regression", "forecasting": "forecasting",
    "image_classification": "computer_vision", "image_classification_multilabel": "computer_vision",
    "image_object_detection": "computer_vision", "image_instance_segmentation": "computer_vision",
    "text_classification": "nlp", "text_classification_multilabel": "nlp", "text_ner": "nlp",
}


@dataclass
class ReadFacts:
    facts: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int | None] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)   # "file", "default" or "not in the file"
    notes: list[str] = field(default_factory=list)


class _Reader:
    def __init__(self, document: AzureMLDocument, vocabulary: Vocabulary) -> None:
        self.document = document
        self.vocabulary = vocabulary
        self.result = ReadFacts()

    def get(self, *path: Any) -> Any:
        node: Any = self.document.data
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    def set(self, name: str, value: Any, *path: Any, origin: str = "file") -> None:
        spec = self.vocabulary.fact(name)
        assert spec is not None, name
        line = self.document.line(*path) if path else None
        try:
            self.result.facts[name] = spec.check(value)
        except ValueError as exc:
            where = f" (line {line})" if line else ""
            self.result.notes.append(f"{name} not checked{where}: {exc}")
            return
        self.result.lines[name] = line
        self.result.origins[name] = origin

    def note(self, text: str) -> None:
        self.result.notes.append(text)

    def stage(self) -> None:
        tags = self.get("tags")
        if not isinstance(tags, dict):
            return
        for key in STAGE_TAGS:
            value = tags.get(key)
            if isinstance(value, str) and value.lower() in STAGES:
                self.set("stage", STAGES[value.lower()], "tags", key)
                return


def read_facts(document: AzureMLDocument, vocabulary: Vocabulary) -> ReadFacts:
    reader = _Reader(document, vocabulary)
    {"sweep_job": _sweep, "automl_job": _automl, "compute": _compute,
     "online_deployment": _deployment, "batch_deployment": _deployment}[document.kind](reader)
    reader.stage()
    return reader.result


def _sweep(r: _Reader) -> None:
    algorithm = r.get("sampling_algorithm")
    if isinstance(algorithm, dict):
        kind = str(algorithm.get("type", "")).lower()
        rule = str(algorithm.get("rule", "")).lower()
        sampling = "sobol" if kind == "random" and rule == "sobol" else SAMPLING.get(kind)
    else:
        sampling = SAMPLING.get(str(algorithm).lower()) if algorithm is not None else None
    if sampling:
        r.set("planned_sampling", sampling, "sampling_algorithm")
    elif algorithm is not None:
        r.note(f"sampling_algorithm {algorithm!r} is not one the advisor knows; not checked")

    space = r.get("search_space")
    if isinstance(space, dict) and space:
        expression_values = r.vocabulary.fact("hyperparameter_expressions").values  # type: ignore[union-attr]
        kinds = []
        for name, spec in space.items():
            kind = spec.get("type") if isinstance(spec, dict) else None
            if kind in expression_values:
                kinds.append(kind)
            else:
                r.note(f"search_space.{name}: expression {kind!r} is not one the advisor knows")
        if kinds:
            r.set("hyperparameter_expressions", kinds, "search_space")
        r.set("tuned_hyperparameter_count", len(space), "search_space")

    total = r.get("limits", "max_total_trials")
    if total is not None:
        r.set("max_total_trials", total, "limits", "max_total_trials")

    policy = r.get("early_termination")
    if policy is None:
        r.set("planned_early_termination", "none", origin="not in the file")
        return
    kind = policy.get("type") if isinstance(policy, dict) else policy
    if kind not in POLICIES:
        r.note(f"early_termination type {kind!r} is not one the advisor knows; not checked")
        return
    r.set("planned_early_termination", POLICIES[kind], "early_termination", "type")
    if kind == "bandit":
        factor = policy.get("slack_factor") is not None
        amount = policy.get("slack_amount") is not None
        slack = "both" if factor and amount else "slack_factor" if factor else "slack_amount" if amount else "neither"
        r.set("bandit_slack", slack, "early_termination")
    if kind == "truncation_selection" and policy.get("truncation_percentage") is not None:
        r.set("truncation_percentage", policy["truncation_percentage"], "early_termination", "truncation_percentage")


def _automl(r: _Reader) -> None:
    r.set("algorithm_selection", "automated", "type")
    task = r.get("task")
    if isinstance(task, str) and task.lower() in AUTOML_TASKS:
        r.set("ml_task", AUTOML_TASKS[task.lower()], "task")
    data = r.get("training_data")
    if isinstance(data, dict) and isinstance(data.get("type"), str):
        if data["type"] in ("mltable", "uri_file", "uri_folder"):
            r.set("training_data_input_type", data["type"], "training_data", "type")
        else:
            r.note(f"training_data type {data['type']!r} is not one the advisor knows; not checked")
    elif data is not None:
        r.note("training_data gives no type; its data type is not checked")


def _compute(r: _Reader) -> None:
    low, high = r.get("min_instances"), r.get("max_instances")
    if low is not None:
        r.set("cluster_min_instances", low, "min_instances")
    if high is not None:
        r.set("cluster_max_instances", high, "max_instances")
    tier = r.get("tier")
    if tier is None:
        r.set("planned_cluster_tier", "dedicated", origin="default")
        r.note("tier not set: Azure ML uses dedicated")
    else:
        normalized = str(tier).lower().replace("lowpriority", "low_priority")
        r.set("planned_cluster_tier", normalized, "tier")


def _deployment(r: _Reader) -> None:
    document = r.document
    if document.kind == "batch_deployment":
        r.set("planned_endpoint_type", "batch", "endpoint_name")
    else:
        schema = str(r.get("$schema") or "").lower()
        kubernetes = r.get("type") == "kubernetes" or "kubernetesonlinedeployment" in schema
        r.set("planned_endpoint_type", "kubernetes_online" if kubernetes else "managed_online",
              "type" if r.get("type") else "endpoint_name")
        count = r.get("instance_count")
        if count is not None:
            r.set("deployment_instance_count", count, "instance_count")
    model = r.get("model")
    if isinstance(model, dict):
        model_type = model.get("type")
        if model_type is None:
            r.set("deployment_model_type", "custom_model", "model", origin="default")
            r.note("model type not set: Azure ML registers an inline model as custom_model")
        else:
            r.set("deployment_model_type", model_type, "model", "type")
    elif model is not None:
        r.note("model refers to a registered model, whose type isn't in this file; "
               "give it with --fact deployment_model_type=... to check the scoring script")
    script = r.get("code_configuration", "scoring_script")
    if script is not None:
        r.set("has_scoring_script", True, "code_configuration", "scoring_script")
    else:
        r.set("has_scoring_script", False, origin="not in the file")
    if r.get("environment") is not None:
        r.set("deployment_has_environment", True, "environment")
    else:
        r.set("deployment_has_environment", False, origin="not in the file")
