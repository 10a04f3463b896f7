"""The reader every kind group uses: settings turned into facts, each with the line it came
from, and the small helpers (values of the right shape, local paths probed safely).

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
from dataclasses import field
from pathlib import Path
from typing import Any

from advisor.azureml.documents import AzureMLDocument
from advisor.knowledge.vocabulary import Vocabulary
from advisor.records import record

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
CONNECTION_SECRETS = DATASTORE_SECRETS + ("pat", "secret_access_key", "key", "api_key", "token", "access_token")
# A value a deploy step substitutes (${VAR}, $VAR, {{ var }}, <placeholder>), or one only meant to
# be replaced (XXXX, dummy_pat, EXAMPLE_API_KEY, your-key), is not a secret. Every pattern is
# anchored and made of single character classes, so matching is linear in the value.
PLACEHOLDER = re.compile(r"\$\{\{?[^}]*\}?\}|\$[A-Za-z_][A-Za-z0-9_]*|\{\{[^}]*\}\}|<[^>]*>|[Xx*.#?\-_]{3,}")
PLACEHOLDER_WORDS = ("dummy", "example", "sample", "placeholder", "changeme", "replace", "your", "redacted",
                     "fake", "todo", "xxx")
WORD = re.compile(r"[\w\-.]+")
SECRET_IN_TEXT = re.compile(r"([?&]sig=[^&\s]{8,})|(AccountKey=[^;\s]{8,})|(SharedAccessSignature=[^;\s]{8,})",
                            re.IGNORECASE)
REFERENCE = re.compile(r"\$\{\{\s*(inputs|outputs|search_space)\.([A-Za-z0-9_]+)\s*\}\}")
STEP_BINDING = re.compile(r"\$\{\{\s*parent\.jobs\.([A-Za-z0-9_\-]+)\.outputs\.([A-Za-z0-9_]+)\s*\}\}")
NOTEBOOK = re.compile(r"\S\.ipynb\b")  # linear: no unbounded run before the literal
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


def is_placeholder(value: Any) -> bool:
    """A value written to be replaced (see PLACEHOLDER), not a real setting or secret."""
    if not isinstance(value, str) or len(value) > 1000:
        return False
    value = value.strip()
    if PLACEHOLDER.fullmatch(value):
        return True
    return WORD.fullmatch(value) is not None and any(w in value.lower() for w in PLACEHOLDER_WORDS)


# What a job or an environment is for, from its names, description and command: MLflow
# tracking and a pinned image matter for training (experiments), not for data preparation,
# a step that submits other jobs, or an environment that only serves a model.
TRAINING_WORDS = ("train", "fit", "tune", "sweep", "hyperparam")
SERVING_WORDS = ("deploy", "score", "scoring", "predict", "infer", "serving", "server", "endpoint", "online",
                 "batch", "package")
NOT_TRAINING_WORDS = SERVING_WORDS + ("prep", "transform", "clean", "ingest", "extract", "split", "register",
                                      "evaluat", "compare", "convert", "download", "upload", "import", "export",
                                      "validat", "az ml")
SCRIPTS = (".py", ".r", ".sh", ".ipynb", ".jl", ".jar")


def trains(*texts: Any, words: tuple[str, ...] = NOT_TRAINING_WORDS) -> bool:
    """False when the words say the job or environment does something other than training
    (and nothing says it trains); True otherwise, so a plain job is still checked."""
    said = " ".join(t.lower() for t in texts if isinstance(t, str))
    if any(w in said for w in TRAINING_WORDS):
        return True
    return not any(w in said for w in words)


def scripts_run(command: Any) -> str:
    """The scripts a command runs (`python prep.py`: prep.py), and `az ml` if it submits jobs:
    what the command says it does, without its arguments (`--batch_size` is no batch endpoint)."""
    if not isinstance(command, str):
        return ""
    tokens = command.split()
    named = [t for t in tokens if t.lower().endswith(SCRIPTS)]
    return " ".join(named + (["az ml"] if "az ml " in " ".join(tokens[:50]) else []))


def text(value: Any) -> str | None:
    """A string setting, or None for anything else (a list or mapping where a value belongs)."""
    return value if isinstance(value, str) else None


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# Larger whole numbers than any setting takes are not read (math.isfinite would overflow).
LARGEST = 10**15


def number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int):
        return value if -LARGEST <= value <= LARGEST else None
    return value if math.isfinite(value) else None


@record(frozen=True)
class Reference:
    """A name this file gives to an asset another file may define (a compute, an endpoint)."""

    kind: str     # "compute", "endpoint", "deployment"
    name: str
    line: int | None


@record
class ReadFacts:
    facts: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int | None] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)   # "file", "default" or "not in the file"
    notes: list[str] = field(default_factory=list)
    references: dict[str, Reference] = field(default_factory=dict)  # role -> reference


class Reader:
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
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > LARGEST:
                raise ValueError(f"a number of about {int(value.bit_length() * 0.30103) + 1} digits is larger "
                                 "than any setting takes")
            self.result.facts[name] = spec.check(value)
        except (ValueError, TypeError, OverflowError) as exc:
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
        environments need MLflow and a pinned image (a deployment's scoring environment, a
        data-preparation step's, doesn't: see `trains`)."""
        env = self.get(*path) if path else self.data
        if not isinstance(env, dict):
            return
        if not training:
            return
        image = text(env.get("image"))
        if image is not None and not is_placeholder(image):
            self.set("environment_image_pinned", pinned(image), *path, "image")
        conda = env.get("conda_file")
        if isinstance(conda, dict):
            self.set("environment_has_mlflow", has_mlflow(conda), *path, "conda_file")
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
            self.note(f"conda_file {shown(conda)} could not be read as YAML next to the file; MLflow not checked")
            return
        if isinstance(parsed, dict):
            self.set("environment_has_mlflow", has_mlflow(parsed), *path, "conda_file")

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
        for path, value in strings(self.data, ()):
            if path[:1] == ("credentials",):
                continue  # a datastore's credentials block has its own check
            if SECRET_IN_TEXT.search(value):
                self.set("secret_in_uri", True, *path)
                return


def strings(node: Any, path: tuple[Any, ...]):
    """Every string below `node`, with its path, in document order (a stack, not recursive
    generators: one frame however deep, and no generator per mapping)."""
    stack = [(path, node)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            yield where, value
        elif isinstance(value, dict):
            stack.extend((where + (k,), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((where + (i,), v) for i, v in reversed(list(enumerate(value))))


def pinned(image: str) -> bool:
    if "@sha256:" in image:
        return True
    last = image.rsplit("/", 1)[-1]
    tag = last.split(":", 1)[1] if ":" in last else ""
    return bool(tag) and tag.lower() != "latest"


def has_mlflow(conda: dict[str, Any]) -> bool:
    names: list[str] = []
    dependencies = conda.get("dependencies")
    for dependency in dependencies if isinstance(dependencies, list) else []:
        if isinstance(dependency, str):
            names.append(dependency)
        elif isinstance(dependency, dict):
            pip = dependency.get("pip")
            names.extend(p for p in (pip if isinstance(pip, list) else []) if isinstance(p, str))
    return any(re.match(r"^(azureml-)?mlflow(-skinny)?\b", n.strip().lower()) for n in names)


def declared(value: Any) -> set[str]:
    return {str(k) for k in value} if isinstance(value, dict) else set()



def shown(value: Any) -> str:
    """A value for a note, short and printable whatever its shape."""
    if isinstance(value, dict):
        return "(a mapping)"
    if isinstance(value, list):
        return "(a list)"
    return repr(value)[:80]


