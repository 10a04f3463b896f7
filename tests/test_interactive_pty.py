"""End to end: the installed `advisor` console script in a pseudo-terminal, driven with pexpect.

The test plays a simple answering policy; which question comes next is worked out with
the same policy through the planner, and the test waits for that question's text on screen.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import pexpect
import pytest
from conftest import CONSOLE_SCRIPT

from advisor.interactive.planner import Planner, known_facts
from advisor.interactive.prompts import CHECKLIST_MESSAGE
from advisor.scenarios import load_scenario

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX only")


def spawn(tmp_path: Path, *args: str, program: str = CONSOLE_SCRIPT) -> pexpect.spawn:
    env = {**os.environ, "ADVISOR_DATA_DIR": str(tmp_path / "data"), "PROMPT_TOOLKIT_NO_CPR": "1",
           "TERM": "xterm", "NO_COLOR": "1"}
    # Output buffered as in a user's terminal, whatever the suite's own environment says: with
    # PYTHONUNBUFFERED set a closed terminal's exit could not fail over a buffer (it did, exit 120).
    env.pop("PYTHONUNBUFFERED", None)
    child = pexpect.spawn(program, list(args), env=env, cwd=str(tmp_path), encoding="utf-8",
                          timeout=60, dimensions=(50, 160))
    # pexpect waits 50 ms before each send by default; every key here is sent once its
    # question is on screen, when the prompt is already reading the raw terminal.
    child.delaybeforesend = None
    return child


def policy(spec) -> tuple[Any, str]:
    """The answer the test gives to a fact, and the keys that give it."""
    if spec.type == "list":
        return (next(iter(spec.values)),), " \r"      # tick the first value
    if spec.type == "bool":
        return False, "n\r"
    if spec.type == "choice":
        return next(iter(spec.values)), "\r"           # the first value is preselected
    return 10, "10\r"


MODE_QUESTION = "Is this a new design, or a review of a setup you already have?"


def expect_question(child: pexpect.spawn, text: str) -> None:
    """Wait for a question, going on whenever an area is done and the consultation offers to stop."""
    while child.expect_exact([text, "Go on?"]) == 1:
        child.send("\r")


def answer_until_done(child: pexpect.spawn, planner: Planner, answers: dict[str, Any],
                      limit: int | None = None) -> None:
    """Answer what the planner says comes next, `limit` times or until nothing is left."""
    count = 0
    if not answers:
        child.expect_exact(MODE_QUESTION)
        child.send("\r")  # a new design
    while (plan := planner.plan(answers)).next is not None and (limit is None or count < limit):
        expect_question(child, on_screen(plan))
        if len(plan.batch) > 1:  # a checklist: tick nothing, and confirm "none of these"
            child.send("\r")
            child.expect_exact("None of these?")
            child.send("y\r")
            answers.update({q.fact.name: False for q in plan.batch})
        else:
            value, keys = policy(plan.next.fact)
            child.send(keys)
            answers[plan.next.fact.name] = value
        count += 1


def on_screen(plan) -> str:
    """The text of the plan's next prompt: a question, or the checklist's."""
    return CHECKLIST_MESSAGE if len(plan.batch) > 1 else plan.next.fact.question


def test_a_short_consultation_in_a_terminal_with_stdout_redirected(tmp_path, advisor):
    """The questions stay on the terminal while stdout goes to a file, which holds nothing but
    the JSON report; the answers are saved as a scenario and the draft is gone.
    (One run for what were two tests: a short consultation with --output, and one with stdout
    redirected; writing the report with --output is checked in-process in test_interactive.py.)"""
    import shlex

    command = f"{shlex.quote(CONSOLE_SCRIPT)} consult --focus sweep --format json > report.json"
    child = spawn(tmp_path, "-c", command, program="/bin/sh")
    answers: dict[str, Any] = {}
    answer_until_done(child, Planner(advisor, "sweep"), answers)
    expect_question(child, "Save your answers as a scenario file")
    child.send("y\r")
    child.expect_exact("Save the scenario as")
    child.send("\r")  # the suggested name
    child.expect_exact("A title for it")
    child.send("\r")  # the suggested title
    child.expect(r"advisor\s+consult\s+consultation-sweep\.yaml")  # may wrap: the tmp path is long
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    assert answers and len(answers) <= 10
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))  # nothing but the JSON
    assert report["scenario"]["focus"] == "sweep"
    expected = advisor.consult(known_facts(answers, advisor.knowledge))
    assert [(r["decision"], r["choice"]) for r in report["recommendations"]] == \
           [(r.decision, r.choice) for r in expected.recommendations]
    assert report["recommendations"], "the sweep answers settle at least the sampling method"
    assert report["facts"] == {k: list(v) if isinstance(v, tuple) else v
                               for k, v in known_facts(answers, advisor.knowledge).items()}
    saved = load_scenario(tmp_path / "consultation-sweep.yaml")
    assert saved.facts == known_facts(answers, advisor.knowledge)
    assert not (tmp_path / "data" / "consultation-draft.json").exists()


def test_ctrl_c_in_a_terminal_then_resume(tmp_path, advisor):
    planner = Planner(advisor, "sweep")
    answers: dict[str, Any] = {}
    child = spawn(tmp_path, "consult", "--focus", "sweep")
    answer_until_done(child, planner, answers, limit=1)
    expect_question(child, on_screen(planner.plan(answers)))
    child.sendcontrol("c")
    child.expect_exact("advisor consult --resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    draft = json.loads((tmp_path / "data" / "consultation-draft.json").read_text(encoding="utf-8"))
    assert draft["answers"] == {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}

    child = spawn(tmp_path, "consult", "--resume", "--format", "json", "--output", "report.json")
    answer_until_done(child, planner, answers)
    expect_question(child, "Save your answers as a scenario file")
    child.send("n\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["facts"] == {k: list(v) if isinstance(v, tuple) else v
                               for k, v in known_facts(answers, advisor.knowledge).items()}


def test_a_sigint_at_the_first_prompt_or_a_checkbox_stops_as_ctrl_c_does(tmp_path, advisor):
    """Ctrl-C typed in the instant before a prompt puts the terminal in raw mode arrives as a
    SIGINT, not as a key; a select or a checkbox ignored it, so the first question stayed on
    screen. Once a question is on screen its prompt is running, so the signal sent then is
    deterministic: it must end the consultation with 130, keeping the answers so far."""
    child = spawn(tmp_path, "consult", "--focus", "sweep")
    child.expect_exact(MODE_QUESTION)  # a select, the first prompt
    child.kill(signal.SIGINT)
    child.expect_exact("advisor consult --resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    (tmp_path / "again").mkdir()
    planner = Planner(advisor, "sweep")
    child = spawn(tmp_path / "again", "consult", "--focus", "sweep")
    child.expect_exact(MODE_QUESTION)
    child.send("\r")  # a new design
    fact = planner.plan({}).next.fact
    assert fact.type == "list"  # a checkbox
    child.expect_exact(fact.question)
    child.kill(signal.SIGINT)
    child.expect_exact("advisor consult --resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    draft = json.loads((tmp_path / "again" / "data" / "consultation-draft.json").read_text(encoding="utf-8"))
    assert draft["answers"] == {} and draft["existing"] is False


def hang_up(child: pexpect.spawn, patience: float = 120) -> bool:
    """Close the terminal as closing its window does (the kernel sends SIGHUP), then wait for the
    program to end; whether it ended on its own. pexpect's close(force=True) allows it 0.1 s per
    signal and fails on a loaded machine; here only a program still alive after `patience` seconds
    is killed."""
    child.ptyproc.fileobj.close()
    deadline = time.monotonic() + patience
    while child.ptyproc.isalive() and time.monotonic() < deadline:
        time.sleep(0.05)
    ended = not child.ptyproc.isalive()
    if not ended:
        child.ptyproc.kill(signal.SIGKILL)
        child.ptyproc.wait()
    child.ptyproc.closed = child.closed = True
    return ended


def test_a_closed_terminal_loses_no_answer(tmp_path, advisor):
    planner = Planner(advisor, "sweep")
    answers: dict[str, Any] = {}
    child = spawn(tmp_path, "consult", "--focus", "sweep")
    answer_until_done(child, planner, answers, limit=1)
    expect_question(child, on_screen(planner.plan(answers)))
    assert hang_up(child), "still running 120 s after its terminal closed"
    assert child.ptyproc.exitstatus == 130, (child.ptyproc.exitstatus, child.ptyproc.signalstatus)
    draft = json.loads((tmp_path / "data" / "consultation-draft.json").read_text(encoding="utf-8"))
    assert draft["answers"] == {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}
