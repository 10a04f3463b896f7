"""Time the phases of one cold `advisor consult FILE --format json` in this fresh process; print
them as JSON: {phase: {"wall": seconds, "cpu": seconds}}.

Run by bench/run.py and bench/coldstart.py in new processes (`python bench/phases.py SCENARIO`).
The phases follow the path the real command takes (advisor/cli/app.py, then
advisor/cli/commands/consult.py): the CLI (advisor/cli/framework.py, the app with each command
registered lazily), the consult command's module and its parsing of the command line, the
engine's imports, the knowledge (through the validated-knowledge cache when it is fresh), the
engine build, the scenario (read and checked against the vocabulary, no pydantic), the
consultation, the report and its JSON. CPU time is the process's own
(`time.process_time`), which other processes' load does not inflate.
"""

from __future__ import annotations

import json
import sys
import time

marks: dict[str, dict[str, float]] = {}
_last = (time.perf_counter(), time.process_time())


def mark(phase: str) -> None:
    global _last
    now = (time.perf_counter(), time.process_time())
    marks[phase] = {"wall": now[0] - _last[0], "cpu": now[1] - _last[1]}
    _last = now


ARGS = ["consult", sys.argv[1], "--format", "json"]

from advisor.cli.app import build_app  # noqa: E402

app = build_app()
mark("import the CLI and build the app (commands registered lazily)")

from advisor.cli.framework import parse  # noqa: E402

command = app.get(ARGS[0])
parse(command, ARGS[1:], ("advisor", ARGS[0]))  # converts them as a run does
mark("import the consult command and parse the command line")

from advisor.engine import get_advisor  # noqa: E402
from advisor.knowledge import load_knowledge  # noqa: E402

mark("import the engine and knowledge modules (experta, yaml)")
knowledge = load_knowledge()
mark("load the knowledge (cache)")
advisor = get_advisor()
mark("build the engine")
from advisor.scenarios import load_scenario  # noqa: E402

scenario = load_scenario(sys.argv[1], knowledge)
mark("load the scenario (checked against the vocabulary)")
consultation = advisor.consult(scenario.facts)
mark("consult")
from advisor.presentation.consultation import render_as  # noqa: E402
from advisor.presentation.consultation.data import build_report  # noqa: E402
from advisor.presentation.formats import Format  # noqa: E402

text = render_as(build_report(consultation, knowledge, {"name": scenario.name, "file": sys.argv[1]}), Format.json)
mark("build the report and its JSON")
print(json.dumps(marks))
