"""README's example report is the real output of the current rule base (issue 21: the example is
re-made from the real output, and must not drift into a confident answer the advisor no longer gives)."""

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
COMMAND = "$ advisor consult image-classifier --summary"
COLUMNS = "100"  # the width the README's blocks are written at


def readme_block(command: str) -> list[str]:
    """The lines of README's text block that shows `command`, below the command line."""
    text = README.read_text(encoding="utf-8")
    start = text.index("```text\n" + command + "\n") + len("```text\n" + command + "\n")
    return text[start:text.index("\n```", start)].splitlines()


def test_the_summary_block_is_what_the_command_prints(cli):
    result = cli("consult", "image-classifier", "--summary", env={"COLUMNS": COLUMNS})
    assert result.returncode == 0, result.stderr
    assert readme_block(COMMAND) == result.stdout.rstrip("\n").splitlines()


def test_the_stated_report_lengths_are_the_real_ones(cli):
    text = README.read_text(encoding="utf-8")
    stated = re.search(r"`advisor consult image-classifier`: (\d+) lines at 100 columns, where `--full`,\s+"
                       r"with every tree, is (\d+)", text)
    assert stated, "README no longer states the full report's length"
    report = cli("consult", "image-classifier", env={"COLUMNS": COLUMNS})
    full = cli("consult", "image-classifier", "--full", env={"COLUMNS": COLUMNS})
    assert (len(report.stdout.splitlines()), len(full.stdout.splitlines())) == \
        (int(stated.group(1)), int(stated.group(2)))


def test_the_quoted_row_is_in_the_real_report(cli):
    text = README.read_text(encoding="utf-8")
    quoted = re.search(r"each with its reasoning collapsed to one line:\n\n```text\n(.*?)\n```", text, re.S)
    assert quoted, "README no longer quotes a report row"
    report = cli("consult", "image-classifier", env={"COLUMNS": COLUMNS}).stdout
    assert quoted.group(1) in report
