"""The Python API: `advisor.consult(...)` returns the typed report (presentation/consultation/
data.py), for notebooks and scripts. A front end like the CLI: it reads a scenario, runs the
engine once and builds the report; the report renders itself in any of consult's formats
and shows as HTML in Jupyter."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from advisor.presentation.consultation.data import Report

DEFAULT_NAME = "Consultation"


def consult(facts_or_path: Mapping[str, Any] | str | Path | None = None, /, *, name: str | None = None,
            description: str | None = None, **facts: Any) -> Report:
    """Consult the advisor.

    `facts_or_path` is a mapping of facts (`{"data_format": "tabular", "dataset_size": "small"}`),
    a scenario file's path, or the name of a shipped scenario (`"image-classifier"`; `advisor
    scenarios` lists them); facts may also be given as keywords, and win over the mapping's.
    Facts are checked against the vocabulary as a scenario file's are: a wrong name or value
    raises advisor.errors.AdvisorError naming what is allowed.
    """
    from advisor.engine import get_advisor
    from advisor.presentation.consultation.data import build_report
    from advisor.scenarios import load_scenario, parse_scenario

    advisor = get_advisor()
    knowledge = advisor.knowledge
    meta: dict[str, Any] = {}
    if isinstance(facts_or_path, (str, Path)):
        from advisor.scenarios.library import resolve_scenario

        path = resolve_scenario(facts_or_path)
        scenario = load_scenario(path, knowledge)
        meta["file"] = str(path)
        given = {**scenario.facts, **_checked(facts, knowledge)} if facts else dict(scenario.facts)
    else:
        import yaml

        document = {"name": name or DEFAULT_NAME, "facts": _plain({**(facts_or_path or {}), **facts})}
        scenario = parse_scenario(yaml.safe_dump(document, sort_keys=False), "<facts>", knowledge)
        given = dict(scenario.facts)
    meta["name"] = name or scenario.name
    if description or scenario.description:
        meta["description"] = description or scenario.description
    return build_report(advisor.consult(given), knowledge, meta)


def _plain(value: Any, where: str = "<facts>") -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v, where) for v in value]
    if value is not None and not isinstance(value, (str, int, float, date)):
        # what YAML can't write (an object, a complex number) was a RepresenterError traceback
        from advisor.errors import AdvisorError

        raise AdvisorError(f"a value of type {type(value).__name__} is not a fact value", where=where,
                           allowed="text, numbers, true/false, dates, and lists or mappings of them")
    return value


def _checked(facts: dict[str, Any], knowledge) -> dict[str, Any]:
    import yaml

    from advisor.scenarios import parse_scenario

    document = {"name": DEFAULT_NAME, "facts": _plain(facts)}
    return dict(parse_scenario(yaml.safe_dump(document, sort_keys=False), "<facts>", knowledge).facts)
