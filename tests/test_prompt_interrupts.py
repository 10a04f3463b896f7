"""An interrupt at any moment of a prompt's life ends it cleanly (advisor/interactive/prompt_loop.py).

A SIGINT (Ctrl-C typed while the terminal is not yet raw, or `kill -INT`) or a closed terminal's
SIGHUP raised KeyboardInterrupt wherever Python was: one landing while asyncio built the prompt's
event loop left a half-built loop, and after the clean exit the process printed "Exception
ignored in: BaseEventLoop.__del__ ... no attribute '_ssock'" and "coroutine
'Application.run_async' was never awaited" (the second fuzzing pass, issue 27); others were lost
or left asyncio's SIGINT handler installed. Here the signal is raised in-process at exact
points, so nothing depends on timing.
"""

from __future__ import annotations

import gc
import json
import signal
import sys
import warnings
from asyncio import selector_events
from contextlib import contextmanager
from io import StringIO

import pytest
from conftest import DEEP
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console
from test_interactive import DONT_KNOW, KeyTerminal

from advisor.cli.commands.consult import consult_interactively
from advisor.cli.framework import Exit
from advisor.interactive import menus
from advisor.interactive.interview import hangup_as_interrupt

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")


@contextmanager
def nothing_left_over():
    """Fails if anything is left for the garbage collector to complain about (an unraisable
    exception in a __del__, a coroutine never awaited, an unclosed loop), or a handler is left."""
    unraisable: list[str] = []
    hook, sys.unraisablehook = sys.unraisablehook, lambda u: unraisable.append(f"{u.exc_type.__name__}: {u.exc_value}")
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a console script
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
            gc.collect()
    finally:
        sigint = signal.getsignal(signal.SIGINT)
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = hook
    assert unraisable == []
    assert [str(w.message) for w in caught] == []
    assert sigint is signal.default_int_handler


def raise_signal_at_call(monkeypatch, owner, name: str, call: int, signum: int = signal.SIGINT, *,
                         after: bool = False) -> list[int]:
    """Raise `signum` as `owner.name` begins (or `after` it ends) its `call`-th call (1-based); the
    count so far."""
    original, calls = getattr(owner, name), [0]

    def hooked(*args, **kwargs):
        calls[0] += 1
        if calls[0] == call and not after:
            signal.raise_signal(signum)
        result = original(*args, **kwargs)
        if calls[0] == call and after:
            signal.raise_signal(signum)
        return result

    monkeypatch.setattr(owner, name, hooked)
    return calls


def stopped_consultation(tmp_path, capsys, terminal) -> tuple[int, str, dict]:
    with pytest.raises(Exit) as stopped:
        try:
            consult_interactively(focus="sweep", answers=None, resume=False, fmt="json", output=tmp_path / "r.json",
                                  terminal=terminal, console=Console(file=StringIO()))
        except KeyboardInterrupt:  # never let it reach pytest, which would end the whole run
            pytest.fail("KeyboardInterrupt escaped the consultation")
    draft = tmp_path / "data" / "consultation-draft.json"
    saved = json.loads(draft.read_text(encoding="utf-8"))
    draft.unlink()
    return stopped.value.exit_code, capsys.readouterr().err, saved


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGHUP], ids=["SIGINT", "SIGHUP"])
def test_an_interrupt_while_a_prompts_event_loop_is_built_stops_as_ctrl_c_at_it_does(
        signum, tmp_path, monkeypatch, capsys):
    """The fuzzer's case: the first answers given, the interrupt lands inside the next prompt's
    event loop construction (its self-pipe not made yet). The exit, the message and the draft are
    those of Ctrl-C pressed at that prompt, and nothing else reaches stderr."""
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    script = {"hyperparameter_expressions": ("choice", "uniform"), "planned_sampling": "random"}
    with nothing_left_over():
        pressed = stopped_consultation(tmp_path, capsys, KeyTerminal(script, default=DONT_KNOW, stop_at=5))
        calls = raise_signal_at_call(monkeypatch, selector_events.BaseSelectorEventLoop, "_make_self_pipe", 5,
                                     signum)
        signalled = stopped_consultation(tmp_path, capsys, KeyTerminal(script, default=DONT_KNOW))
    assert calls == [5], "the fifth prompt's loop was being built"
    assert pressed[0] == signalled[0] == 130
    assert pressed[1] == signalled[1]  # the stop line and the --resume line, nothing more
    assert "advisor consult --resume" in signalled[1] and len(signalled[1].strip().splitlines()) == 2
    assert pressed[2] == signalled[2]
    assert signalled[2]["answers"]["hyperparameter_expressions"] == ["choice", "uniform"]


