"""Old name for the in-process CLI runner; it delegates to conftest.run_cli (use the `cli` fixture)."""

from __future__ import annotations

from conftest import run_cli


def run_main(capsys, monkeypatch, *args, stdin: str | bytes = b""):
    """`run_cli(*args, input=stdin)`; the result also answers `.code` as `.returncode`."""
    result = run_cli(*args, input=stdin)
    result.code = result.returncode
    return result
