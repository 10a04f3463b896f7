"""`advisor review` results as GitHub Actions workflow commands: each finding becomes an
annotation on its file and line in the pull request (`::error file=...,line=...::message`)."""

from __future__ import annotations

from advisor.azureml.collect import ReviewRun
from advisor.presentation.review import review_summary_line, shown

COMMANDS = {"high": "error", "medium": "warning", "low": "notice"}


def _data(text: str) -> str:
    """A workflow command's message: %, CR and LF are encoded so text can't end the command."""
    return shown(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command property: also `:` and `,`, which separate properties."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(run: ReviewRun) -> str:
    lines: list[str] = []
    for review in run.reviews:
        for finding in review.findings:
            props = [f"file={_property(review.path)}", f"line={finding.line or 1}",
                     f"title={_property(f'{finding.rule_id}: {finding.title}')}"]
            message = f"{finding.message} Why: {finding.because} See: {finding.source}"
            lines.append(f"::{COMMANDS[finding.severity]} {','.join(props)}::{_data(message)}")
    for problem in run.unreadable:
        lines.append(f"::error file={_property(problem.path)},title={_property('advisor review: unreadable file')}"
                     f"::{_data(problem.message)}")
    lines.append(_data(review_summary_line(run)))
    return "\n".join(lines) + "\n"
