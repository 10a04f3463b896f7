"""The review's configuration file, as Checkov users expect one: `.advisor.yaml`, or a
`[tool.advisor]` table in pyproject.toml, found in the current folder or the nearest parent.

    skip:            # rules to skip, each with why (or a plain list of rule ids)
      review.environment-image-not-pinned: images are pinned by digest in the registry
    facts:           # facts to assume for every file (the command line's --fact wins)
      stage: production
    exclude:         # paths not to review, as globs relative to the config file's folder
      - experiments/**

Skipped rules still run: their findings are reported as suppressed, never dropped.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.errors import AdvisorError
from advisor.knowledge.vocabulary import Vocabulary
from advisor.yamlio import parse_yaml, read_text_file

FILE_NAMES = (".advisor.yaml", ".advisor.yml")
KEYS = ("skip", "facts", "exclude")
ALLOWED = "skip (rule ids, or rule id: reason), facts (name: value), exclude (globs)"


@dataclass(frozen=True)
class ReviewConfig:
    path: str | None = None
    root: Path = field(default_factory=Path.cwd)
    skip: dict[str, str] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()

    def excludes(self, path: Path) -> bool:
        """Whether a file is excluded: its path relative to the config's folder matches a glob."""
        try:
            relative = path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            relative = path.as_posix()
        return any(fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern.rstrip("/") + "/*")
                   for pattern in self.exclude)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest `.advisor.yaml`, or pyproject.toml with a [tool.advisor] table."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        for name in FILE_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "advisor" in data["tool"]:
                return pyproject
    return None


def load_config(path: Path, knowledge: Any) -> ReviewConfig:
    """Read and check a config file; AdvisorError (exit 2) names what is wrong and where."""
    where = str(path)
    text = read_text_file(path, "an advisor configuration file")
    if path.name == "pyproject.toml":
        try:
            data = tomllib.loads(text).get("tool", {}).get("advisor", {})
        except tomllib.TOMLDecodeError as exc:
            raise AdvisorError(f"malformed TOML: {exc}", where=where) from None
        where += " [tool.advisor]"
    else:
        data = parse_yaml(text, where).data
        data = {} if data is None else data
    if not isinstance(data, dict):
        raise AdvisorError("the configuration must be a mapping", where=where, allowed=ALLOWED)
    unknown = sorted(str(k) for k in data if k not in KEYS)
    if unknown:
        raise AdvisorError(f"unknown setting {unknown[0]!r}", where=where, allowed=ALLOWED)
    return ReviewConfig(where, path.parent, _skip(data.get("skip"), knowledge, where),
                        _facts(data.get("facts"), knowledge.vocabulary, where),
                        _exclude(data.get("exclude"), where))


def _skip(value: Any, knowledge: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, list):
        value = {item: "skipped in the configuration" for item in value}
    if not isinstance(value, dict):
        raise AdvisorError("skip must be a list of rule ids or a mapping of rule id to reason", where=where)
    skip: dict[str, str] = {}
    for rule_id, reason in value.items():
        if not isinstance(rule_id, str) or knowledge.rule(rule_id) is None:
            raise AdvisorError(f"skip: no rule {rule_id!r}", where=where,
                               allowed="rule ids as `advisor rules` lists them")
        skip[rule_id] = str(reason) if reason is not None else "skipped in the configuration"
    return skip


def _facts(value: Any, vocabulary: Vocabulary, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise AdvisorError("facts must be a mapping of fact name to value", where=where)
    facts: dict[str, Any] = {}
    for name, raw in value.items():
        spec = vocabulary.fact(str(name))
        if spec is None or spec.derived:
            raise AdvisorError(f"facts: unknown fact {name!r}", where=where,
                               allowed="fact names as `advisor vocabulary` lists them")
        try:
            facts[spec.name] = spec.check(raw)
        except ValueError as exc:
            raise AdvisorError(f"facts.{name}: {exc}", where=where) from None
    return facts


def _exclude(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AdvisorError("exclude must be a list of globs", where=where)
    return tuple(value)
