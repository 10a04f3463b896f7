"""Azure ML YAML settings turned into the advisor's facts, each with the line it came from.

Only what the file states (or what Azure ML does by default when a key is left out, said so
in a note) becomes a fact. A value the vocabulary doesn't allow, or a list or mapping where a
single value belongs, is left out with a note: a file written by anyone never crashes the
review. Local files the YAML names (code folders, conda files, model folders, MLTable files)
are looked at, relative to the YAML file, so checks can tell what a path really points at.
"""

from __future__ import annotations

import math
import re
import stat
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from advisor.azureml.documents import AzureMLDocument, kubernetes_endpoint_signal
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
DATASTORE_SECRETS = ("account_key", "sas_token", "client_secret", "certificate", "password", "secret")
# A value a deploy step substitutes (${VAR}, $VAR, {{ var }}, <placeholder>) is not a secret.
PLACEHOLDER = re.compile(r"^\s*(\$\{\{?[^}]*\}?\}|\$[A-Za-z_][A-Za-z0-9_]*|\{\{[^}]*\}\}|<[^>]*>)\s*$")
SECRET_IN_TEXT = re.compile(r"([?&]sig=[^&\s]{8,})|(AccountKey=[^;\s]{8,})|(SharedAccessSignature=[^;\s]{8,})",
                            re.IGNORECASE)
REFERENCE = re.compile(r"\$\{\{\s*(inputs|outputs|search_space)\.([A-Za-z0-9_]+)\s*\}\}")
STEP_BINDING = re.compile(r"\$\{\{\s*parent\.jobs\.([A-Za-z0-9_\-]+)\.outputs\.([A-Za-z0-9_]+)\s*\}\}")
NOTEBOOK = re.compile(r"\S+\.ipynb\b")
URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
FILE_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")
VM_KINDS = (("gpu", re.compile(r"^(standard_)?n[cdv]", re.IGNORECASE)),
            ("memory_optimized", re.compile(r"^(standard_)?[em]\d", re.IGNORECASE)),
            ("general_purpose", re.compile(r"^(standard_)?d\d", re.IGNORECASE)))


def file_kind(path: Path) -> str | None:
    """"file", "folder", "other" (a device, a FIFO) or None when it can't be looked at (missing,
    a name too long, a NUL byte, no permission): probing a path never raises."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None
    return "folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"


def read_small_text(path: Path) -> str | None:
    """A regular, size-limited UTF-8 file's text, or None (never reads a device or a FIFO)."""
    from advisor.errors import AdvisorError
    from advisor.yamlio import read_text_file

    try:
        return read_text_file(path, "a file the YAML names")
    except AdvisorError:
        return None


def text(value: Any) -> str | None:
    """A string setting, or None for anything else (a list or mapping where a value belongs)."""
    return value if isinstance(value, str) else None


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class Reference:
    """A name this file gives to an asset another file may define (a compute, an endpoint)."""

    kind: str     # "compute", "endpoint", "deployment"
    name: str
    line: int | None


@dataclass
class ReadFacts:
    facts: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int | None] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)   # "file", "default" or "not in the file"
    notes: list[str] = field(default_factory=list)
    references: dict[str, Reference] = field(default_factory=dict)  # role -> reference


