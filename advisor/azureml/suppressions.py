"""Inline suppressions, as Checkov users expect: `# advisor: ignore[rule.id, other.id] reason`.

On a line (or the line just above it) the comment suppresses the findings of those rules at
that line; in the file's header (the comment lines before the first setting) it suppresses
them in the whole file. A suppression without a reason still works; the report says none was
given. Suppressed findings are reported as such, never dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass

COMMENT = re.compile(r"#\s*advisor:\s*ignore\[([^\]]*)\]\s*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Suppression:
    rules: frozenset[str]
    reason: str
    line: int
    whole_file: bool

    def covers(self, rule_id: str) -> bool:
        return rule_id in self.rules or "*" in self.rules


def inline_suppressions(text: str) -> list[Suppression]:
    found: list[Suppression] = []
    header = True
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if header and stripped and not stripped.startswith("#"):
            header = False
        match = COMMENT.search(line)
        if not match:
            continue
        rules = frozenset(r.strip() for r in match.group(1).split(",") if r.strip())
        reason = " ".join(match.group(2).split()) or "no reason given"
        if rules:
            found.append(Suppression(rules, reason, number, header and stripped.startswith("#")))
    return found
