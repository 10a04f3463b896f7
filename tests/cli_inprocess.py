"""Run the advisor CLI in this process (typer's machinery through advisor.cli.app.main), with
standard input and output as a pipe would give them. About 20 times faster than a subprocess."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


def run_main(capsys, monkeypatch, *args: str, stdin: str | bytes = b"") -> Result:
    from advisor.cli.app import main

    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    capsys.readouterr()
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return Result(code, out, err)
