"""Jobs: command, sweep, AutoML and pipeline jobs (and a pipeline's inline steps)."""

from __future__ import annotations

from typing import Any

from advisor.azureml.facts.reader import (
    AUTOML_TASKS,
    POLICIES,
    SAMPLING,
    STEP_BINDING,
    Reader,
    declared,
    mapping,
    number,
    shown,
    text,
    trains,
)


def job_common(r: Reader) -> None:
    r.refer("compute", "compute", r.get("compute"), "compute")
    resources = mapping(r.get("resources"))
    count = number(resources.get("instance_count"))
    if count is not None:
        r.set("job_instance_count", count, "resources", "instance_count")
    r.vm_size("resources", "instance_type")


def command_job(r: Reader) -> None:
    job_common(r)
    r.command(declared(r.get("inputs")), declared(r.get("outputs")), None, "command")
    step = str(r.base[-1]) if r.base else None
    training = trains(step, r.get("name"), r.get("display_name"), r.get("description"), r.get("command"),
                      r.get("code"))
    if not training:
        r.note("a job that prepares data, scores or submits other jobs (by its name and command): "
               "its environment is not checked for MLflow or a pinned image")
    r.environment("environment", training=training)


def sweep_job(r: Reader) -> None:
    job_common(r)
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
        r.note(f"sampling_algorithm {shown(algorithm)} is not one the advisor knows; not checked")

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


def _search_space(r: Reader, space: Any) -> None:
    if not isinstance(space, dict) or not space:
        return
    expression_values = r.vocabulary.fact("hyperparameter_expressions").values  # type: ignore[union-attr]
    kinds, combinations = [], 1
    for name, spec in space.items():
        kind = text(spec.get("type")) if isinstance(spec, dict) else None
        if kind in expression_values:
            kinds.append(kind)
        else:
            given = spec.get("type") if isinstance(spec, dict) else spec
            r.note(f"search_space.{name}: expression {shown(given)} is not one the advisor knows")
        values = spec.get("values") if isinstance(spec, dict) else None
        combinations = combinations * len(values) if kind == "choice" and isinstance(values, list) else 0
    if kinds:
        r.set("hyperparameter_expressions", kinds, "search_space")
    r.set("tuned_hyperparameter_count", len(space), "search_space")
    if combinations:
        r.set("grid_combinations", combinations, "search_space")


def _early_termination(r: Reader) -> None:
    policy = r.get("early_termination")
    if policy is None:
        r.set("planned_early_termination", "none", origin="not in the file")
        return
    kind = text(policy.get("type")) if isinstance(policy, dict) else text(policy)
    if kind not in POLICIES:
        given = policy.get("type") if isinstance(policy, dict) else policy
        r.note(f"early_termination type {shown(given)} is not one the advisor knows; not checked")
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


def automl_job(r: Reader) -> None:
    job_common(r)
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


def pipeline_job(r: Reader) -> None:
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