class _Reader:
    def __init__(self, document: AzureMLDocument, vocabulary: Vocabulary,
                 base: tuple[Any, ...] = (), data: dict[str, Any] | None = None) -> None:
        self.document = document
        self.vocabulary = vocabulary
        self.base = base
        self.data = document.data if data is None else data
        self.result = ReadFacts()

    def get(self, *path: Any) -> Any:
        node: Any = self.data
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    def line(self, *path: Any) -> int | None:
        return self.document.line(*self.base, *path)

    def set(self, name: str, value: Any, *path: Any, origin: str = "file") -> None:
        spec = self.vocabulary.fact(name)
        assert spec is not None, name
        line = self.line(*path) if path else None
        try:
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"{value!r} is not a finite number")
            self.result.facts[name] = spec.check(value)
        except ValueError as exc:
            where = f" (line {line})" if line else ""
            self.result.notes.append(f"{name} not checked{where}: {exc}")
            return
        self.result.lines[name] = line
        self.result.origins[name] = origin

    def note(self, message: str) -> None:
        self.result.notes.append(message)

    def refer(self, role: str, kind: str, value: Any, *path: Any) -> None:
        name = text(value)
        if name:
            name = name.removeprefix("azureml:").split("@", 1)[0].split(":", 1)[0].strip()
            if name and "/" not in name:
                self.result.references[role] = Reference(kind, name, self.line(*path))

    def local(self, value: Any) -> Path | None:
        """A local path the file names, resolved against the file's folder; None if remote."""
        name = text(value)
        if not name or URI_SCHEME.match(name) or name.startswith("azureml:"):
            return None
        return self.document.folder / name

    # --- shared readers --------------------------------------------------------------

    def stage(self) -> None:
        tags = mapping(self.get("tags"))
        for key in STAGE_TAGS:
            value = text(tags.get(key))
            if value and value.lower() in STAGES:
                self.set("stage", STAGES[value.lower()], "tags", key)
                return

    def vm_size(self, *path: Any) -> None:
        size = text(self.get(*path))
        if size:
            for kind, pattern in VM_KINDS:
                if pattern.match(size.strip()):
                    self.set("planned_vm_kind", kind, *path)
                    return

    def environment(self, *path: Any, training: bool = True) -> None:
        """An environment defined here (a whole file, or inline under `path`); only training
        environments need MLflow (a deployment's scoring environment doesn't)."""
        env = self.get(*path) if path else self.data
        if not isinstance(env, dict):
            return
        image = text(env.get("image"))
        if image is not None:
            self.set("environment_image_pinned", _pinned(image), *path, "image")
        conda = env.get("conda_file")
        if not training:
            return
        if isinstance(conda, dict):
            self.set("environment_has_mlflow", _has_mlflow(conda), *path, "conda_file")
            return
        conda_path = self.local(conda)
        if conda_path is None:
            return
        from advisor.errors import AdvisorError
        from advisor.yamlio import parse_yaml

        source = read_small_text(conda_path)
        try:
            parsed = parse_yaml(source, str(conda_path)).data if source is not None else None
        except AdvisorError:
            parsed = None
        if parsed is None:
            self.note(f"conda_file {_shown(conda)} could not be read as YAML next to the file; MLflow not checked")
            return
        if isinstance(parsed, dict):
            self.set("environment_has_mlflow", _has_mlflow(parsed), *path, "conda_file")

    def command(self, declared_inputs: set[str], declared_outputs: set[str], space: set[str] | None,
                *path: Any) -> None:
        command = text(self.get(*path))
        if command is None:
            return
        known = {"inputs": declared_inputs, "outputs": declared_outputs, "search_space": space}
        unknown = sorted({f"{group}.{name}" for group, name in REFERENCE.findall(command)
                          if known[group] is not None and name not in known[group]})  # type: ignore[operator]
        self.set("command_undeclared_reference", bool(unknown), *path)
        if unknown:
            self.note("the command refers to " + ", ".join(unknown) + ", which the job doesn't declare")
        if NOTEBOOK.search(command):
            self.set("command_runs_notebook", True, *path)

    def secrets(self) -> None:
        """A SAS token or account key anywhere in the file's strings."""
        for path, value in _strings(self.data, ()):
            if path[:1] == ("credentials",):
                continue  # a datastore's credentials block has its own check
            if SECRET_IN_TEXT.search(value):
                self.set("secret_in_uri", True, *path)
                return


def _strings(node: Any, path: tuple[Any, ...]):
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, path + (index,))


def _pinned(image: str) -> bool:
    if "@sha256:" in image:
        return True
    last = image.rsplit("/", 1)[-1]
    tag = last.split(":", 1)[1] if ":" in last else ""
    return bool(tag) and tag.lower() != "latest"


def _has_mlflow(conda: dict[str, Any]) -> bool:
    names: list[str] = []
    for dependency in conda.get("dependencies") or []:
        if isinstance(dependency, str):
            names.append(dependency)
        elif isinstance(dependency, dict):
            names.extend(p for p in dependency.get("pip") or [] if isinstance(p, str))
    return any(re.match(r"^(azureml-)?mlflow(-skinny)?\b", n.strip().lower()) for n in names)


def declared(value: Any) -> set[str]:
    return {str(k) for k in value} if isinstance(value, dict) else set()


def read_facts(document: AzureMLDocument, vocabulary: Vocabulary) -> ReadFacts:
    reader = _Reader(document, vocabulary)
    READERS[document.kind](reader)
    reader.secrets()
    reader.stage()
    return reader.result


def read_step(document: AzureMLDocument, vocabulary: Vocabulary, name: str, step: dict[str, Any],
              kind: str) -> ReadFacts:
    """The facts of one step of a pipeline job, with lines in the pipeline file."""
    reader = _Reader(document, vocabulary, ("jobs", name), step)
    READERS[kind](reader)
    return reader.result