KINDS = {
    "select": lambda pipe: menus.select("Pick?", [menus.Item("a", 1), menus.Item("b", 2)], input=pipe,
                                        output=DummyOutput()),
    "checkbox": lambda pipe: menus.checkbox("Tick?", [menus.Item("a", 1), menus.Item("b", 2)], input=pipe,
                                            output=DummyOutput()),
    "text": lambda pipe: menus.text("Type?", default="x", input=pipe, output=DummyOutput()),
}


def traced_prompt(kind: str, at_line: int | None, signum: int) -> tuple[bool, int]:
    """Run a prompt answered by Enter, raising `signum` at its `at_line`-th Python line (None: never);
    whether it was raised, and how many lines ran."""
    lines, fired = [0], [False]

    def tracer(frame, event, arg):
        if event == "line":
            lines[0] += 1
            if lines[0] == at_line:
                fired[0] = True
                signal.raise_signal(signum)
        return tracer

    with create_pipe_input() as pipe:
        pipe.send_text("\r")
        other = sys.gettrace()
        sys.settrace(tracer)
        try:
            KINDS[kind](pipe)
        finally:
            sys.settrace(other)
    return fired[0], lines[0]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGHUP], ids=["SIGINT", "SIGHUP"])
def test_an_interrupt_at_any_moment_of_a_prompts_life_ends_it_cleanly(signum):
    """Before, while and after prompt_toolkit builds its application and asyncio its loop, while the
    prompt is on screen, once it is answered, while the loop is closed: raised at points spread over
    every Python line a prompt runs, the interrupt always ends the prompt with KeyboardInterrupt,
    and leaves nothing behind."""
    # 12 points a prompt for each signal in CI (DEEP); while developing 6 for each, SIGHUP's halfway
    # between SIGINT's, so the pair still lands at 12 moments spread over each prompt's life, and
    # each signal at 6 spread over all its phases (a traced prompt is ~50 ms a point).
    points = 12 if DEEP else 6
    shift = 0 if DEEP or signum == signal.SIGINT else 1
    with nothing_left_over(), hangup_as_interrupt():
        for index, kind in enumerate(KINDS):
            _, total = traced_prompt(kind, None, signum)
            assert total > 1000  # the whole life is traced: application, loop, prompt, close
            step = total // points
            for at_line in range(1 + index + shift * step // 2, total, step):
                try:
                    fired, _ = traced_prompt(kind, at_line, signum)
                except KeyboardInterrupt:
                    continue
                assert not fired, f"{kind}: the interrupt at line {at_line} of {total} was lost"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGHUP], ids=["SIGINT", "SIGHUP"])
def test_an_interrupt_while_a_prompt_is_on_screen_ends_it_before_the_next_key(signum, monkeypatch):
    """On screen, the prompt ends at once, as Ctrl-C pressed there does: Enter, already waiting in the
    input, is not taken as its answer (else a prompt with no key waiting would wait on for one)."""
    from prompt_toolkit.application import Application

    checked: list[str] = []
    calls = raise_signal_at_call(monkeypatch, Application, "_redraw", 1, signum, after=True)  # drawn once
    with nothing_left_over(), hangup_as_interrupt(), create_pipe_input() as pipe:
        pipe.send_text("\r")
        with pytest.raises(KeyboardInterrupt):
            menus.text("Type?", default="x", validate=lambda typed: checked.append(typed) or True, input=pipe,
                       output=DummyOutput())
    assert calls[0] >= 1 and checked == []


