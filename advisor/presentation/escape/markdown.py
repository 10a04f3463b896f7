"""Text for Markdown (GitHub's flavour and CommonMark). Text from a scenario file must stay
text: no raw HTML (`<script>`, `<iframe>`), no links it did not mean to make
(`javascript:`), no code fence that swallows the rest of the document."""

from __future__ import annotations

import re

from advisor.presentation.escape.html import safe_url
from advisor.presentation.escape.terminal import visible

# Inline markup: emphasis, code, links and images, table pipes, strikethrough, escapes.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# What can open a block at the start of a line: heading, quote, list, thematic break, table.
_BLOCK_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def md_text(text: object) -> str:
    """Inline text, shown literally: markup characters are backslash-escaped, `<` and `&`
    become entities, and newlines become spaces (a line break could start a block)."""
    shown = visible(str(text), one_line=False).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    shown = shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", shown)


def md_paragraph(text: object) -> str:
    """A block of text (a description): each line escaped as inline text, line breaks kept
    as hard breaks so a line that starts with ``` or <script> cannot open a block."""
    lines = [_BLOCK_START.sub(_escape_block_start, md_text(line.strip())) for line in str(text).splitlines()]
    return "  \n".join(line for line in lines if line)


def _escape_block_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker[0].isdigit():  # "1." starts a list; "1\." does not
        return match.group(1) + marker[:-1] + "\\" + marker[-1]
    return match.group(1) + "\\" + marker


def md_code(text: object) -> str:
    """A code span around `text`, fenced with more backticks than it contains."""
    shown = visible(str(text), one_line=True)
    longest = max((len(run) for run in re.findall(r"`+", shown)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") or longest else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def md_cell(text: object) -> str:
    """Inline text inside a table cell (pipes are escaped by md_text)."""
    return md_text(text)


def md_link(url: str, text: str) -> str:
    """A link for http(s) URLs; anything else is shown as text."""
    target = safe_url(url)
    if target is None:
        return md_text(text)
    return f"[{md_text(text)}](<{target.replace('>', '%3E').replace('<', '%3C')}>)"