def step_kind(step: Any) -> str | None:
    """The kind of an inline pipeline step advisor checks, or None (component steps, others)."""
    if not isinstance(step, dict):
        return None
    kind = text(step.get("type"))
    kind = kind.lower() if kind else ("command" if "command" in step else None)
    return {"command": "command_job", "sweep": "sweep_job", "automl": "automl_job"}.get(kind or "")


# --- jobs -------------------------------------------------------------------------------------

def _job_common(r: _Reader) -> None:
    r.refer("compute", "compute", r.get("compute"), "compute")
    resources = mapping(r.get("resources"))
    count = number(resources.get("instance_count"))
    if count is not None:
        r.set("job_instance_count", count, "resources", "instance_count")
    r.vm_size("resources", "instance_type")


def _command(r: _Reader) -> None:
    _job_common(r)
    r.command(declared(r.get("inputs")), declared(r.get("outputs")), None, "command")
    r.environment("environment")


def _sweep(r: _Reader) -> None:
    _job_common(r)
    algorithm = r.get("sampling_algorithm")
    if isinstance(algorithm, dict):
        kind = (text(algorithm.get("type")) or "").lower()
        rule = (text(algorithm.get("rule")) or "").lower()
        sampling = "sobol" if kind == "random" and rule == "sobol" else SAMPLING.get(kind)
        seed_given = algorithm.get("seed") is not None
    else:
        name = text(algorithm)
        sampling = SAMPLING.get(name.lower()) if name else None
        seed_given = False
    if sampling:
        r.set("planned_sampling", sampling, "sampling_algorithm")
        r.set("sampling_seed_given", seed_given, "sampling_algorithm")
    elif algorithm is not None:
        r.note(f"sampling_algorithm {_shown(algorithm)} is not one the advisor knows; not checked")

    space = r.get("search_space")
    _search_space(r, space)

    limits = mapping(r.get("limits"))
    for key, fact in (("max_total_trials", "max_total_trials"), ("max_concurrent_trials", "max_concurrent_trials")):
        if limits.get(key) is not None:
            r.set(fact, limits[key], "limits", key)

    trial = r.get("trial")
    if isinstance(trial, dict):
        r.command(declared(r.get("inputs")), declared(r.get("outputs")),
                  declared(space), "trial", "command")
        r.environment("trial", "environment")

    _early_termination(r)


def _search_space(r: _Reader, space: Any) -> None:
    if not isinstance(space, dict) or not space:
        return
    expression_values = r.vocabulary.fact("hyperparameter_expressions").values  # type: ignore[union-attr]
    kinds, combinations = [], 1
    for name, spec in space.items():
        kind = text(spec.get("type")) if isinstance(spec, dict) else None
        if kind in expression_values:
            kinds.append(kind)
        else:
            shown = spec.get("type") if isinstance(spec, dict) else spec
            r.note(f"search_space.{name}: expression {_shown(shown)} is not one the advisor knows")
        values = spec.get("values") if isinstance(spec, dict) else None
        combinations = combinations * len(values) if kind == "choice" and isinstance(values, list) else 0
    if kinds:
        r.set("hyperparameter_expressions", kinds, "search_space")
    r.set("tuned_hyperparameter_count", len(space), "search_space")
    if combinations:
        r.set("grid_combinations", combinations, "search_space")


def _early_termination(r: _Reader) -> None:
    policy = r.get("early_termination")
    if policy is None:
        r.set("planned_early_termination", "none", origin="not in the file")
        return
    kind = text(policy.get("type")) if isinstance(policy, dict) else text(policy)
    if kind not in POLICIES:
        shown = policy.get("type") if isinstance(policy, dict) else policy
        r.note(f"early_termination type {_shown(shown)} is not one the advisor knows; not checked")
        return
    r.set("planned_early_termination", POLICIES[kind], "early_termination", "type")
    policy = mapping(policy)
    if kind == "bandit":
        factor = policy.get("slack_factor") is not None
        amount = policy.get("slack_amount") is not None
        slack = "both" if factor and amount else "slack_factor" if factor else "slack_amount" if amount else "neither"
        r.set("bandit_slack", slack, "early_termination")
    if kind == "truncation_selection" and policy.get("truncation_percentage") is not None:
        r.set("truncation_percentage", policy["truncation_percentage"], "early_termination", "truncation_percentage")


