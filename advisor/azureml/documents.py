"""Read one Azure ML CLI v2 YAML file and tell what it describes.

The kind comes from the `$schema` URL when the file has one (its last part names the kind,
e.g. .../latest/sweepJob.schema.json), otherwise from `type` and the keys only one kind has.
Kinds that Azure ML knows but that advisor has no checks for (components, workspaces, ...)
are recognised as `other`, so a folder review can say so instead of failing on them.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from advisor.errors import AdvisorError
from advisor.records import record
from advisor.yamlio import YamlDocument, parse_yaml, read_text_file

Kind = Literal["command_job", "sweep_job", "pipeline_job", "automl_job", "compute", "compute_instance",
               "kubernetes_compute", "environment", "data", "datastore", "model", "online_endpoint",
               "online_deployment", "batch_endpoint", "batch_deployment", "schedule", "connection", "other"]
KIND_TITLES: dict[str, str] = {
    "command_job": "command job", "sweep_job": "sweep job", "pipeline_job": "pipeline job",
    "automl_job": "AutoML job", "compute": "compute cluster", "compute_instance": "compute instance",
    "kubernetes_compute": "Kubernetes compute", "environment": "environment", "data": "data asset",
    "datastore": "datastore", "model": "model", "online_endpoint": "online endpoint",
    "online_deployment": "online deployment", "batch_endpoint": "batch endpoint",
    "batch_deployment": "batch deployment", "schedule": "schedule", "connection": "workspace connection",
    "other": "Azure ML asset",
}
SUPPORTED = ("a job (command, sweep, pipeline, automl), compute (amlcompute, computeinstance, "
             "kubernetes), an environment, a data asset, a datastore, a model, an online or batch "
             "endpoint or deployment, a schedule or a workspace connection, told by $schema or type "
             "(other Azure ML kinds, e.g. components, workspaces, registries, prompt flows, model "
             "packages, fine-tuning jobs, are noted)")
# A `{{VAR}}` a script substitutes before `az ml ... create` (not a job's `${{inputs.x}}`).
TEMPLATE_MARK = re.compile(r"(?<!\$)\{\{ {0,8}[A-Za-z_][A-Za-z0-9_.\-]{0,100} {0,8}\}\}")

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
    "modelversionpackage": "model package", "flow": "prompt flow", "run": "prompt flow run",
    "serverlessendpoint": "serverless endpoint", "finetuningjob": "fine-tuning job",
    "distillationjob": "distillation job", "marketplacesubscription": "marketplace subscription",
    "capabilityhost": "capability host", "index": "index", "monitorschedule": "schedule",
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
               "synapsespark": "attached Synapse Spark pool", "finetuning": "fine-tuning job",
               "distillation": "distillation job", "data_transfer": "data transfer job",
               "import": "data import job"}
# Workspace connection types (reference-yaml-connection-*): a connection's `credentials` are read
# like a datastore's, so a secret written into it is reported and a placeholder is not.
CONNECTION_TYPES = frozenset({
    "azure_sql_db", "git", "s3", "snowflake", "container_registry", "python_feed", "azure_open_ai",
    "open_ai", "azure_ai_search", "cognitive_search", "azure_ai_services", "cognitive_service",
    "azure_content_safety", "azure_speech_services", "serverless", "serp", "serverless_endpoint",
    "custom", "custom_keys", "api_key", "azure_blob_storage", "azure_one_lake", "azure_data_lake_gen2_connection",
    "apikey", "serpapi", "qdrant", "weaviate", "pinecone", "elasticsearch", "azure_synapse_analytics",
    "azure_my_sql_db", "azure_postgres_db", "wandb", "mongodb", "redis", "openai",
})
# Keys only one kind of file has, for files with neither `$schema` nor a known `type`.
SHAPES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("inferencing_server",), "model package"), (("target_environment",), "model package"),
    (("replication_locations",), "registry"),
    (("managed_network",), "workspace"), (("hbi_workspace",), "workspace"),
    (("customer_managed_key",), "workspace"), (("key_vault", "storage_account"), "workspace"),
    (("nodes", "outputs"), "prompt flow"), (("nodes", "inputs"), "prompt flow"),
    (("flow", "data"), "prompt flow run"), (("flow", "column_mapping"), "prompt flow run"),
    (("model_id",), "serverless endpoint"),
)
# The 2021 preview CLI's shapes (`type: online` with inline `deployments:`, `local_path`,
# `command_component`, `paths:` lists of files and folders): today's `az ml` refuses them, so they are
# noted as such, never reviewed (their settings mean other things) and never failed.
LEGACY_TYPES = {"online": "online endpoint", "command_component": "command component",
                "pipeline_job": "pipeline job", "component_job": "component job"}
DATA_TYPES = ("uri_file", "uri_folder", "mltable")
LEGACY_DATA_STEMS = ("dataset", "asset")  # the data asset's schema before it was named data
LEGACY_MARK = "in the 2021 preview shape, which today's CLI refuses"
BATCH_KEYS = ("compute", "mini_batch_size", "output_action", "output_file_name", "settings",
              "max_concurrency_per_instance", "error_threshold", "retry_settings", "logging_level")


@record(frozen=True)
class AzureMLDocument:
    path: str
    kind: Kind
    data: dict[str, Any]
    yaml: YamlDocument
    text: str = ""
    other_title: str = ""  # what an `other` file is (e.g. "command component")
    duplicates: tuple[str, ...] = ()  # each duplicate key, as a note (the later value was read)

    @property
    def title(self) -> str:
        return self.other_title if self.kind == "other" else KIND_TITLES[self.kind]

    def line(self, *path: Any) -> int | None:
        return self.yaml.line(*path)

    @cached_property
    def folder(self) -> Path:  # asked for each local path and cross-file name: built once
        return Path(self.path).parent


class NotAzureML(AdvisorError):
    """The file is YAML but shows no sign of being Azure ML YAML (a folder review skips it)."""


class TemplateFile(AdvisorError):
    """A template whose `{{VAR}}` placeholders a script fills before use, which is not valid
    YAML until then: noted as such, never an error."""


def template_marks(text: str) -> list[str]:
    return TEMPLATE_MARK.findall(text)


def read_document(path: str | Path) -> AzureMLDocument:
    """Load and classify one file; AdvisorError (naming file and line) if it can't be used."""
    path = Path(path)
    where = str(path)
    text = read_text_file(path, "an Azure ML YAML file")
    duplicates: list[str] = []  # Azure ML's CLI keeps a duplicate key's later value: so does review
    try:
        document = parse_yaml(text, where, duplicates)
    except AdvisorError as exc:
        marks = template_marks(text)
        if marks:
            raise TemplateFile(f"template placeholder ({marks[0]}), not reviewed until filled in", where=where,
                               line=exc.line) from None
        raise
    if document.data is None:
        raise NotAzureML("empty: no settings, only comments or nothing", where=where, line=1, allowed=SUPPORTED)
    if not isinstance(document.data, dict):
        raise NotAzureML("expected a mapping at the top level", where=where, line=1, allowed=SUPPORTED)
    kind, other = classify(document.data, where, document)
    declared = document.data.get("type")
    if kind == "data" and isinstance(declared, str) and declared.lower() not in DATA_TYPES:
        raise AdvisorError(f"type {declared[:80]!r} is not a data asset type", where=where,
                           line=document.line("type"), allowed=", ".join(DATA_TYPES))
    return AzureMLDocument(where, kind, document.data, document, text, other,
                           tuple(f"{d}: the later value is the one read, as Azure ML's CLI reads it; "
                                 "keep one" for d in duplicates[:20]))


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


