"""Azure ML YAML settings turned into the advisor's facts, each with the line it came from.

The reader table maps each kind to its reader; the readers live by kind group (jobs, compute,
assets, endpoints, schedules, other kinds), the shared reader and helpers in reader.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advisor.azureml.documents import AzureMLDocument
from advisor.azureml.facts import assets, compute, endpoints, jobs, schedules
from advisor.azureml.facts.reader import Reader, ReadFacts, Reference, mapping, number, text
from advisor.knowledge.vocabulary import Vocabulary

__all__ = ["READERS", "ReadFacts", "Reference", "mapping", "number", "read_facts", "read_step", "step_kind",
           "text"]


def read_facts(document: AzureMLDocument, vocabulary: Vocabulary) -> ReadFacts:
    reader = Reader(document, vocabulary)
    READERS[document.kind](reader)
    reader.secrets()
    reader.stage()
    return reader.result


def read_step(document: AzureMLDocument, vocabulary: Vocabulary, name: str, step: dict[str, Any],
              kind: str) -> ReadFacts:
    """The facts of one step of a pipeline job, with lines in the pipeline file."""
    reader = Reader(document, vocabulary, ("jobs", name), step)
    READERS[kind](reader)
    return reader.result


def step_kind(step: Any) -> str | None:
    """The kind of an inline pipeline step advisor checks, or None (component steps, others)."""
    if not isinstance(step, dict):
        return None
    kind = text(step.get("type"))
    kind = kind.lower() if kind else ("command" if "command" in step else None)
    return {"command": "command_job", "sweep": "sweep_job", "automl": "automl_job"}.get(kind or "")


# The reader of each kind, by kind group.
READERS: dict[str, Callable[[Reader], None]] = {
    "command_job": jobs.command_job, "sweep_job": jobs.sweep_job, "pipeline_job": jobs.pipeline_job,
    "automl_job": jobs.automl_job,
    "compute": compute.compute_cluster, "compute_instance": compute.compute_instance,
    "kubernetes_compute": compute.nothing,
    "environment": assets.environment, "data": assets.data_asset, "datastore": assets.datastore,
    "model": assets.model,
    "online_endpoint": endpoints.online_endpoint, "online_deployment": endpoints.deployment,
    "batch_endpoint": endpoints.batch_endpoint, "batch_deployment": endpoints.deployment,
    "schedule": schedules.schedule, "connection": assets.connection,
    "other": compute.nothing,
}
