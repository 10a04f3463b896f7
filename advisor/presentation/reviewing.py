"""`advisor review`'s result as the format registry renders it: the run and how to show it
(presentation/review.py, sarif.py and github.py render it)."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from advisor.records import record


@record(frozen=True)
class ReviewOutput:
    run: Any                                   # advisor.azureml.review.ReviewRun
    show_facts: bool = False
    unit_titles: dict[str, str] = field(default_factory=dict)   # source URL -> unit title (SARIF)


def render_text(output: ReviewOutput) -> str:
    from advisor.presentation.review import render_text as text

    return text(output.run, show_facts=output.show_facts)


def draw_text(output: ReviewOutput, console: Any) -> None:
    from rich.text import Text

    console.print(Text(render_text(output)), end="", soft_wrap=True)


def render_json(output: ReviewOutput) -> str:
    from advisor.presentation.review import render_json as as_json

    return as_json(output.run)


def render_sarif(output: ReviewOutput) -> str:
    from advisor.presentation.sarif import render_sarif as as_sarif

    return as_sarif(output.run, output.unit_titles)


def render_github(output: ReviewOutput) -> str:
    from advisor.presentation.github import render_github as as_github

    return as_github(output.run)
