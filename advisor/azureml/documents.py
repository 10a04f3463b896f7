"""Read one Azure ML CLI v2 YAML file and tell what it describes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from advisor.errors import AdvisorError
from advisor.yamlio import YamlDocument, parse_yaml, read_text_file

Kind = Literal["sweep_job", "automl_job", "compute", "online_deployment", "batch_deployment"]
KIND_TITLES = {"sweep_job": "sweep job", "automl_job": "AutoML job", "compute": "compute cluster",
               "online_deployment": "online deployment", "batch_deployment": "batch deployment"}
SUPPORTED = ("a sweep job (type: sweep), an AutoML job (type: automl), a compute cluster "
             "(type: amlcompute), or an online or batch deployment (endpoint_name: ...)")

# The last part of a `$schema` URL, e.g. .../latest/sweepJob.schema.json
SCHEMA_KINDS: dict[str, Kind] = {
    "sweepjob": "sweep_job", "automljob": "automl_job", "amlcompute": "compute",
    "managedonlinedeployment": "online_deployment", "kubernetesonlinedeployment": "online_deployment",
    "batchdeployment": "batch_deployment", "modelbatchdeployment": "batch_deployment",
}
BATCH_KEYS = ("compute", "mini_batch_size", "output_action", "output_file_name", "settings",
              "max_concurrency_per_instance", "error_threshold", "retry_settings", "logging_level")


@dataclass(frozen=True)
class AzureMLDocument:
    path: str
    kind: Kind
    data: dict[str, Any]
    yaml: YamlDocument

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]

    def line(self, *path: Any) -> int | None:
        return self.yaml.line(*path)


def read_document(path: str | Path) -> AzureMLDocument:
    """Load and classify one file; AdvisorError (naming file and line) if it can't be used."""
    path = Path(path)
    where = str(path)
    text = read_text_file(path, "an Azure ML YAML file")
    document = parse_yaml(text, where)
    if not isinstance(document.data, dict):
        raise AdvisorError("expected a mapping at the top level", where=where, line=1, allowed=SUPPORTED)
    return AzureMLDocument(where, classify(document.data, where, document), document.data, document)


def classify(data: dict[str, Any], where: str, document: YamlDocument) -> Kind:
    schema = data.get("$schema")
    if isinstance(schema, str):
        stem = schema.rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0].lower()
        if stem in SCHEMA_KINDS:
            return SCHEMA_KINDS[stem]
    kind = data.get("type")
    if kind == "sweep":
        return "sweep_job"
    if kind == "automl":
        return "automl_job"
    if kind == "amlcompute":
        return "compute"
    if "endpoint_name" in data:
        if kind in ("model", "pipeline") or any(k in data for k in BATCH_KEYS):
            return "batch_deployment"
        return "online_deployment"
    what = f"type {kind!r}" if isinstance(kind, str) else "no type"
    raise AdvisorError(f"not a kind of Azure ML YAML that advisor review reads ({what})", where=where,
                       line=document.line("type") or 1, allowed=SUPPORTED)
