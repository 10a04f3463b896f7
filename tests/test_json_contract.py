"""The consult JSON report is a contract: keys and types are pinned here.

Adding a key means adding it here on purpose; renaming or removing one breaks this test.
"""

from __future__ import annotations

import json

from conftest import SCENARIOS

SCENARIO = """\
name: Contract
description: Exercises every part of the report.
facts:
  data_format: tabular
  dataset_size: small
  training_too_slow: true
  hyperparameter_expressions: [choice, loguniform]
  learn_from_previous_trials: true
  stage: production
"""

TOP = {"version": int, "scenario": dict, "facts": dict, "derived": list, "recommendations": list,
       "warnings": list, "open": list, "fired": list, "set_aside": list, "sections": list, "given": list,
       "provenance": dict}
SET_ASIDE = {"scope": str, "title": str, "when": str, "because": str, "source": str, "unit": str,
             "decisions": list, "decision_titles": list, "facts": list, "rules": list}
GIVEN = {"name": str, "value": object, "question": str, "answer": str}
PROVENANCE = {"advisor": str, "rule_base": str, "date": str}
RECOMMENDATION = {"decision": str, "title": str, "section": str, "choice": str, "label": str,
                  "rules": list, "certainty": float, "weak": bool, "contested": bool,
                  "alternatives": list, "derivation": list}
ALTERNATIVE = {"choice": str, "rules": list, "reason": str}
NODE = {"rule": str, "title": str, "conclusion": str, "because": str, "source": str, "unit": str,
        "facts": list, "children": list}
EVIDENCE = {"name": str, "value": object, "origin": str}
WARNING = {"rule": str, "kind": str, "message": str, "section": str, "source": str, "unit": str,
           "related": list}
OPEN = {"decision": str, "title": str, "section": str, "settled_by": list}
FIRED = {"order": int, "rule": str, "status": str, "conclusion": dict, "matched": list,
         "certainty": float, "note": str}
CONCLUSION = {"kind": str, "name": (str, type(None)), "value": object}
DERIVED = {"name": str, "value": object, "rule": str}
SECTION = {"id": str, "heading": str}


def _check(obj: dict, shape: dict, where: str) -> None:
    assert set(obj) == set(shape), f"{where}: keys {sorted(obj)} != {sorted(shape)}"
    for key, kind in shape.items():
        if kind is float:
            kind = (int, float)
        assert isinstance(obj[key], kind), f"{where}.{key}: {type(obj[key]).__name__}"


def _check_node(node: dict, where: str) -> None:
    _check(node, NODE, where)
    for fact in node["facts"]:
        _check(fact, EVIDENCE, where + ".facts")
    for child in node["children"]:
        _check_node(child, where + ".children")


def test_consult_json_contract(cli, tmp_path):
    scenario = tmp_path / "contract.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    result = cli("consult", str(scenario), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    _check(report, TOP, "report")
    assert report["version"] == 1
    assert report["scenario"] == {"name": "Contract", "file": str(scenario),
                                  "description": "Exercises every part of the report."}
    assert report["facts"]["hyperparameter_expressions"] == ["choice", "loguniform"]
    for item in report["derived"]:
        _check(item, DERIVED, "derived")
    assert report["recommendations"] and report["warnings"] and report["open"] and report["fired"]
    for rec in report["recommendations"]:
        _check(rec, RECOMMENDATION, "recommendation")
        for alt in rec["alternatives"]:
            _check(alt, ALTERNATIVE, "alternative")
        for node in rec["derivation"]:
            _check_node(node, "derivation")
    assert any(rec["alternatives"] for rec in report["recommendations"])
    for warning in report["warnings"]:
        _check(warning, WARNING, "warning")
    for item in report["open"]:
        _check(item, OPEN, "open")
    for firing in report["fired"]:
        _check(firing, FIRED, "fired")
        _check(firing["conclusion"], CONCLUSION, "fired.conclusion")
        for fact in firing["matched"]:
            _check(fact, EVIDENCE, "fired.matched")
    assert {f["status"] for f in report["fired"]} >= {"applied", "overruled", "warning"}
    assert [s["id"] for s in report["sections"]] == ["design", "workspace", "experiment", "optimize",
                                                     "manage", "deploy", "language-models"]
    for section in report["sections"]:
        _check(section, SECTION, "section")
    assert [g["name"] for g in report["given"]] == list(report["facts"])
    for given in report["given"]:
        _check(given, GIVEN, "given")
    _check(report["provenance"], PROVENANCE, "provenance")
    assert len(report["provenance"]["rule_base"]) == 12


def test_set_aside_json_contract(cli, tmp_path):
    scenario = tmp_path / "prebuilt.yaml"
    scenario.write_text("name: Prebuilt\nfacts:\n  prebuilt_model_fits: true\n  data_format: unstructured\n",
                        encoding="utf-8")
    report = json.loads(cli("consult", str(scenario), "--format", "json").stdout)
    assert report["set_aside"]
    for item in report["set_aside"]:
        _check(item, SET_ASIDE, "set_aside")
    assert any("processor" in item["decisions"] for item in report["set_aside"])
    assert any(f["status"] == "set_aside" for f in report["fired"])


def test_json_output_is_identical_across_processes(cli_process):
    """Firing order must not depend on string hashing, which differs between processes."""
    example = str(SCENARIOS / "image-classifier.yaml")
    outputs = {cli_process("consult", example, "--format", "json", env={"PYTHONHASHSEED": str(seed)}).stdout
               for seed in (1, 2, 3, 4)}
    assert len(outputs) == 1
