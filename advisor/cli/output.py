"""Where command output goes: stdout, or the file `--output` names (see advisor/files.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from advisor.files import write_text_file

MAX_COLUMNS = 10_000


def safe_streams() -> None:
    """Standard output and error that can write any text: a character a legacy encoding lacks
    (PYTHONIOENCODING=cp1252) becomes "?", a stray surrogate on a UTF-8 stream a backslash
    escape; never an exception halfway through a report. A COLUMNS or LINES that is not a
    terminal's size (`²`, 0, 40 digits) is ignored."""
    import codecs
    import os

    for name in ("COLUMNS", "LINES"):  # rich reads them with str.isdigit() (which `²` passes), then int()
        value = os.environ.get(name)
        if value is not None and not (value.isascii() and value.isdigit() and 0 < int(value[:6]) <= MAX_COLUMNS):
            del os.environ[name]  # not a terminal's size (rich would fail on it): as if unset
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) in ("strict", "surrogateescape"):
            try:
                unicode = codecs.lookup(stream.encoding).name.startswith("utf")
                reconfigure(errors="backslashreplace" if unicode else "replace")  # cp1252: "?" for a box line
            except (LookupError, ValueError, OSError, AttributeError, TypeError):
                pass  # a stream that can't change keeps its own rules


def write_text(text: str, output: Path | None) -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_text_file(output, text)


def to_terminal(output: Path | None) -> bool:
    """True when the result goes to a terminal (colour, width, links); else plain text."""
    return output is None and sys.stdout.isatty()


def show(render: Callable, output: Path | None, *, width: int = 100) -> None:
    """Run a rich renderer on the terminal, or into plain text for a pipe or a file."""
    if to_terminal(output):
        from rich.console import Console

        render(Console(highlight=False))
        return
    from advisor.presentation.terminal import rich_text

    write_text(rich_text(render, width=width), output)


def show_listing(render: Callable, plain: Callable[[], str], output: Path | None) -> None:
    """A listing: a rich table on a terminal; piped or to a file, `plain()` (full names,
    tab-separated), so nothing a user must type is cut to the terminal's width."""
    if to_terminal(output):
        from rich.console import Console

        render(Console())
        return
    write_text(plain(), output)
