"""advisor/cli/framework.py on a small app of its own: how words become a command's arguments,
and the usage errors (click's messages, exit code 2) when they can't."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import pytest

from advisor.cli import framework as cli


class Colour(str, Enum):
    red = "red"
    blue = "blue"


def make_app(calls: list[dict]) -> cli.App:
    app = cli.App(name="tool", help="A tool.", no_args_is_help=True)

    @app.command()
    def paint(
        files: list[Path] = cli.Argument(..., metavar="FILE", help="Files to paint."),
        colour: Colour = cli.Option(Colour.red, "--colour", "-c", help="The colour."),
        coats: int = cli.Option(1, "--coats", "-n", min=1, max=3, help="How many."),
        tag: list[str] = cli.Option([], "--tag", help="Repeatable."),
        dry: bool = cli.Option(False, "--dry-run", help="Do nothing."),
        glossy: bool = cli.Option(True, "--glossy/--matt", help="Finish."),
        note: Optional[str] = cli.Option(None, help="A note."),
    ) -> None:
        """Paint files."""
        calls.append({"files": files, "colour": colour, "coats": coats, "tag": tag, "dry": dry,
                      "glossy": glossy, "note": note})

    @app.command()
    def stop(code: int = cli.Argument(..., help="Exit code.")) -> None:
        """Stop with a code."""
        raise cli.Exit(code)

    return app


def run(capsys, *args: str) -> tuple[int, list[dict], str, str]:
    calls: list[dict] = []
    with pytest.raises(SystemExit) as done:
        make_app(calls)(list(args), prog_name="tool")
    out, err = capsys.readouterr()
    return done.value.code, calls, out, err


def test_words_become_typed_arguments(capsys):
    code, calls, _, _ = run(capsys, "paint", "a.txt", "-cblue", "--coats=2", "--tag", "x", "--tag", "y",
                            "--dry-run", "--matt", "--note", "hi", "--", "-b.txt")
    assert code == 0
    assert calls == [{"files": [Path("a.txt"), Path("-b.txt")], "colour": Colour.blue, "coats": 2, "tag": ["x", "y"],
                      "dry": True, "glossy": False, "note": "hi"}]


def test_defaults_when_nothing_is_given(capsys):
    code, calls, _, _ = run(capsys, "paint", "-")
    assert code == 0
    assert calls == [{"files": [Path("-")], "colour": Colour.red, "coats": 1, "tag": [], "dry": False,
                      "glossy": True, "note": None}]


def test_a_commands_exit_code_is_the_process_exit_code(capsys):
    assert run(capsys, "stop", "3")[0] == 3


@pytest.mark.parametrize("args, message", [
    (["paint"], "Missing argument 'FILE'."),
    (["paint", "a", "--coats", "4"], "Invalid value for '--coats' / '-n': must be at most 3"),
    (["paint", "a", "--coats", "0"], "Invalid value for '--coats' / '-n': must be at least 1"),
    (["paint", "a", "-n", "two"], "Invalid value for '--coats' / '-n': 'two' is not a valid integer."),
    (["paint", "a", "--colour", "green"], "Invalid value for '--colour' / '-c': 'green' is not one of 'red', 'blue'."),
    (["paint", "a", "--colur", "red"], "No such option: --colur (Possible options: --colour)"),
    (["pant"], "No such command 'pant'. Did you mean 'paint'?"),
    (["stop", "1", "2"], "Got unexpected extra argument(s) (2)"),
    (["paint", "a", "--note"], "Option '--note' requires an argument."),
    (["paint", "a", "--dry-run=yes"], "Option '--dry-run' does not take a value."),
])
def test_usage_errors_say_what_is_wrong_and_exit_2(capsys, args, message):
    code, calls, out, err = run(capsys, *args)
    assert (code, calls, out) == (2, [], "")
    assert err.rstrip().endswith(f"Error: {message}")


def test_a_usage_error_shows_the_usage_line_and_where_help_is(capsys):
    _, _, _, err = run(capsys, "paint")
    assert err.startswith("Usage: tool paint [OPTIONS] FILE...\nTry 'tool paint -h' for help.\n\nError: ")


def test_help_lays_out_arguments_and_options_as_click_does(capsys):
    code, calls, out, _ = run(capsys, "paint", "-h")
    assert (code, calls) == (0, [])
    assert out.startswith("Usage: tool paint [OPTIONS] FILE...\n\n  Paint files.\n\nArguments:\n"
                          "  FILE...  Files to paint.  [required]\n\nOptions:\n")
    assert "  -c, --colour red|blue  The colour.  [default: red]\n" in out
    assert "  -n, --coats COATS      How many.  [default: 1; 1<=x<=3]\n" in out
    assert "  --glossy / --matt      Finish.  [default: glossy]\n" in out
    assert out.rstrip().endswith("  -h, --help             Show this message and exit.")


def test_no_arguments_show_the_groups_help_on_stderr_and_exit_2(capsys):
    code, _, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert err.startswith("Usage: tool [OPTIONS] COMMAND [ARGS]...") and "  paint  Paint files.\n" in err


def test_completion_offers_commands_options_and_choices():
    app = make_app([])
    assert cli.complete(app, "tool pa", "1") == ["paint"]
    assert cli.complete(app, "tool paint --co", "2") == ["--colour", "--coats"]
    assert cli.complete(app, "tool paint --colour ", "3") == ["red", "blue"]
    assert cli.complete(app, "tool paint a.txt --colour b", "4") == ["blue"]
