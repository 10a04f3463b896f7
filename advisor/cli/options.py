"""Options every command shares: `--format/-f` (one Format choice) and `--output/-o`."""

from __future__ import annotations

from typing import Any

import typer

from advisor.presentation.formats import Format, parse_format


def format_option(*allowed: Format, default: Format = Format.text, help: str = "Output format.") -> Any:
    def parse(value: str | Format) -> Format:
        try:
            return parse_format(value, allowed)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    return typer.Option(default.value, "--format", "-f", parser=parse,
                        metavar="|".join(f.value for f in allowed), help=help)


def output_option(what: str = "the result") -> Any:
    return typer.Option(None, "--output", "-o", metavar="FILE",
                        help=f"Write {what} to this file instead of standard output.")

