"""Issue 16: hostile scenario and Azure ML YAML documents, generated from their grammars,
through every command. Whatever the document holds (tagged or huge scalars, NaN, escape
sequences, markup, odd keys, lists where a value belongs), each command ends with exit code
0, 1 or 2 and no traceback; JSON and SARIF are strict JSON (no NaN or Infinity), JUnit is
well-formed XML, HTML holds no raw control characters or script, and what is meant for a
terminal holds no raw control characters.

Commands run in-process (tests/hostile/harness.py). Examples are few and derandomized, so the
suite stays fast and repeatable; the corpus in tests/hostile/ pins the known failure classes."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import SCENARIOS
from hostile.harness import RAW_CONTROL, assert_clean, run, strict_json, well_formed_xml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from advisor.knowledge import load_knowledge

KNOWLEDGE = load_knowledge()
# A few fixed examples in the suite; ADVISOR_FUZZ_EXAMPLES=500 for a random fuzzing run.
FUZZ = int(os.environ.get("ADVISOR_FUZZ_EXAMPLES", "0"))
SETTINGS = settings(max_examples=FUZZ or 8, deadline=None, derandomize=not FUZZ, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@dataclass(frozen=True)
class Raw:
    """A token written into the YAML text as it is: a tag, an alias, .nan, a 5,000-digit number."""

    token: str


RAW_TOKENS = ["!!int abc", "!!float abc", "!!bool maybe", "!!timestamp 2020-13-45", "!!str 5",
              ".nan", "-.inf", ".Inf", "1" * 4400, "9" * 400, "-" + "9" * 40, "1.0e+999", "0x1F", "0o17",
              "1_000", "yes", "on", "~", "2020-01-01", "!!binary aGk=", "!Ref x", "*nowhere",
              "!!python/object/apply:os.system ['true']", "!!set {a, b}", "[]", "{}", "[[[[[]]]]]",
              "{<<: {a: 1}}", "\"\\e]0;title\\a\"", "\"\\0\"", "|-\n  x"]
HOSTILE_TEXT = ["\x1b]0;pwned\x07", "\x1b[31mred\x1b[0m", "\x00", "\x07", "\x7f", "\x9b31m", "\r",
                "<script>alert(1)</script>", "[x](javascript:alert(1))", "```", "<iframe src=x>",
                "]]>", "&amp;", "\u2028", "\ufeff", "\n", "|", "*", "{{x}}", "${{x}}", "%s", "\\"]
text = st.lists(st.one_of(st.sampled_from(HOSTILE_TEXT),
                          st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)),
                max_size=4).map("".join)
hostile_scalar = st.one_of(st.sampled_from(RAW_TOKENS).map(Raw), text, st.integers(),
                           st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.none())
hostile_key = st.one_of(text, st.sampled_from(["on", "yes", "<<", "1", "null", "~", "true"]).map(Raw))


def yaml_text(value: Any) -> str:
    """Flow-style YAML: strings JSON-quoted (a valid YAML double-quoted scalar), Raw as written."""
    if isinstance(value, Raw):
        return value.token
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(yaml_text(v) for v in value) + "]"
    return "{" + ", ".join(f"{yaml_text(k)}: {yaml_text(v)}" for k, v in value.items()) + "}"


def document(mapping: dict) -> str:
    """A block mapping at the top (one key per line, so errors have lines), flow values below."""
    return "".join(f"{yaml_text(k)}: {yaml_text(v)}\n" for k, v in mapping.items())


def _valid_value(spec):
    if spec.type == "choice":
        return st.sampled_from(list(spec.values))
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "list":
        return st.lists(st.sampled_from(list(spec.values)), unique=True, max_size=3)
    low = int(spec.min) if spec.min is not None else 0
    return st.integers(low, int(spec.max) if spec.max is not None else low + 1000)


def _structure(value):
    """Sometimes wrap a value where a single one belongs: a list, a mapping, deep nesting."""
    return st.one_of(st.just(value), st.just([value]), st.just({"value": value}), st.just([[[[value]]]]))


@st.composite
def scenario_documents(draw) -> str:
    facts: dict = {}
    chosen = draw(st.lists(st.sampled_from(KNOWLEDGE.vocabulary.input_facts), max_size=8, unique_by=lambda s: s.name))
    for spec in chosen:
        kind = draw(st.integers(0, 9))
        if kind < 7:  # mostly valid values, so the report (and its escaping) is reached
            facts[spec.name] = draw(_valid_value(spec))
        elif kind < 9:
            facts[spec.name] = draw(hostile_scalar)
        else:
            facts[spec.name] = draw(_structure(draw(_valid_value(spec))))
    if draw(st.integers(0, 5)) == 0:
        facts[draw(hostile_key)] = draw(hostile_scalar)
    top: dict = {"name": draw(st.one_of(text.filter(str.strip), hostile_scalar)) if draw(st.booleans())
                 else "hostile " + draw(text), "facts": facts}
    if draw(st.booleans()):
        top["description"] = draw(text)
    if draw(st.integers(0, 3)) == 0:
        decision = draw(st.sampled_from(KNOWLEDGE.vocabulary.decisions))
        top["expect"] = {"decisions": {decision.name: draw(st.one_of(st.sampled_from(list(decision.choices)),
                                                                      hostile_scalar))}}
    if draw(st.integers(0, 7)) == 0:
        top[draw(hostile_key)] = draw(hostile_scalar)
    return document(top)


AZUREML_TEMPLATES = {
    "sweep": {"$schema": "https://azuremlschemas.azureedge.net/latest/sweepJob.schema.json", "type": "sweep",
              "trial": {"command": "python train.py", "environment": "azureml:sklearn@latest"},
              "compute": "azureml:cpu-cluster", "sampling_algorithm": "bayesian",
              "search_space": {"lr": {"type": "uniform", "min_value": 0.01, "max_value": 0.1}},
              "objective": {"goal": "maximize", "primary_metric": "accuracy"},
              "limits": {"max_total_trials": 20, "max_concurrent_trials": 4},
              "early_termination": {"type": "bandit", "slack_factor": 0.1, "evaluation_interval": 1}},
    "compute": {"$schema": "https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json",
                "name": "cluster", "type": "amlcompute", "size": "Standard_NC6s_v3", "tier": "dedicated",
                "min_instances": 0, "max_instances": 4},
    "online": {"$schema": "https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json",
               "name": "blue", "endpoint_name": "ep", "model": "azureml:m:1", "instance_type": "Standard_DS3_v2",
               "instance_count": 1, "code_configuration": {"code": "./src", "scoring_script": "score.py"}},
}


@st.composite
def azureml_documents(draw) -> str:
    template = json.loads(json.dumps(AZUREML_TEMPLATES[draw(st.sampled_from(sorted(AZUREML_TEMPLATES)))]))
    for _ in range(draw(st.integers(1, 4))):
        mapping = template
        path = [k for k in mapping if k != "$schema"]
        key = draw(st.sampled_from(path))
        if isinstance(mapping[key], dict) and draw(st.booleans()):
            mapping = mapping[key]
            key = draw(st.sampled_from(list(mapping)))
        change = draw(st.integers(0, 3))
        if change == 0:
            mapping[key] = draw(hostile_scalar)
        elif change == 1:
            mapping[key] = draw(_structure(mapping[key]))
        elif change == 2:
            mapping[draw(hostile_key)] = draw(hostile_scalar)
        else:
            mapping[key] = draw(text)
    return document(template)


# --- the checks -----------------------------------------------------------------------

def no_raw_control(output: str, what: str) -> None:
    found = RAW_CONTROL.search(output)
    assert found is None, f"{what}: raw control character {found.group()!r} at {found.start()}"


# What a browser acts on, and what a Markdown viewer turns into a link.
LIVE_HTML = re.compile(r"<\s*(script|iframe)|(href|src)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)
LIVE_MARKDOWN = re.compile(LIVE_HTML.pattern + r"|(?<!\\)\]\(\s*javascript:|<javascript:", re.IGNORECASE)


def no_live_markup(output: str, what: str, live: re.Pattern[str]) -> None:
    """No tag or link that a browser or Markdown viewer would act on (the words may stay as text)."""
    found = live.search(output)
    assert found is None, f"{what}: {found.group()!r} passed through unescaped"


# Output-side checks that main does not meet yet (escaping is the presentation layer's job,
# issue 16 classes 5, 8, 9): (command, format) pairs whose markup and control-character
# checks are not run. Each one left here is a known, reported gap; remove it when fixed.
PENDING_OUTPUT_CHECKS: set[tuple[str, str]] = set()


def check(result, what: str, fmt: str, *, batch: bool = False) -> None:
    assert_clean(result, what, batch=batch)
    no_raw_control(result.stderr, what + " (stderr)")
    if result.code == 2 and not batch:
        return  # refused with one line: nothing else was written
    out = result.stdout
    if (what.split()[0], fmt) in PENDING_OUTPUT_CHECKS:
        return
    if fmt in ("json", "sarif"):
        strict_json(out)
    elif fmt == "junit":
        well_formed_xml(out)
    elif fmt == "html":
        no_raw_control(out, what)
        body = out.split("<body", 1)[-1]
        no_live_markup(body.replace("<script type=\"application/json\"", ""), what, LIVE_HTML)
    elif fmt == "markdown":
        no_raw_control(out, what)
        no_live_markup(out, what, LIVE_MARKDOWN)
    else:  # text and tables go to a terminal
        no_raw_control(out, what)


def _files(folder: Path, texts: list[str]) -> list[str]:
    paths = []
    for i, body in enumerate(texts):
        path = folder / f"doc-{i}.yaml"
        path.write_text(body, encoding="utf-8")
        paths.append(str(path))
    return paths


# Pinned examples: the documents that found the known failure classes, run every time.
INJECTION = document({"name": "t \x1b]0;renamed\x07 <script>alert(1)</script> [a](javascript:x) \x00",
                      "description": "d \x1b[31m\n```\n<iframe src=x>\n# heading\r\x9b1m",
                      "facts": {"ml_task": "nlp", "max_total_trials": 40, "tuned_hyperparameter_count": 4}})
ODD_VALUES = document({"name": "odd", "facts": {"ml_task": Raw("!!int abc"), "max_total_trials": Raw(".nan")}})


@SETTINGS
@example(INJECTION)
@example(ODD_VALUES)
@given(scenario_documents())
def test_consult_explain_and_emit_survive_any_scenario(body):
    with tempfile.TemporaryDirectory() as folder:
        [path] = _files(Path(folder), [body])
        for fmt in ("text", "json", "markdown", "html"):
            check(run("consult", path, "--format", fmt), f"consult --format {fmt}\n{body}", fmt)
        for fmt in ("text", "json"):
            check(run("explain", path, "--format", fmt), f"explain --format {fmt}\n{body}", fmt)
        check(run("emit", path, "--out", str(Path(folder) / "out")), f"emit\n{body}", "text")


@SETTINGS
@example([INJECTION, ODD_VALUES])
@given(st.lists(scenario_documents(), min_size=1, max_size=3))
def test_evaluate_survives_any_batch_in_every_format(bodies):
    with tempfile.TemporaryDirectory() as folder:
        paths = _files(Path(folder), bodies)
        for fmt in ("table", "json", "junit", "markdown"):
            result = run("evaluate", *paths, "--jobs", "1", "--format", fmt)
            check(result, f"evaluate --format {fmt}\n" + "\n---\n".join(bodies), fmt, batch=True)


@SETTINGS
@example([document({**AZUREML_TEMPLATES["sweep"], "\x1b]0;key\x07": "<script>x</script>",
                    "sampling_algorithm": ["random"], "early_termination": ["bandit"],
                    "limits": {"max_total_trials": Raw(".inf")}})])
@example([document({**AZUREML_TEMPLATES["compute"], "name": "c \x1b[2J\x00", "min_instances": Raw("9" * 400)})])
@given(st.lists(azureml_documents(), min_size=1, max_size=2))
def test_review_survives_any_azureml_yaml_in_every_format(bodies):
    with tempfile.TemporaryDirectory() as folder:
        paths = _files(Path(folder), bodies)
        for fmt in ("text", "json", "sarif", "github"):
            result = run("review", *paths, "--format", fmt)
            check(result, f"review --format {fmt}\n" + "\n---\n".join(bodies), fmt, batch=True)


@settings(SETTINGS, max_examples=FUZZ or 4)
@example([INJECTION, ODD_VALUES])
@given(st.lists(scenario_documents(), min_size=1, max_size=3))
def test_drill_survives_any_library(bodies):
    with tempfile.TemporaryDirectory() as folder:
        library = Path(folder) / "library"
        library.mkdir()
        _files(library, bodies)
        shutil.copy(SCENARIOS / "image-classifier.yaml", library)
        answers = Path(folder) / "answers.txt"
        answers.write_text("1\n" * 3, encoding="utf-8")
        result = run("drill", "--count", "3", "--seed", "1", "--db", str(Path(folder) / "d.sqlite3"),
                     "--library", str(library), "--answers", str(answers))
        check(result, "drill\n" + "\n---\n".join(bodies), "text")
        assert result.code == 0, result.stderr


# --- issue 27: review folders, configurations and environment variables ----------------------

def _checked_or_refused(result, what: str, fmt: str) -> bool:
    """Checks a run that reported (a batch may hold errors), or one refused with one line and
    nothing written (a bad configuration or environment); True when refused."""
    refused = result.code == 2 and not result.stdout
    check(result, what, fmt, batch=not refused)
    return refused


@st.composite
def configurations(draw) -> tuple[str, str]:
    """A configuration file (name, text): `.advisor.yaml` or a pyproject.toml [tool.advisor]
    table, its settings valid, hostile or the wrong shape."""
    rule_ids = [r.id for r in KNOWLEDGE.rules if r.id.startswith("review.")][:20] or ["review.x"]
    skip = draw(st.one_of(st.lists(st.one_of(st.sampled_from(rule_ids), hostile_scalar), max_size=3),
                          st.dictionaries(st.sampled_from(rule_ids), st.one_of(text, hostile_scalar), max_size=2),
                          hostile_scalar))
    facts = draw(st.one_of(st.just({"stage": "production"}), st.dictionaries(hostile_key, hostile_scalar, max_size=2),
                           hostile_scalar))
    exclude = draw(st.one_of(st.lists(st.one_of(st.sampled_from(["*", "**", "sub/**", "[", "a/../b"]), text),
                                      max_size=3), hostile_scalar))
    settings_ = {k: v for k, v in (("skip", skip), ("facts", facts), ("exclude", exclude)) if draw(st.booleans())}
    if draw(st.integers(0, 5)) == 0:
        settings_[draw(hostile_key)] = draw(hostile_scalar)
    if draw(st.booleans()):
        return ".advisor.yaml", document(settings_) if settings_ else draw(st.sampled_from(["", "- a\n", "{\n"]))
    lines = ["[tool.advisor]"]
    for key, value in settings_.items():  # TOML from JSON-ish values; a Raw token makes it malformed TOML
        lines.append(f"{json.dumps(str(key))} = {_toml(value)}")
    return "pyproject.toml", "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, Raw):
        return value.token
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return '""'
    if isinstance(value, int | float | str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml(v)}" for k, v in value.items()) + "}"


@SETTINGS
@example(((".advisor.yaml", "skip: [{a: b}]\n"), [document(AZUREML_TEMPLATES["compute"])], ["", "sub"]))
@example((("pyproject.toml", "[tool.advisor]\nfacts = " + "[" * 400 + "]" * 400 + "\n"),
          [document(AZUREML_TEMPLATES["sweep"])], [""]))
@given(st.tuples(configurations(), st.lists(azureml_documents(), min_size=1, max_size=3),
                 st.lists(st.sampled_from(["", "sub", "sub/deeper", ".hidden", "x\x1b[2J"]), min_size=1, max_size=3)))
def test_review_survives_any_folder_and_configuration(case):
    (config_name, config_text), bodies, folders = case
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / ".git").mkdir()  # the repository root: discovery stops here
        (root / config_name).write_text(config_text, encoding="utf-8")
        for i, (body, sub) in enumerate(zip(bodies, folders * len(bodies), strict=False)):
            (root / sub).mkdir(parents=True, exist_ok=True)
            (root / sub / f"doc-{i}.yml").write_text(body, encoding="utf-8")
        for fmt in ("text", "json", "sarif"):
            result = run("review", str(root), "--format", fmt)
            what = f"review folder --format {fmt}\n{config_name}:\n{config_text}\n---\n" + "\n---\n".join(bodies)
            if _checked_or_refused(result, what, fmt):
                assert config_name in result.stderr, what + "\n" + result.stderr


# Every variable advisor reads (advisor/paths.py), and the terminal's.
ENVIRONMENT = ("ADVISOR_RULES_DIR", "ADVISOR_SCENARIOS_DIR", "ADVISOR_DATA_DIR", "ADVISOR_CACHE_DIR",
               "ADVISOR_NO_CACHE", "SOURCE_DATE_EPOCH", "NO_COLOR", "COLUMNS")
ODD_VALUES_ENV = ["", "0", "-1", "²", "9" * 40, "/dev/null", "/proc/version", "/nonexistent", ".", "/", "1e9", "nan"]
env_value = st.one_of(text, st.sampled_from(ODD_VALUES_ENV)).map(lambda v: v.replace("\x00", ""))  # no NUL in environ


@settings(SETTINGS, max_examples=FUZZ or 4)  # each example reloads the knowledge base
@example({"SOURCE_DATE_EPOCH": "9" * 4300})
@example({"ADVISOR_SCENARIOS_DIR": "/proc/version", "ADVISOR_CACHE_DIR": "/dev/null", "COLUMNS": "-1"})
@given(st.dictionaries(st.sampled_from(ENVIRONMENT), env_value, min_size=1, max_size=4))
def test_commands_survive_any_environment(environment):
    saved = {name: os.environ.get(name) for name in environment}
    cwd = os.getcwd()
    from advisor.engine import get_advisor
    from advisor.knowledge import load_knowledge

    with tempfile.TemporaryDirectory() as folder:
        answers = Path(folder) / "answers.txt"
        answers.write_text("1\n" * 2, encoding="utf-8")
        try:  # in the temporary folder: a relative ADVISOR_CACHE_DIR or DATA_DIR lands there
            os.chdir(folder)
            os.environ.update(environment)
            load_knowledge.cache_clear()
            if hasattr(get_advisor, "cache_clear"):
                get_advisor.cache_clear()
            what = f"with {environment!r}"
            for fmt in ("text", "html"):
                _checked_or_refused(run("consult", str(SCENARIOS / "image-classifier.yaml"), "--format", fmt),
                                    f"consult --format {fmt} {what}", fmt)
            _checked_or_refused(run("drill", "--count", "2", "--seed", "1", "--db", str(Path(folder) / "d.sqlite3"),
                                    "--answers", str(answers)), f"drill {what}", "text")
            _checked_or_refused(run("review", str(SCENARIOS.parent / "tests" / "fixtures" / "azureml" / "clean"),
                                    "--format", "sarif"), f"review {what}", "sarif")
        finally:
            os.chdir(cwd)
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            load_knowledge.cache_clear()
            if hasattr(get_advisor, "cache_clear"):
                get_advisor.cache_clear()