def test_a_paste_the_terminal_never_ends_stops_taking_every_key_once_input_is_quiet(monkeypatch):
    """The second fuzzing pass: a paste's end marker lost (typed before the prompt took the terminal,
    then erased by Ctrl-U) left prompt_toolkit's parser taking every key as pasted text, Ctrl-C
    included: an exam question could be neither answered nor stopped. Once input has gone quiet
    (prompt_toolkit's own flush), the paste ends and the Ctrl-C pressed next stops the prompt."""
    import threading

    from prompt_toolkit.input.posix_pipe import PosixPipeInput

    original = PosixPipeInput.flush_keys

    def flush_then_press_ctrl_c(self):
        keys = original(self)
        self.send_text("\x03")  # pressed once the input was quiet
        return keys

    monkeypatch.setattr(PosixPipeInput, "flush_keys", flush_then_press_ctrl_c)
    with create_pipe_input() as pipe:
        pipe.send_text("\x1b[200~pasted, never ended")
        watchdog = threading.Timer(30, pipe.send_text, ["\x1b[201~\r"])  # without the fix: ends, not hangs
        watchdog.start()
        try:
            with pytest.raises(KeyboardInterrupt):
                KINDS["select"](pipe)
        finally:
            watchdog.cancel()


class ClosingTerminal(StringIO):
    """The consultation's screen: writes fail with EIO, as on a closed terminal, once `after`
    prompts were asked."""

    def __init__(self, terminal: KeyTerminal, after: int) -> None:
        super().__init__()
        self.terminal, self.after = terminal, after

    def write(self, text: str) -> int:
        if len(self.terminal.prompts) >= self.after:
            import errno

            raise OSError(errno.EIO, "Input/output error")
        return super().write(text)


def test_a_terminal_closed_before_its_hangup_signal_stops_as_a_hangup_does(tmp_path, monkeypatch, capsys):
    """The second fuzzing pass: the terminal closed just after an answer, and writing the next
    section's heading failed with EIO before the SIGHUP came: exit 2 "Input/output error" (or a
    traceback, with stderr on that terminal), not the stop a hang-up gives. Now: 130, the answers in
    the draft, the way to resume."""
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    script = {"hyperparameter_expressions": ("choice", "uniform")}
    terminal = KeyTerminal(script, default=DONT_KNOW)
    screen = Console(file=ClosingTerminal(terminal, after=3), width=100)
    with pytest.raises(Exit) as stopped:
        consult_interactively(focus="sweep", answers=None, resume=False, fmt="json", output=tmp_path / "r.json",
                              terminal=terminal, console=screen)
    assert stopped.value.exit_code == 130
    assert "advisor consult --resume" in capsys.readouterr().err
    draft = json.loads((tmp_path / "data" / "consultation-draft.json").read_text(encoding="utf-8"))
    assert draft["answers"]["hyperparameter_expressions"] == ["choice", "uniform"]


def test_an_interrupt_while_the_final_report_is_written_keeps_the_draft_and_says_how_to_resume(
        tmp_path, monkeypatch, capsys):
    """The second fuzzing pass: Ctrl-C (or kill -INT) landing while the report was rendered, the
    questions done, ended with "advisor: interrupted" and no word of the draft, which was kept.
    Now it is the stop every other moment gives: 130, the draft, the --resume line."""
    import advisor.cli.commands.consult as consult_command

    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(consult_command, "render", lambda *args, **kwargs: signal.raise_signal(signal.SIGINT))
    script = {"hyperparameter_expressions": ("choice", "uniform")}
    with nothing_left_over():
        code, err, draft = stopped_consultation(tmp_path, capsys, KeyTerminal(script, default=DONT_KNOW))
    assert code == 130
    assert "advisor: interrupted" not in err and err.count("advisor consult --resume") == 1
    assert draft["answers"]["hyperparameter_expressions"] == ["choice", "uniform"]
