"""JUnit XML for CI systems: one testcase per scenario, failure/error elements with messages."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from advisor.evaluation.results import EvaluationRun, Mismatch, ScenarioResult

SUITE_NAME = "advisor evaluate"


def render_junit(run: EvaluationRun) -> str:
    summary = run.summary
    counts = {"tests": str(summary.total), "failures": str(summary.failed),
              "errors": str(summary.errors), "skipped": "0"}
    suites = ET.Element("testsuites", {"name": SUITE_NAME, **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": SUITE_NAME, **counts})
    for result in run.results:
        _testcase(suite, result)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _testcase(suite: ET.Element, result: ScenarioResult) -> None:
    case = ET.SubElement(suite, "testcase", {"classname": result.file, "name": result.name or result.file,
                                             "file": result.file})
    if result.status == "failed":
        first = result.mismatches[0].summary()
        more = len(result.mismatches) - 1
        message = first + (f" (and {more} more)" if more else "")
        failure = ET.SubElement(case, "failure", {"message": message, "type": "ExpectationMismatch"})
        failure.text = "\n".join(_details(m) for m in result.mismatches)
    elif result.status == "error":
        error = ET.SubElement(case, "error", {"message": result.error or "", "type": "ScenarioError"})
        error.text = result.error


def _details(mismatch: Mismatch) -> str:
    lines = [mismatch.summary()]
    if mismatch.rules:
        lines.append(f"  from: {', '.join(mismatch.rules)}")
    lines.extend(f"  why: {reason}" for reason in mismatch.reasons)
    return "\n".join(lines)
