"""Endpoints and deployments, online and batch."""

from __future__ import annotations

import re
from typing import Any

from advisor.azureml.documents import kubernetes_endpoint_signal
from advisor.azureml.facts.assets import model_folder
from advisor.azureml.facts.reader import (
    Reader,
    file_kind,
    is_placeholder,
    mapping,
    number,
    read_small_text,
    shown,
    text,
)


def online_endpoint(r: Reader) -> None:
    signal = kubernetes_endpoint_signal(r.data)
    if signal is not None:
        r.set("planned_endpoint_type", "kubernetes_online", signal)
        r.refer("compute", "compute", r.get("compute"), "compute")
    traffic = r.get("traffic")
    if isinstance(traffic, dict) and traffic:
        shares = [number(v) for v in traffic.values()]
        if all(s is not None for s in shares):
            r.set("endpoint_traffic_total", sum(shares), "traffic")  # type: ignore[arg-type]
        else:
            r.note("traffic has a share that is not a number; not checked")


def batch_endpoint(r: Reader) -> None:
    r.refer("default_deployment", "deployment", r.get("defaults", "deployment_name"), "defaults", "deployment_name")


def deployment(r: Reader) -> None:
    document = r.document
    r.refer("endpoint", "endpoint", r.get("endpoint_name"), "endpoint_name")
    if document.kind == "batch_deployment":
        r.set("planned_endpoint_type", "batch", "endpoint_name")
        _batch_settings(r)
        r.refer("compute", "compute", r.get("compute"), "compute")
        count = number(mapping(r.get("resources")).get("instance_count"))
        if count is not None:
            r.set("job_instance_count", count, "resources", "instance_count")
    else:
        schema = str(r.get("$schema") or "").lower()
        kubernetes = r.get("type") == "kubernetes" or "kubernetesonlinedeployment" in schema
        r.set("planned_endpoint_type", "kubernetes_online" if kubernetes else "managed_online",
              "type" if r.get("type") else "endpoint_name")
        count = r.get("instance_count")
        if count is not None:
            r.set("deployment_instance_count", count, "instance_count")
        r.vm_size("instance_type")
    if isinstance(r.get("environment", "inference_config"), dict):
        # A custom container (TF Serving, TorchServe, Triton, an MLflow or prompt flow server)
        # serves the model on its own routes: no scoring script, whatever the model's type.
        r.note("custom container (environment.inference_config): it serves the model on its own "
               "liveness, readiness and scoring routes, so no scoring script is needed")
        r.set("deployment_has_environment", True, "environment")
        r.environment("environment", training=False)
        return
    model = r.get("model")
    if isinstance(model, dict):
        model_type = model.get("type")
        if model_type is None:
            r.set("deployment_model_type", "custom_model", "model", origin="default")
            r.note("model type not set: Azure ML registers an inline model as custom_model")
        else:
            r.set("deployment_model_type", model_type, "model", "type")
        model_folder(r, model.get("path"), "model", "path")
    elif model is not None:
        r.note("model refers to a registered model, whose type isn't in this file; "
               "give it with --fact deployment_model_type=... to check the scoring script")
    script = r.get("code_configuration", "scoring_script")
    if script is not None:
        r.set("has_scoring_script", True, "code_configuration", "scoring_script")
        _scoring_script(r, r.get("code_configuration", "code"), script)
    else:
        r.set("has_scoring_script", False, origin="not in the file")
    if r.get("environment") is not None:
        r.set("deployment_has_environment", True, "environment")
        r.environment("environment", training=False)
    else:
        r.set("deployment_has_environment", False, origin="not in the file")


def _scoring_script(r: Reader, code: Any, script: Any) -> None:
    if is_placeholder(script) or is_placeholder(code):
        r.note(f"scoring script {shown(script)} in {shown(code)} is a placeholder; not checked")
        return
    folder = r.local(code) if code is not None else r.document.folder
    name = text(script)
    if folder is None or not name or file_kind(folder) != "folder":
        return
    path = folder / name
    found = file_kind(path) == "file"
    r.set("scoring_script_found", found, "code_configuration", "scoring_script")
    if found:
        source = read_small_text(path)
        if source is None:
            return
        has_both = all(re.search(rf"^\s*(async\s+)?def\s+{f}\s*\(", source, re.MULTILINE) for f in ("init", "run"))
        r.set("scoring_script_has_init_and_run", has_both, "code_configuration", "scoring_script")


def _batch_settings(r: Reader) -> None:
    settings = mapping(r.get("settings"))
    where = ("settings",) if settings else ()
    action = text(settings.get("output_action") if settings else r.get("output_action"))
    if action:
        r.set("batch_output_action", action.lower(), *where, "output_action")
    named = (settings.get("output_file_name") if settings else r.get("output_file_name")) is not None
    if named:
        r.set("batch_output_file_named", True, *where, "output_file_name")

