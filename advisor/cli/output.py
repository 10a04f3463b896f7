"""Where command output goes: stdout or `--output FILE` (written atomically)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from advisor.errors import AdvisorError


def write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_file_atomically(output, text)


def write_file_atomically(path: Path, text: str) -> None:
    """Write then rename, so a reader never sees half a file."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise AdvisorError("the folder for the output file does not exist", where=str(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def rich_text(render, *, width: int = 100, color: bool | None = None) -> str:
    """Run a rich renderer into a string (no colour codes unless asked)."""
    from io import StringIO

    from rich.console import Console

    buffer = StringIO()
    console = Console(file=buffer, width=width, force_terminal=bool(color), no_color=not color,
                      highlight=False, soft_wrap=False)
    render(console)
    return buffer.getvalue()
