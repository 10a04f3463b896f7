"""The one format registry: which formats each command offers, and how each result type is
rendered in each of them. `render(result, format)` gives the text of any result in any of its
formats; `draw(result, console)` puts the text format on a terminal (colour, links).

Renderers are named "module:function" and imported when used, so importing this module (the
CLI does, to declare its options) costs nothing. A renderer for the text format takes
(result, console, **options) and draws with rich; one for any other format takes
(result, **options) and returns the text.
"""


import os
from importlib import import_module
from pathlib import Path
from typing import Any, NamedTuple

from advisor.presentation.formats import Format


class Presenter(NamedTuple):  # not a frozen dataclass: ~1 ms less on every command's start
    """Where a kind of result is rendered in each format."""

    formats: dict[Format, str]               # format -> "module:function"
    plain: str | None = None                 # a listing's text when piped: full names, tab-separated


_CONSULTATION = "advisor.presentation.consultation.formats"
PRESENTERS: dict[str, Presenter] = {
    "report": Presenter({
        Format.text: f"{_CONSULTATION}:draw_text",
        Format.json: f"{_CONSULTATION}:render_json",
        Format.markdown: f"{_CONSULTATION}:render_markdown",
        Format.html: f"{_CONSULTATION}:render_html",
        Format.svg: f"{_CONSULTATION}:render_svg",
        Format.mermaid: f"{_CONSULTATION}:render_mermaid",
    }),
    "explanation": Presenter({
        Format.text: "advisor.presentation.explanation:draw_explanation",
        Format.json: "advisor.presentation.explanation:render_explanation_json",
    }),
    "evaluation": Presenter({
        Format.text: "advisor.presentation.evaluation:draw_table",
        Format.json: "advisor.presentation.evaluation:render_json",
        Format.junit: "advisor.presentation.evaluation:render_junit",
        Format.markdown: "advisor.presentation.evaluation:render_evaluation_markdown",
    }, plain="advisor.presentation.evaluation:render_plain"),
    "coverage": Presenter({
        Format.text: "advisor.presentation.coverage:draw_coverage",
        Format.json: "advisor.presentation.coverage:render_coverage_json",
    }, plain="advisor.presentation.coverage:render_plain"),
    "review": Presenter({
        Format.text: "advisor.presentation.reviewing:draw_text",
        Format.json: "advisor.presentation.reviewing:render_json",
        Format.sarif: "advisor.presentation.reviewing:render_sarif",
        Format.github: "advisor.presentation.reviewing:render_github",
    }, plain="advisor.presentation.reviewing:render_text"),
    "vocabulary": Presenter({
        Format.text: "advisor.presentation.vocabulary:render_tables",
        Format.json: "advisor.presentation.vocabulary:render_json",
    }, plain="advisor.presentation.vocabulary:render_plain"),
    "rule_list": Presenter({
        Format.text: "advisor.presentation.rules:render_list_table",
        Format.json: "advisor.presentation.rules:render_list_json",
    }, plain="advisor.presentation.rules:render_list_plain"),
    "lint": Presenter({
        Format.text: "advisor.presentation.lint:render_table",
        Format.json: "advisor.presentation.lint:render_json",
    }),
}

# Each command's result and so its formats. Commands without --format (rules show, drill
# --stats: text; schema: JSON) are listed with the one format they write.
COMMANDS: dict[str, str] = {
    "consult": "report",
    "explain": "explanation",
    "evaluate": "evaluation",
    "review": "review",
    "vocabulary": "vocabulary",
    "rules list": "rule_list",
    "rules lint": "lint",
    "rules coverage": "coverage",
}
SINGLE_FORMAT: dict[str, Format] = {"rules show": Format.text, "drill": Format.text, "schema": Format.json}

