"""A stop, once begun, is not cut short by a second Ctrl-C (advisor/stopping.py).

People press Ctrl-C twice. Two SIGINTs 5 ms apart after an answer (issue 27's second fuzzing
pass, 20 runs): 12 clean, 7 printed the stop and were then killed mid-shutdown, 1 added a second
"advisor: interrupted" line. Here the second interrupt is raised in-process exactly as the stop
begins, so nothing depends on timing. Only the console script's own process ignores it: the
in-process tests elsewhere (tests/test_prompt_interrupts.py's nothing_left_over) check that a
program importing the advisor keeps its Ctrl-C.
"""

from __future__ import annotations

import json
import signal
import sys
from io import StringIO

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console
from test_drill_cli import CTRL_C, LIBRARY_SCENARIO
from test_interactive import DONT_KNOW, KeyTerminal

import advisor.__main__ as console_script
from advisor import stopping
from advisor.cli.commands import drill as drill_command_module
from advisor.cli.commands.consult import consult_interactively
from advisor.cli.framework import Exit
from advisor.interactive import interview

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGINT"), reason="POSIX signals")


@pytest.fixture
def console_scripts_process(monkeypatch):
    """As in the console script: the process is the advisor's, SIGINT raises KeyboardInterrupt.
    The test's own process gets its handler back afterwards."""
    monkeypatch.setattr(stopping, "_process_is_ours", True)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def second_ctrl_c_as_the_stop_begins(monkeypatch, module) -> list[int]:
    """The second Ctrl-C lands the moment `module`'s stop begins (right after stop_begun)."""
    calls = [0]

    def stop_begun_then_ctrl_c() -> None:
        calls[0] += 1
        stopping.stop_begun()
        signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(module, "stop_begun", stop_begun_then_ctrl_c)
    return calls


def test_a_second_ctrl_c_does_not_cut_a_consultations_stop_short(console_scripts_process, tmp_path, monkeypatch,
                                                                   capsys):
    """Ctrl-C at the fifth prompt, and again as the draft is about to be saved: the one clean stop
    (exit 130, the stop line and the --resume line, nothing else) with every answer in the draft."""
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    calls = second_ctrl_c_as_the_stop_begins(monkeypatch, interview)
    script = {"hyperparameter_expressions": ("choice", "uniform"), "planned_sampling": "random"}
    with pytest.raises(Exit) as stopped:
        try:
            consult_interactively(focus="sweep", answers=None, resume=False, fmt="json", output=tmp_path / "r.json",
                                  terminal=KeyTerminal(script, default=DONT_KNOW, stop_at=5),
                                  console=Console(file=StringIO()))
        except KeyboardInterrupt:  # never let it reach pytest, which would end the whole run
            pytest.fail("the second Ctrl-C cut the stop short")
    err = capsys.readouterr().err
    assert calls == [1]
    assert stopped.value.exit_code == 130
    assert err.strip().splitlines()[-1] == "Continue where you stopped with: advisor consult --resume"
    assert len(err.strip().splitlines()) == 2 and "interrupted" not in err
    saved = json.loads((tmp_path / "data" / "consultation-draft.json").read_text(encoding="utf-8"))
    assert saved["answers"]["hyperparameter_expressions"] == ["choice", "uniform"]
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # until the process ends


def test_a_second_ctrl_c_does_not_cut_a_drills_stop_short(console_scripts_process, tmp_path, monkeypatch):
    """Ctrl-C at the first question, and again as the session is about to be closed: the summary
    is shown and the session is recorded as finished."""
    library = tmp_path / "library"
    library.mkdir()
    (library / "photos.yaml").write_text(LIBRARY_SCENARIO)
    calls = second_ctrl_c_as_the_stop_begins(monkeypatch, drill_command_module)
    out = StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(CTRL_C)
        try:
            code = drill_command_module.drill_command(
                count=2, seed=25, db=tmp_path / "p.sqlite3", library=library,
                console=Console(file=out, width=120, no_color=True, highlight=False),
                prompt_input=pipe, prompt_output=DummyOutput())
        except KeyboardInterrupt:
            pytest.fail("the second Ctrl-C cut the stop short")
    assert calls == [1]
    assert code == drill_command_module.INTERRUPTED_EXIT
    assert "Session ended early" in out.getvalue()


def test_the_console_script_ignores_ctrl_c_once_its_run_has_ended(monkeypatch, capsys):
    """However the run ends (here `--help`, exit 0), the output's flush and the interpreter's exit
    that follow are not cut short by a Ctrl-C."""
    monkeypatch.setattr(sys, "argv", ["advisor", "--help"])
    monkeypatch.setattr(stopping, "_process_is_ours", False)  # main() takes the process, as the script does
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(SystemExit) as ended:
            console_script.main()
        after = signal.getsignal(signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert ended.value.code == 0 and "Usage" in capsys.readouterr().out
    assert after is signal.SIG_IGN
