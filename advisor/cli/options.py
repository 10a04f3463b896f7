"""Options every command shares: `--format/-f` (the formats the command declares in
presentation/registry.py) and `--output/-o`; without --format, `-o FILE`'s extension picks
the format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advisor.cli import framework as cli
from advisor.presentation.formats import Format, parse_format
from advisor.presentation.registry import format_for_file, formats_of


def completer(values):
    """A completion callback offering `values()` (a callable, so nothing loads until asked)."""

    def complete(incomplete: str) -> list[str]:
        return [v for v in values() if v.startswith(incomplete)]

    return complete


def format_option(command: str, *, help: str = "Output format.") -> Any:
    allowed = formats_of(command)

    def parse(value: str | Format) -> Format:
        try:
            return parse_format(value, allowed)
        except ValueError as exc:
            raise cli.BadParameter(str(exc)) from None

    extension = " Without it, -o FILE's extension picks it (default: text)." if len(allowed) > 1 else ""
    return cli.Option(None, "--format", "-f", parser=parse, metavar="|".join(f.value for f in allowed),
                        help=help + extension,
                        autocompletion=completer(lambda: [f.value for f in allowed]))


def output_option(what: str = "the result") -> Any:
    return cli.Option(None, "--output", "-o", metavar="FILE",
                        help=f"Write {what} to this file instead of standard output.")


def chosen_format(command: str, fmt: Format | None, output: Path | None) -> Format:
    """--format when given; else the format `-o FILE`'s extension names (saying so when it
    names none), else the command's default."""
    from advisor.cli.output import NOTES
    from advisor.errors import AdvisorError

    allowed = formats_of(command)
    NOTES.clear()
    if fmt is not None:
        return fmt
    if output is None or str(output) == "-" or Path(output).is_dir():  # a folder fails when written
        return allowed[0]
    try:
        found = format_for_file(output, command)
    except ValueError as exc:
        raise AdvisorError(f"{exc}; choose one with --format", where=str(output)) from None
    if found is None:
        if len(allowed) > 1:
            from advisor.presentation.escape.terminal import visible

            NOTES.append(f"advisor: note: {visible(str(output), one_line=True)}: the extension names no format; "
                         f"wrote {allowed[0].value} (--format {'|'.join(f.value for f in allowed)})")
        return allowed[0]
    return found