# What the result object's class is called -> its presenter (render() without `kind`).
RESULT_TYPES: dict[str, str] = {
    "advisor.presentation.consultation.data.Report": "report",
    "advisor.presentation.explanation.Explanation": "explanation",
    "advisor.evaluation.results.EvaluationRun": "evaluation",
    "advisor.evaluation.coverage.Coverage": "coverage",
    "advisor.presentation.reviewing.ReviewOutput": "review",
    "advisor.knowledge.vocabulary.Vocabulary": "vocabulary",
    "advisor.lint.findings.LintReport": "lint",
}

EXTENSIONS: dict[str, Format] = {
    ".txt": Format.text, ".text": Format.text, ".json": Format.json, ".md": Format.markdown,
    ".markdown": Format.markdown, ".html": Format.html, ".htm": Format.html, ".svg": Format.svg,
    ".mmd": Format.mermaid, ".mermaid": Format.mermaid, ".xml": Format.junit, ".sarif": Format.sarif,
}


def formats_of(command: str) -> tuple[Format, ...]:
    """The formats a command (`consult`, `rules list`) accepts, its default first."""
    if command in SINGLE_FORMAT:
        return (SINGLE_FORMAT[command],)
    return tuple(PRESENTERS[COMMANDS[command]].formats)


def format_for_file(path: Path | str, command: str) -> Format | None:
    """The format a file name's extension asks for, when the command has it; None when the
    extension names no format. ValueError when it names one the command does not write."""
    suffix = Path(str(path)).suffix.lower()
    if suffix == ".sarif" or str(path).lower().endswith(".sarif.json"):
        found: Format | None = Format.sarif if command == "review" else (Format.json if suffix == ".json" else None)
    else:
        found = EXTENSIONS.get(suffix)
    if found is None:
        return None
    allowed = formats_of(command)
    if found not in allowed:
        if found is Format.junit and Format.json in allowed:  # .xml for a command without JUnit
            raise ValueError(f"{command} writes {', '.join(f.value for f in allowed)}, not XML")
        raise ValueError(f"{command} writes {', '.join(f.value for f in allowed)}, not {found.value}")
    return found


def _kind(result: Any, kind: str | None) -> str:
    if kind is not None:
        return kind
    name = f"{type(result).__module__}.{type(result).__qualname__}"
    try:
        return RESULT_TYPES[name]
    except KeyError:
        raise TypeError(f"no presenter for {name}; pass kind=") from None


def _function(target: str):
    module, name = target.split(":")
    return getattr(import_module(module), name)


def renderer(kind: str, fmt: Format) -> Any:
    presenter = PRESENTERS[kind]
    if fmt not in presenter.formats:
        raise ValueError(f"{kind} has no {fmt.value} format; it has "
                         + ", ".join(f.value for f in presenter.formats))
    return _function(presenter.formats[fmt])


def draw(result: Any, console: Any, *, kind: str | None = None, **options: Any) -> None:
    """The text format on a rich console (a terminal: colour, links)."""
    renderer(_kind(result, kind), Format.text)(result, console, **options)


def text_width() -> int:
    """The width of text written to a pipe or a file: $COLUMNS, else 80."""
    try:
        width = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return 80
    return width if 20 <= width <= 1000 else 80


def render(result: Any, fmt: Format | str = Format.text, *, kind: str | None = None, width: int | None = None,
           listing: bool = True, **options: Any) -> str:
    """The result in a format, as text (the text format plain: no colour, `width` columns
    (default $COLUMNS, else 80), no trailing spaces). `listing=False`: a listing as its table."""
    fmt = Format(fmt)
    kind = _kind(result, kind)
    if fmt is not Format.text:
        return renderer(kind, fmt)(result, **options)
    presenter = PRESENTERS[kind]
    if listing and presenter.plain:
        return _function(presenter.plain)(result, **options)
    from advisor.presentation.terminal import rich_text

    draw_text = renderer(kind, Format.text)
    return rich_text(lambda console: draw_text(result, console, **options), width=width or text_width())