def _automl(r: _Reader) -> None:
    _job_common(r)
    r.set("algorithm_selection", "automated", "type")
    task = text(r.get("task"))
    if task and task.lower() in AUTOML_TASKS:
        r.set("ml_task", AUTOML_TASKS[task.lower()], "task")
    data = r.get("training_data")
    data_type = text(data.get("type")) if isinstance(data, dict) else None
    if data_type:
        if data_type in ("mltable", "uri_file", "uri_folder"):
            r.set("training_data_input_type", data_type, "training_data", "type")
        else:
            r.note(f"training_data type {data_type!r} is not one the advisor knows; not checked")
    elif data is not None:
        r.note("training_data gives no type; its data type is not checked")
    metric = text(r.get("primary_metric"))
    if metric:
        r.set("planned_automl_metric", metric, "primary_metric")
    mode = r.get("featurization", "mode")
    if mode is False:  # YAML 1.1 reads a bare `off` as false
        mode = "off"
    if text(mode):
        r.set("automl_featurization_mode", text(mode).lower(), "featurization", "mode")  # type: ignore[union-attr]
    # Image and NLP tasks sweep their models and give the limit under sweep.limits.
    for where in (("limits",), ("sweep", "limits")):
        concurrent = mapping(r.get(*where)).get("max_concurrent_trials")
        if concurrent is not None:
            r.set("max_concurrent_trials", concurrent, *where, "max_concurrent_trials")
            break


def _pipeline(r: _Reader) -> None:
    r.refer("compute", "compute", r.get("settings", "default_compute") or r.get("compute"),
            "settings" if r.get("settings", "default_compute") else "compute")
    steps = mapping(r.get("jobs"))
    dangling: list[str] = []
    first: tuple[Any, ...] | None = None
    for name, step in steps.items():
        for input_name, value in mapping(mapping(step).get("inputs")).items():
            for source in _binding_texts(value):
                for producer, output in STEP_BINDING.findall(source):
                    target = steps.get(producer)
                    outputs = mapping(target).get("outputs") if isinstance(target, dict) else None
                    if target is None or (isinstance(outputs, dict) and output not in outputs
                                          and "component" not in mapping(target)):
                        dangling.append(f"jobs.{name}.inputs.{input_name} -> {producer}.outputs.{output}")
                        first = first or ("jobs", name, "inputs", input_name)
    if steps:
        r.set("pipeline_unknown_step_reference", bool(dangling), *(first or ("jobs",)))
    if dangling:
        r.note("bindings to no such step or output: " + "; ".join(dangling))


def _binding_texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [v for v in (value.get("path"),) if isinstance(v, str)]
    return []


# --- compute ----------------------------------------------------------------------------------

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
    elif text(tier):
        normalized = text(tier).lower().replace("lowpriority", "low_priority")  # type: ignore[union-attr]
        r.set("planned_cluster_tier", normalized, "tier")
    else:
        r.note(f"tier {_shown(tier)} is not dedicated or low_priority; not checked")
    r.vm_size("size")


def _compute_instance(r: _Reader) -> None:
    idle = r.get("idle_time_before_shutdown_minutes") or r.get("idle_time_before_shutdown")
    r.set("instance_idle_shutdown", idle is not None,
          *(("idle_time_before_shutdown_minutes",) if idle is not None else ()),
          origin="file" if idle is not None else "not in the file")
    schedules = r.get("schedules", "compute_start_stop")
    stops = [s for s in schedules if isinstance(s, dict) and text(s.get("action")) in ("stop", "Stop")] \
        if isinstance(schedules, list) else []
    r.set("instance_stop_schedule", bool(stops), *(("schedules",) if stops else ()),
          origin="file" if stops else "not in the file")
    r.vm_size("size")


def _nothing(r: _Reader) -> None:
    """Kinds with no settings of their own to read (checks still see stage tags and secrets)."""


# --- assets -----------------------------------------------------------------------------------

def _environment(r: _Reader) -> None:
    r.environment()


def _data(r: _Reader) -> None:
    declared_type = text(r.get("type"))
    if declared_type in ("uri_file", "uri_folder", "mltable"):
        r.set("data_asset_declared_type", declared_type, "type")
    target = _path_target(r, r.get("path"))
    if target:
        r.set("data_path_target", target, "path")


