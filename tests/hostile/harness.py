"""Run the advisor's CLI in-process, as the console script would, and read what came out.

A crash (any exception other than SystemExit) is returned, not raised, so a test can say
which input caused it. Output streams are plain text (not terminals), so whatever reaches them
is exactly what the commands wrote.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
import threading
import traceback
import xml.dom.minidom
from dataclasses import dataclass
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent
# C0 controls except tab and newline, DEL, and C1 controls: never sent raw to a terminal.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
EXPECT = re.compile(r"^# expect(?: line (\d+))?: (.*)$")


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    crash: str | None = None  # the traceback of an unexpected exception

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


class _Stdin(io.TextIOWrapper):
    def isatty(self) -> bool:
        return False


def run(*args: str, stdin: bytes = b"") -> Result:
    """`advisor ARGS...` in this process: exit code, standard output and standard error."""
    from advisor.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = _Stdin(io.BytesIO(stdin), encoding="utf-8")
    code, crash = 0, None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - a crash is what these tests look for
        code, crash = -1, traceback.format_exc()
    finally:
        sys.stdin = old_stdin
    return Result(code, out.getvalue(), err.getvalue(), crash)


def expectation(path: Path) -> tuple[int | None, str]:
    """The `# expect line N: message` header of a corpus file."""
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    match = EXPECT.match(first)
    assert match, f"{path.name}: first line must be '# expect [line N]: message'"
    return (int(match.group(1)) if match.group(1) else None), match.group(2)


def corpus(kind: str) -> list[Path]:
    return sorted((HOSTILE / kind).glob("*.yaml"))


def strict_json(text: str):
    """json.loads that refuses NaN and Infinity, as strict parsers do."""
    def refuse(name: str):
        raise ValueError(f"{name} in JSON output")
    return json.loads(text, parse_constant=refuse)


def well_formed_xml(text: str) -> None:
    xml.dom.minidom.parseString(text.encode("utf-8"))


def assert_clean(result: Result, what: str, *, batch: bool = False) -> None:
    """No crash, no traceback, an exit code of 0, 1 or 2, and (unless a batch reports its
    errors in its output) exit 2 with exactly one error line."""
    assert result.crash is None, f"{what} crashed:\n{result.crash}"
    assert result.code in (0, 1, 2), f"{what} exited {result.code}: {result.stderr[-500:]}"
    assert "Traceback" not in result.stderr + result.stdout, f"{what} printed a traceback"
    if result.code == 2 and not batch:
        assert len(result.error_lines) == 1, f"{what}: expected one error line, got {result.error_lines}"
        assert result.error_lines[0].startswith("advisor: error: "), result.error_lines


def finishes(target, seconds: float = 120.0):
    """Run `target` in a thread; return what it returned, failing (not hanging) if it doesn't end.
    The bound only tells a hang from an answer: generous, so a loaded machine never fails it."""
    outcome: dict = {}

    def call():
        try:
            outcome["value"] = target()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s (a hang)"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
