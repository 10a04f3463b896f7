"""Time the phases of one cold `advisor consult FILE` in this fresh process; print them as JSON.

Run by bench/run.py in new processes (`python bench/phases.py SCENARIO`). The phases follow
the path the real command takes: CLI framework, command-line parsing, consult's imports,
knowledge (with the validated-knowledge cache when present), engine compile, consultation,
report and render.
"""

from __future__ import annotations

import json
import sys
import time

started = time.perf_counter()
marks: dict[str, float] = {}


def mark(phase: str) -> None:
    global started
    now = time.perf_counter()
    marks[phase] = now - started
    started = now


from advisor.cli.app import build_app  # noqa: E402

app = build_app()
mark("import CLI (typer, commands)")

import typer.main  # noqa: E402

group = typer.main.get_command(app)
context = group.make_context("advisor", ["consult", sys.argv[1]])
group.get_command(context, "consult").make_context("consult", [sys.argv[1]], parent=context)  # converts them
mark("parse the command line (typer, click)")

from advisor.engine import get_advisor  # noqa: E402
from advisor.knowledge import load_knowledge  # noqa: E402
from advisor.presentation.consultation.data import build_report  # noqa: E402
from advisor.scenarios import load_scenario  # noqa: E402

mark("import engine, scenarios, report (experta, pydantic)")
knowledge = load_knowledge()
mark("knowledge load")
advisor = get_advisor()
mark("engine compile")
scenario = load_scenario(sys.argv[1], knowledge)
consultation = advisor.consult(scenario.facts)
mark("scenario load + consult")
report = build_report(consultation, knowledge, {"name": scenario.name, "file": sys.argv[1]})
from advisor.presentation.consultation.text import render_report  # noqa: E402
from advisor.presentation.terminal import rich_text  # noqa: E402

text = rich_text(lambda console: render_report(report, console))
mark("report + render (rich)")
print(json.dumps(marks))
