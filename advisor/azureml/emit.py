"""The Azure ML CLI v2 YAML that a consultation's recommendations imply.

Only files the recommendations support are written: a sweep job when a sampling method was
recommended, a compute cluster when training or batch scoring runs on one, and an online or
batch deployment when an endpoint type was recommended. Every value the scenario does not
settle is a clearly marked PLACEHOLDER; every file starts with the rules behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor.azureml.yamltext import Noted, count_placeholders, dump, placeholder
from advisor.engine.results import Consultation
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.vocabulary import value_text

SCHEMA = "https://azuremlschemas.azureedge.net/latest/{}.schema.json"
SOURCE_DIR = "./src"

# One example size per family the guide names (VM sizes follow Azure VM naming).
SIZES = {"gpu": ("Standard_NC6s_v3", "GPU, NC series"),
         "general_purpose": ("Standard_DS3_v2", "general purpose, D series"),
         "memory_optimized": ("Standard_E4s_v3", "memory optimized, E series")}

EXPRESSIONS: dict[str, dict[str, Any]] = {
    "choice": {"type": "choice", "values": [0.01, 0.1, 1.0]},
    "randint": {"type": "randint", "upper": 10},
    "uniform": {"type": "uniform", "min_value": 0.01, "max_value": 1.0},
    "loguniform": {"type": "loguniform", "min_value": -6, "max_value": -1},
    "normal": {"type": "normal", "mu": 0, "sigma": 1},
    "lognormal": {"type": "lognormal", "mu": 0, "sigma": 1},
    "quniform": {"type": "quniform", "min_value": 1, "max_value": 100, "q": 1},
    "qloguniform": {"type": "qloguniform", "min_value": 0, "max_value": 5, "q": 1},
    "qnormal": {"type": "qnormal", "mu": 10, "sigma": 3, "q": 1},
    "qlognormal": {"type": "qlognormal", "mu": 1, "sigma": 0.5, "q": 1},
}
EVALUATION = {"evaluation_interval": Noted(1, "evaluate the policy each time the primary metric is logged"),
              "delay_evaluation": Noted(5, "let every trial log 5 intervals before it can be stopped")}


@dataclass(frozen=True)
class EmittedFile:
    name: str
    kind: str
    text: str
    rules: tuple[str, ...]
    placeholders: int
    create_command: str


@dataclass(frozen=True)
class SkippedAsset:
    name: str
    reason: str


@dataclass(frozen=True)
class EmitPlan:
    files: tuple[EmittedFile, ...]
    skipped: tuple[SkippedAsset, ...]
    support_files: tuple[tuple[str, str], ...]  # (relative path, text) the YAML refers to


@dataclass
class _Basis:
    """What one file rests on: the decisions used, and notes for its header."""

    decisions: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Emitter:
    def __init__(self, consultation: Consultation, knowledge: KnowledgeBase, scenario_name: str) -> None:
        self.consultation = consultation
        self.knowledge = knowledge
        self.facts = consultation.facts
        self.scenario_name = scenario_name
        self.moot = consultation.moot()

    # --- reading the consultation ------------------------------------------------------
    def choice(self, decision: str, basis: _Basis | None = None) -> str | None:
        rec = self.consultation.recommendation(decision)
        if rec is None or decision in self.moot:
            return None
        if basis is not None and decision not in basis.decisions:
            basis.decisions.append(decision)
        return rec.choice

    def fact(self, name: str, basis: _Basis) -> Any:
        value = self.facts.get(name)
        if value is not None and name not in basis.facts:
            basis.facts.append(name)
        return value

    def why(self, decision: str) -> str:
        rec = self.consultation.recommendation(decision)
        assert rec is not None
        return f"{decision} = {rec.choice} ({', '.join(rec.rules)})"

    def open_reason(self, decision: str) -> str:
        moot = next((s for s in self.consultation.set_aside if decision in s.decisions), None)
        if moot is not None:  # the scope (knowledge/scope.py) retired it: no YAML, and why
            entry = self.knowledge.scope_entry(moot.scope_id)
            return f"{decision} is set aside by {moot.scope_id}" + (f": {entry.title}" if entry else "")
        waiting = next((o.settled_by for o in self.consultation.open_decisions if o.decision == decision), ())
        more = f"; it would be settled by {', '.join(waiting)}" if waiting else ""
        return f"no {decision} was recommended{more}"

    def header(self, title: str, command: str, basis: _Basis) -> list[str]:
        lines = [f"{title}, written by `advisor emit` for the scenario {self.scenario_name!r}.",
                 f"Create it with: {command}", "", "Rules behind it:"]
        for decision in basis.decisions:
            rec = self.consultation.recommendation(decision)
            assert rec is not None
            lines.append(f"  {decision} = {rec.choice}: {', '.join(rec.rules)} (certainty {rec.certainty:.2f})")
        for name in basis.facts:
            lines.append(f"  {name} = {value_text(self.facts[name])}: given in the scenario")
        warnings = self.related_warnings(basis)
        if warnings:
            lines += ["", "Warnings from the consultation about this file:"]
            lines += [f"  {w.rule_id}: {_first_sentence(w.message)}" for w in warnings]
        if basis.notes:
            lines += ["", "Notes:"] + [f"  {note}" for note in basis.notes]
        lines += ["", "Values marked PLACEHOLDER are not known from the scenario: replace them first.", ""]
        return lines

    def rules(self, basis: _Basis) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r for d in basis.decisions
                                   for r in self.consultation.recommendation(d).rules))  # type: ignore[union-attr]

    def related_warnings(self, basis: _Basis) -> list[Any]:
        names = set(basis.decisions) | set(basis.facts)
        found = []
        for warning in self.consultation.warnings:
            rule = self.knowledge.rule(warning.rule_id)
            if rule is not None and rule.reads & names and warning not in found:
                found.append(warning)
        return found

    def file(self, name: str, kind: str, title: str, command: str, data: dict[str, Any],
             basis: _Basis) -> EmittedFile:
        header = self.header(title, command, basis)
        return EmittedFile(name, kind, dump(data, header), self.rules(basis), count_placeholders(data), command)

    # --- the files ----------------------------------------------------------------------
    def cluster_name(self) -> str:
        processor = self.choice("processor")
        return f"{processor}-cluster" if processor else "train-cluster"

    def needs_cluster(self) -> bool:
        return self.choice("training_compute") == "compute_cluster" or \
            self.choice("deployment_compute") == "compute_cluster"

    def sweep_job(self) -> EmittedFile | SkippedAsset:
        name = "sweep-job.yml"
        basis = _Basis()
        sampling = self.choice("sampling", basis)
        if sampling is None:
            return SkippedAsset(name, self.open_reason("sampling"))
        job_type = self.choice("job_type")
        if job_type not in (None, "sweep"):
            basis.notes.append(f"job_type = {job_type}: run this sweep as a step of that job, "
                               "or on its own for tuning")
        expressions = self.fact("hyperparameter_expressions", basis) or ("choice",)
        count = int(self.fact("tuned_hyperparameter_count", basis) or len(expressions))
        names = [f"hyperparameter_{i + 1}" for i in range(count)]
        search_space = {n: placeholder(dict(EXPRESSIONS[expressions[i % len(expressions)]]),
                                       "name and range are yours; the expression type is from the scenario")
                        for i, n in enumerate(names)}
        arguments = " ".join(f"--{n} ${{{{search_space.{n}}}}}" for n in names)
        trial: dict[str, Any] = {
            "code": placeholder(SOURCE_DIR, "the folder with your training script"),
            "command": placeholder(f"python train.py {arguments}", "your script and its arguments"),
            "environment": self.environment(basis),
        }
        data: dict[str, Any] = {"$schema": SCHEMA.format("sweepJob"), "type": "sweep",
                                "display_name": f"{_slug(self.scenario_name)}-sweep", "trial": trial}
        data.update(self.job_compute(basis))
        data["sampling_algorithm"] = self.sampling_algorithm(sampling, basis)
        data["search_space"] = search_space
        data["objective"] = {
            "goal": placeholder("maximize", "maximize or minimize, as suits your metric"),
            "primary_metric": placeholder("PLACEHOLDER_metric_name",
                                          "must equal the metric name your script logs with MLflow"),
        }
        data["limits"] = self.limits(sampling, expressions, count, basis)
        policy = self.early_termination(basis)
        if policy is not None:
            data["early_termination"] = policy
        return self.file(name, "sweep_job", "Azure ML sweep job",
                         f"az ml job create --file {name}", data, basis)

    def environment(self, basis: _Basis) -> Noted:
        environment = self.choice("environment", basis)
        if environment == "custom":
            return placeholder("azureml:PLACEHOLDER-custom-environment:1",
                               f"your custom environment; {self.why('environment')}")
        if environment == "curated":
            return placeholder("azureml:PLACEHOLDER-curated-environment@latest",
                               f"a curated environment (prefix AzureML) for your framework; {self.why('environment')}")
        return placeholder("azureml:PLACEHOLDER-environment@latest", "a curated or custom environment")

    def job_compute(self, basis: _Basis) -> dict[str, Any]:
        target = self.choice("training_compute", basis)
        if target == "compute_cluster":
            return {"compute": Noted(f"azureml:{self.cluster_name()}", "the cluster in compute-cluster.yml")}
        if target == "serverless":
            basis.notes.append("no compute: the job runs on serverless compute")
            return {}
        if target in ("kubernetes", "attached"):
            return {"compute": placeholder("azureml:PLACEHOLDER-compute-name", f"your {target} compute")}
        return {"compute": placeholder("azureml:PLACEHOLDER-compute-name", "training_compute was not decided")}

    def sampling_algorithm(self, sampling: str, basis: _Basis) -> Any:
        note = self.why("sampling")
        if sampling == "sobol":
            return Noted({"type": "random", "rule": "sobol",
                          "seed": Noted(42, "any fixed seed makes the sweep reproducible")}, note)
        return Noted(sampling, note)

    def limits(self, sampling: str, expressions: tuple[str, ...], count: int, basis: _Basis) -> dict[str, Any]:
        given = self.fact("max_total_trials", basis)
        if given is not None:
            total: Any = Noted(int(given), "max_total_trials from the scenario")
        elif sampling == "bayesian":
            total = Noted(20 * count, f"at least 20 trials per tuned hyperparameter ({count}) for Bayesian "
                                      "sampling (sweep.bayesian-trial-budget)")
        elif sampling == "grid":
            combinations = 1
            for _ in range(count):
                combinations *= len(EXPRESSIONS["choice"]["values"])
            total = Noted(combinations, "every combination of the choice values")
        else:
            total = placeholder(20, "the trial budget")
        concurrent = placeholder(2, "fewer concurrent trials help Bayesian sampling converge") \
            if sampling == "bayesian" else placeholder(4, "at most one per cluster node")
        if concurrent.value > total.value:  # more trials at once than in all would leave slots idle
            concurrent = placeholder(total.value, "no more at once than max_total_trials")
        return {"max_total_trials": total, "max_concurrent_trials": concurrent,
                "timeout": placeholder(7200, "seconds for the whole sweep")}

    def early_termination(self, basis: _Basis) -> Any:
        policy = self.choice("early_termination", basis)
        if policy is None:
            disagree = [w for w in self.consultation.warnings if w.kind == "sources_disagree"
                        and w.rule_id.startswith("sweep.")]
            reason = (f"sources disagree ({disagree[0].rule_id})" if disagree
                      else self.open_reason("early_termination"))
            basis.notes.append(f"no early_termination: {reason}")
            return None
        note = self.why("early_termination")
        if policy == "none":
            basis.notes.append(f"no early_termination: {note}")
            return None
        settings: dict[str, Any] = {"type": policy}
        if policy == "bandit":
            settings["slack_factor"] = Noted(0.1, "a small slack stops more trials (aggressive)")
        elif policy == "truncation_selection":
            settings["truncation_percentage"] = Noted(30, "a larger percentage cancels more trials (aggressive)")
        settings.update(EVALUATION)
        return Noted(settings, note)

    def compute_cluster(self) -> EmittedFile | SkippedAsset:
        name = "compute-cluster.yml"
        if not self.needs_cluster():
            target = self.choice("training_compute")
            reason = (f"training_compute = {target}, not a compute cluster" if target
                      else self.open_reason("training_compute"))
            return SkippedAsset(name, reason + "; and no batch deployment needs one")
        basis = _Basis()
        for decision in ("training_compute", "deployment_compute"):
            if self.choice(decision) == "compute_cluster":
                self.choice(decision, basis)
        data: dict[str, Any] = {"$schema": SCHEMA.format("amlCompute"), "name": self.cluster_name(),
                                "type": "amlcompute", "size": self.size(basis)}
        tier = self.choice("cluster_tier", basis)
        data["tier"] = Noted(tier, self.why("cluster_tier")) if tier else placeholder(
            "dedicated", "cluster_tier not decided; low_priority is cheaper when jobs may be pre-empted")
        scaling = self.choice("cluster_scaling", basis)
        if scaling == "keep_nodes_warm":
            data["min_instances"] = Noted(1, self.why("cluster_scaling"))
        elif scaling == "scale_to_zero":
            data["min_instances"] = Noted(0, self.why("cluster_scaling"))
        else:
            data["min_instances"] = placeholder(0, "cluster_scaling not decided; 0 costs nothing while idle")
        data["max_instances"] = placeholder(4, "the most nodes the cluster may scale to")
        data["idle_time_before_scale_down"] = Noted(120, "seconds a node may idle before it is released")
        stage = self.fact("stage", basis)
        if stage:
            data["tags"] = {"stage": stage}
        return self.file(name, "compute", "Azure ML compute cluster",
                         f"az ml compute create --file {name}", data, basis)

    def size(self, basis: _Basis) -> Noted:
        processor = self.choice("processor", basis)
        if processor == "gpu":
            size, family = SIZES["gpu"]
            return Noted(size, f"{family}; {self.why('processor')}")
        if processor == "cpu":
            family_choice = self.choice("vm_family", basis)
            if family_choice:
                size, family = SIZES[family_choice]
                return Noted(size, f"{family}; {self.why('vm_family')}")
            size, family = SIZES["general_purpose"]
            return placeholder(size, f"a CPU size ({self.why('processor')}); vm_family not decided")
        size, family = SIZES["general_purpose"]
        return placeholder(size, "processor not decided; pick a CPU or GPU size")

    def deployment(self) -> EmittedFile | SkippedAsset:
        endpoint = self.consultation.recommendation("endpoint_type")
        if endpoint is None:
            return SkippedAsset("online-deployment.yml / batch-deployment.yml", self.open_reason("endpoint_type"))
        basis = _Basis()
        kind = self.choice("endpoint_type", basis)
        online = kind in ("managed_online", "kubernetes_online")
        name = "online-deployment.yml" if online else "batch-deployment.yml"
        data: dict[str, Any] = {}
        if kind == "managed_online":
            data["$schema"] = SCHEMA.format("managedOnlineDeployment")
        elif kind == "kubernetes_online":
            data["$schema"] = SCHEMA.format("kubernetesOnlineDeployment")
        else:
            data["$schema"] = SCHEMA.format("batchDeployment")
        rollout = self.choice("rollout", basis)
        if rollout == "blue_green":
            data["name"] = Noted("green", f"the new version beside the live one; {self.why('rollout')}")
        else:
            data["name"] = "blue"
        if kind == "kubernetes_online":
            data["type"] = "kubernetes"
        data["endpoint_name"] = placeholder("PLACEHOLDER-endpoint-name", "the endpoint to deploy under")
        data["model"] = self.model_reference(basis)
        scoring = self.choice("scoring_assets", basis)
        if scoring == "script_and_environment":
            script = "score.py"
            data["code_configuration"] = Noted({
                "code": placeholder(SOURCE_DIR, "the folder with your scoring script"),
                "scoring_script": Noted(script, "with init() (load the model) and run() (score)"),
            }, self.why("scoring_assets"))
            data["environment"] = placeholder("azureml:PLACEHOLDER-environment-name:1",
                                              "the environment the scoring script needs")
        elif scoring is None:
            basis.notes.append("the model type was not decided: a model that isn't an MLflow model "
                               "also needs code_configuration (a scoring script) and an environment")
        if online:
            self.online_settings(kind, data, basis)
        else:
            self.batch_settings(data, basis)
        stage = self.fact("stage", basis)
        if stage:
            data["tags"] = {"stage": stage}
        command = ("az ml online-deployment create" if online else "az ml batch-deployment create") + f" --file {name}"
        title = "Azure ML online deployment" if online else "Azure ML batch deployment"
        return self.file(name, "online_deployment" if online else "batch_deployment", title, command, data, basis)

    def model_reference(self, basis: _Basis) -> Noted:
        model_type = self.choice("model_type", basis)
        if model_type:
            return placeholder("azureml:PLACEHOLDER-model-name:1",
                               f"your registered model, registered with type {model_type}; "
                               f"{self.why('model_type')}")
        return placeholder("azureml:PLACEHOLDER-model-name:1", "your registered model")

    def online_settings(self, kind: str, data: dict[str, Any], basis: _Basis) -> None:
        if kind == "managed_online":
            data["instance_type"] = placeholder("Standard_DS3_v2", "the VM size of each instance")
        count = self.fact("deployment_instance_count", basis)
        stage = self.facts.get("stage")
        if count is not None:
            data["instance_count"] = Noted(int(count), "instance count from the scenario")
        elif stage == "production":
            data["instance_count"] = Noted(3, "three or more instances for high availability in production")
        else:
            data["instance_count"] = placeholder(1, "one instance is enough to try it; three or more in production")

    def batch_settings(self, data: dict[str, Any], basis: _Basis) -> None:
        compute = self.choice("deployment_compute", basis)
        if compute == "compute_cluster":
            data["compute"] = Noted(f"azureml:{self.cluster_name()}", "the cluster in compute-cluster.yml")
        else:
            data["compute"] = placeholder("azureml:PLACEHOLDER-compute-name", "the compute cluster to score on")
        data["resources"] = {"instance_count": placeholder(2, "nodes per batch scoring job")}
        data["max_concurrency_per_instance"] = placeholder(2, "parallel run() calls per node")
        data["mini_batch_size"] = placeholder(10, "files passed to each run() call")
        data["output_action"] = Noted("append_row", "collect the predictions in one file")
        data["output_file_name"] = "predictions.csv"
        data["retry_settings"] = {"max_retries": 3, "timeout": Noted(300, "seconds per mini-batch")}
        data["error_threshold"] = Noted(-1, "-1: don't abort for failed files")
        data["logging_level"] = "info"


def plan(consultation: Consultation, knowledge: KnowledgeBase, scenario_name: str) -> EmitPlan:
    emitter = _Emitter(consultation, knowledge, scenario_name)
    files: list[EmittedFile] = []
    skipped: list[SkippedAsset] = []
    for result in (emitter.sweep_job(), emitter.compute_cluster(), emitter.deployment()):
        (files if isinstance(result, EmittedFile) else skipped).append(result)
    support = ()
    if any(SOURCE_DIR in f.text for f in files):
        support = (("src/README.md", SOURCE_README),)
    return EmitPlan(tuple(files), tuple(skipped), support)


SOURCE_README = """# PLACEHOLDER: your code goes here

`advisor emit` wrote YAML files that point to this folder (`code: ./src`):
put your training script (train.py) here, and the scoring script (score.py, with init() and
run()) if a deployment file refers to one. The Azure ML CLI uploads this folder with the job.
"""


def _slug(name: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in name.lower())
    while "--" in slug:
        slug = slug.replace("--", "-")
    return slug.strip("-")[:40] or "advisor"



def _first_sentence(message: str) -> str:
    head, dot, _ = message.partition(". ")
    return head + ("." if dot else "")
