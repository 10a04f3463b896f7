"""Inline suppressions, as Checkov users expect: `# advisor: ignore[rule.id, other.id] reason`.

On a line (or the line just above it) the comment suppresses the findings of those rules at
that line; in the file's header (the comment lines before the first setting) it suppresses
them in the whole file. `ignore[*]` suppresses every rule there. A suppression without a reason
still works; the report says none was given. Suppressed findings are reported as such, never
dropped.

Only YAML comments count: a `#` inside a quoted or block scalar (a description, a command) is
text. The YAML scanner's scalar tokens tell them apart, in one pass over the file.
"""

from __future__ import annotations

import re

import yaml

from advisor.records import record

# Bounded quantifiers: a long line of repeated `#advisor:ignore[` can't make matching quadratic.
COMMENT = re.compile(r"#[ \t]{0,20}advisor:[ \t]{0,20}ignore\[([^\]\n]{0,500})\][ \t]{0,20}(.{0,500})",
                     re.IGNORECASE)
# Every suppression holds "advisor:" (the same case rule as COMMENT): a file without it has
# none, and is not scanned (most files; the scan is most of a clean file's review).
_MENTIONED = re.compile(r"advisor:", re.IGNORECASE)
SEARCHED = 2000  # a suppression sits at the start of its comment; only so much of one is searched
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@record(frozen=True)
class Suppression:
    rules: frozenset[str]
    reason: str
    line: int
    whole_file: bool

    def covers(self, rule_id: str) -> bool:
        return rule_id in self.rules or "*" in self.rules


def _scalar_spans(text: str) -> list[tuple[int, int]]:
    """Where each scalar (plain, quoted or block) starts and ends, as character offsets."""
    spans: list[tuple[int, int]] = []
    try:
        for token in yaml.scan(text, Loader=_LOADER):
            if isinstance(token, yaml.ScalarToken):
                spans.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError:
        pass  # a reviewed file has parsed already; the spans up to here are still right
    return spans


def comments(text: str) -> list[tuple[int, str]]:
    """(line number, text from `#` to the end of the line) of each YAML comment."""
    spans = _scalar_spans(text)
    found: list[tuple[int, str]] = []
    offset, span = 0, 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        column = line.find("#")
        while column != -1:
            at = offset + column
            while span < len(spans) and spans[span][1] <= at:
                span += 1
            inside = span < len(spans) and spans[span][0] <= at
            if not inside and (column == 0 or line[column - 1] in " \t"):
                found.append((number, line[column:].rstrip("\r\n")))
                break
            column = line.find("#", column + 1)
        offset += len(line)
    return found


def inline_suppressions(text: str) -> list[Suppression]:
    if not _MENTIONED.search(text):
        return []
    first_setting = next((n for n, line in enumerate(text.splitlines(), start=1)
                          if line.strip() and not line.lstrip().startswith("#")), None)
    found: list[Suppression] = []
    for number, comment in comments(text):
        match = COMMENT.search(comment[:SEARCHED])
        if not match:
            continue
        rules = frozenset(r.strip() for r in match.group(1).split(",") if r.strip())
        reason = " ".join(match.group(2).split()) or "no reason given"
        if rules:
            whole_file = first_setting is None or number < first_setting
            found.append(Suppression(rules, reason, number, whole_file))
    return found