def _path_target(r: _Reader, value: Any) -> str | None:
    name = text(value)
    if not name:
        return None
    local = r.local(name)
    if local is not None:
        kind = file_kind(local)
        if kind == "file":
            return "file"
        if kind == "folder":
            return "folder_with_mltable" if file_kind(local / "MLTable") == "file" else "folder_without_mltable"
        r.note(f"path {_shown(name)} is not found next to the file; what it points at is not checked")
        return None
    if "*" in name:
        return None
    if name.endswith("/"):
        return "folder"
    last = name.rstrip("/").rsplit("/", 1)[-1]
    return "file" if FILE_EXTENSION.search(last.split("?", 1)[0]) else None


def _datastore(r: _Reader) -> None:
    kind = text(r.get("type"))
    if kind in ("azure_blob", "azure_file", "azure_data_lake_gen2", "azure_data_lake_gen1"):
        r.set("datastore_kind", kind, "type")
    credentials = r.get("credentials")
    secrets = [k for k, v in mapping(credentials).items()
               if k in DATASTORE_SECRETS and isinstance(v, str) and v.strip() and not PLACEHOLDER.match(v)]
    r.set("datastore_has_credentials", bool(mapping(credentials)),
          *(("credentials",) if credentials is not None else ()),
          origin="file" if credentials is not None else "not in the file")
    if secrets:
        r.set("credentials_in_file", True, "credentials", secrets[0])
    else:
        r.set("credentials_in_file", False, *(("credentials",) if credentials is not None else ()),
              origin="file" if credentials is not None else "not in the file")


def _model(r: _Reader) -> None:
    model_type = text(r.get("type"))
    if model_type in ("mlflow_model", "custom_model", "triton_model"):
        r.set("registered_model_type", model_type, "type")
    _model_folder(r, r.get("path"), "path")


def _model_folder(r: _Reader, value: Any, *path: Any) -> None:
    local = r.local(value)
    if local is None:
        return
    kind = file_kind(local)
    if kind == "folder":
        r.set("model_folder_has_mlmodel", file_kind(local / "MLmodel") == "file", *path)
    elif kind == "file":
        r.set("model_folder_has_mlmodel", local.name == "MLmodel", *path)


# --- endpoints and deployments ----------------------------------------------------------------

def _online_endpoint(r: _Reader) -> None:
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


def _batch_endpoint(r: _Reader) -> None:
    r.refer("default_deployment", "deployment", r.get("defaults", "deployment_name"), "defaults", "deployment_name")


def _deployment(r: _Reader) -> None:
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
    model = r.get("model")
    if isinstance(model, dict):
        model_type = model.get("type")
        if model_type is None:
            r.set("deployment_model_type", "custom_model", "model", origin="default")
            r.note("model type not set: Azure ML registers an inline model as custom_model")
        else:
            r.set("deployment_model_type", model_type, "model", "type")
        _model_folder(r, model.get("path"), "model", "path")
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


def _scoring_script(r: _Reader, code: Any, script: Any) -> None:
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


def _batch_settings(r: _Reader) -> None:
    settings = mapping(r.get("settings"))
    where = ("settings",) if settings else ()
    action = text(settings.get("output_action") if settings else r.get("output_action"))
    if action:
        r.set("batch_output_action", action.lower(), *where, "output_action")
    named = (settings.get("output_file_name") if settings else r.get("output_file_name")) is not None
    if named:
        r.set("batch_output_file_named", True, *where, "output_file_name")


# --- schedules --------------------------------------------------------------------------------

def _schedule(r: _Reader) -> None:
    trigger = mapping(r.get("trigger"))
    start, end = _when(trigger.get("start_time")), _when(trigger.get("end_time"))
    if start is not None and end is not None:
        r.set("schedule_ends_before_start", end <= start, "trigger", "end_time")
    create_job = r.get("create_job")
    if isinstance(create_job, dict):
        r.refer("compute", "compute", create_job.get("compute"), "create_job", "compute")


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).replace(tzinfo=None)
        except ValueError:
            return None
    return None


def _shown(value: Any) -> str:
    """A value for a note, short and printable whatever its shape."""
    if isinstance(value, dict):
        return "(a mapping)"
    if isinstance(value, list):
        return "(a list)"
    return repr(value)[:80]


READERS = {
    "command_job": _command, "sweep_job": _sweep, "pipeline_job": _pipeline, "automl_job": _automl,
    "compute": _compute, "compute_instance": _compute_instance, "kubernetes_compute": _nothing,
    "environment": _environment, "data": _data, "datastore": _datastore, "model": _model,
    "online_endpoint": _online_endpoint, "online_deployment": _deployment,
    "batch_endpoint": _batch_endpoint, "batch_deployment": _deployment, "schedule": _schedule,
    "other": _nothing,
}
