"""Read one Azure ML CLI v2 YAML file and tell what it describes.

The kind comes from the `$schema` URL when the file has one (its last part names the kind,
e.g. .../latest/sweepJob.schema.json), otherwise from `type` and the keys only one kind has.
Kinds that Azure ML knows but that advisor has no checks for (components, workspaces, ...)
are recognised as `other`, so a folder review can say so instead of failing on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from advisor.errors import AdvisorError
from advisor.yamlio import YamlDocument, parse_yaml, read_text_file

Kind = Literal["command_job", "sweep_job", "pipeline_job", "automl_job", "compute", "compute_instance",
               "kubernetes_compute", "environment", "data", "datastore", "model", "online_endpoint",
               "online_deployment", "batch_endpoint", "batch_deployment", "schedule", "other"]
KIND_TITLES: dict[str, str] = {
    "command_job": "command job", "sweep_job": "sweep job", "pipeline_job": "pipeline job",
    "automl_job": "AutoML job", "compute": "compute cluster", "compute_instance": "compute instance",
    "kubernetes_compute": "Kubernetes compute", "environment": "environment", "data": "data asset",
    "datastore": "datastore", "model": "model", "online_endpoint": "online endpoint",
    "online_deployment": "online deployment", "batch_endpoint": "batch endpoint",
    "batch_deployment": "batch deployment", "schedule": "schedule", "other": "Azure ML asset",
}
SUPPORTED = ("a job (command, sweep, pipeline, automl), compute (amlcompute, computeinstance, "
             "kubernetes), an environment, a data asset, a datastore, a model, an online or batch "
             "endpoint or deployment, or a schedule, told by $schema or type")

# The last part of a `$schema` URL, lower-cased, without ".schema.json".
SCHEMA_KINDS: dict[str, Kind] = {
    "commandjob": "command_job", "sweepjob": "sweep_job", "pipelinejob": "pipeline_job",
    "automljob": "automl_job", "amlcompute": "compute", "computeinstance": "compute_instance",
    "kubernetescompute": "kubernetes_compute", "environment": "environment", "data": "data",
    "azureblob": "datastore", "azurefile": "datastore", "azuredatalakegen2": "datastore",
    "azuredatalakegen1": "datastore", "model": "model",
    "managedonlineendpoint": "online_endpoint", "kubernetesonlineendpoint": "online_endpoint",
    "managedonlinedeployment": "online_deployment", "kubernetesonlinedeployment": "online_deployment",
    "batchendpoint": "batch_endpoint", "batchdeployment": "batch_deployment",
    "modelbatchdeployment": "batch_deployment", "pipelinecomponentbatchdeployment": "batch_deployment",
    "schedule": "schedule",
}
# Azure ML kinds advisor recognises but has no checks for: reported, never a failure.
OTHER_SCHEMAS = {
    "commandcomponent": "command component", "pipelinecomponent": "pipeline component",
    "parallelcomponent": "parallel component", "sparkcomponent": "Spark component",
    "sparkjob": "Spark job", "workspace": "workspace", "registry": "registry",
    "featurestore": "feature store", "featureset": "feature set",
    "featurestoreentity": "feature store entity", "virtualmachinecompute": "attached VM",
    "synapsesparkcompute": "attached Synapse Spark pool", "dataimport": "data import",
}
TYPE_KINDS: dict[str, Kind] = {
    "command": "command_job", "sweep": "sweep_job", "pipeline": "pipeline_job", "automl": "automl_job",
    "amlcompute": "compute", "computeinstance": "compute_instance", "kubernetes": "kubernetes_compute",
    "uri_file": "data", "uri_folder": "data", "mltable": "data",
    "azure_blob": "datastore", "azure_file": "datastore", "azure_data_lake_gen2": "datastore",
    "azure_data_lake_gen1": "datastore",
    "mlflow_model": "model", "custom_model": "model", "triton_model": "model",
}
OTHER_TYPES = {"spark": "Spark job", "parallel": "parallel job", "virtualmachine": "attached VM",
               "synapsespark": "attached Synapse Spark pool"}
BATCH_KEYS = ("compute", "mini_batch_size", "output_action", "output_file_name", "settings",
              "max_concurrency_per_instance", "error_threshold", "retry_settings", "logging_level")


@dataclass(frozen=True)
class AzureMLDocument:
    path: str
    kind: Kind
    data: dict[str, Any]
    yaml: YamlDocument
    text: str = ""
    other_title: str = ""  # what an `other` file is (e.g. "command component")

    @property
    def title(self) -> str:
        return self.other_title if self.kind == "other" else KIND_TITLES[self.kind]

    def line(self, *path: Any) -> int | None:
        return self.yaml.line(*path)

    @property
    def folder(self) -> Path:
        return Path(self.path).parent


class NotAzureML(AdvisorError):
    """The file is YAML but shows no sign of being Azure ML YAML (a folder review skips it)."""


def read_document(path: str | Path) -> AzureMLDocument:
    """Load and classify one file; AdvisorError (naming file and line) if it can't be used."""
    path = Path(path)
    where = str(path)
    text = read_text_file(path, "an Azure ML YAML file")
    document = parse_yaml(text, where)
    if not isinstance(document.data, dict):
        raise NotAzureML("expected a mapping at the top level", where=where, line=1, allowed=SUPPORTED)
    kind, other = classify(document.data, where, document)
    return AzureMLDocument(where, kind, document.data, document, text, other)


def _schema_stem(data: dict[str, Any]) -> str | None:
    schema = data.get("$schema")
    if not isinstance(schema, str):
        return None
    return schema.strip().rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0].lower()


def kubernetes_endpoint_signal(data: dict[str, Any]) -> str | None:
    """What makes an online endpoint a Kubernetes one: the attached compute it names (managed
    endpoints name none) or a kubernetesOnlineEndpoint `$schema`; None for a managed endpoint."""
    if data.get("compute") is not None:
        return "compute"
    return "$schema" if _schema_stem(data) == "kubernetesonlineendpoint" else None


def classify(data: dict[str, Any], where: str, document: YamlDocument) -> tuple[Kind, str]:
    """The file's kind, and for `other` what it is; AdvisorError when it is not recognised."""
    stem = _schema_stem(data)
    if stem in SCHEMA_KINDS:
        return SCHEMA_KINDS[stem], ""
    if stem in OTHER_SCHEMAS:
        return "other", OTHER_SCHEMAS[stem]
    kind = data.get("type")
    kind = kind.lower() if isinstance(kind, str) else None
    if "endpoint_name" in data:
        if kind in ("model", "pipeline") or any(k in data for k in BATCH_KEYS):
            return "batch_deployment", ""
        return "online_deployment", ""
    if kind == "schedule" or ("trigger" in data and "create_job" in data):
        return "schedule", ""
    if kind in TYPE_KINDS and (TYPE_KINDS[kind] not in ("data", "model") or "path" in data):
        return TYPE_KINDS[kind], ""
    if kind in OTHER_TYPES:
        return "other", OTHER_TYPES[kind]
    if kind is None:
        if "auth_mode" in data or "traffic" in data:
            return "online_endpoint", ""
        if any(k in data for k in ("image", "conda_file", "build")) and "command" not in data:
            return "environment", ""
        if "command" in data and "environment" in data:
            return "command_job", ""
    raw = data.get("type")
    what = f"type {raw!r}" if isinstance(raw, str) else "no type" if raw is None else "a type that is not a string"
    error = AdvisorError if (stem or raw is not None) else NotAzureML
    raise error(f"not a kind of Azure ML YAML that advisor review reads ({what})", where=where,
                line=document.line("type") or 1, allowed=SUPPORTED)