def _by_shape(data: dict[str, Any], kind: str | None, stem: str | None) -> tuple[Kind, str] | None:
    """Connections, and the kinds told by keys only they have (registries, workspaces, prompt
    flows, model packages) when the file has no `$schema`."""
    if (stem is not None and stem.endswith("connection")) or (
            kind in CONNECTION_TYPES and any(k in data for k in ("target", "credentials", "api_key", "api_base"))):
        return "connection", ""
    for keys, title in SHAPES:
        if all(k in data for k in keys):
            return "other", title
    return None


def _legacy(data: dict[str, Any], kind: str | None, stem: str | None) -> str | None:
    """What a file in the 2021 preview shape is (None when it is not in that shape)."""
    scale = data.get("scale_settings")
    inline = "deployments" in data or (isinstance(scale, dict) and "scale_type" in scale)  # today's: `type:`
    if kind in LEGACY_TYPES:  # the official loader refuses `type: online` even without deployments
        return LEGACY_TYPES[kind]
    nested = [v for k in ("model", "code", "environment", "code_configuration") for v in [data.get(k)]
              if isinstance(v, dict)]
    local_path = "local_path" in data or any("local_path" in v for v in nested) or any(
        isinstance(v.get("code"), dict) and "local_path" in v["code"] for v in nested)
    paths = data.get("paths")
    dataset_paths = isinstance(paths, list) and any(isinstance(p, dict) and ("file" in p or "folder" in p)
                                                    for p in paths)
    # A preview `$schema` URL alone is no sign: the CLI ignores it, and today's files carry it too.
    if not (local_path or inline or dataset_paths):
        return None
    if stem in (*LEGACY_DATA_STEMS, "data") or dataset_paths:
        return "data asset"
    if kind == "online" or "endpoint" in (stem or "") or inline:
        return "online endpoint or deployment"
    return "Azure ML file"


def _old_shapes(data: dict[str, Any], kind: str | None, stem: str | None) -> tuple[Kind, str] | None:
    """Files written for older CLIs: noted when in the preview shape, else read as today's kind."""
    legacy = _legacy(data, kind, stem)
    if legacy is not None:
        return "other", f"{legacy} {LEGACY_MARK}"
    if stem in LEGACY_DATA_STEMS:
        return "data", ""  # the old schema name, with `path` (not `local_path`): a data asset
    return None


def classify(data: dict[str, Any], where: str, document: YamlDocument) -> tuple[Kind, str]:
    """The file's kind, and for `other` what it is; AdvisorError when it is not recognised."""
    stem = _schema_stem(data)
    kind = data.get("type")
    kind = kind.lower() if isinstance(kind, str) else None
    old = _old_shapes(data, kind, stem)
    if old is not None:
        return old
    if stem in SCHEMA_KINDS:
        return SCHEMA_KINDS[stem], ""
    if stem in OTHER_SCHEMAS:
        return "other", OTHER_SCHEMAS[stem]
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
    shaped = _by_shape(data, kind, stem)
    if shaped is not None:
        return shaped
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
