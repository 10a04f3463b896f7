"""A set of fnmatch globs matched in time linear in the path, however many globs there are.

`fnmatch.fnmatch(name, glob)` once per glob per file compiles each glob into its own regex
and keeps 32,768 of them; a config of 20,000 excludes (40,000 globs with their folder forms)
overflows that cache and recompiles every glob for every file (3.4 s a file). Here each glob
is filed once under the literal text it must start with (or else end with); a path looks up
only the globs whose literal start or end it has, and each such group is one regex, compiled
the first time a path needs it. Every match is still decided by `fnmatch.translate`, so the
semantics are fnmatch's exactly (`*` crosses `/`; names and globs normcased as fnmatch does).
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable

_MAGIC = "*?["  # where a glob's literal start ends
_MAGIC_OR_CLOSE = "*?[]"  # where its literal end begins (a `]` may close a set)


class _Group:
    """Globs that share a literal start or end, matched by one regex built when first needed."""

    __slots__ = ("globs", "_match")

    def __init__(self) -> None:
        self.globs: list[str] = []
        self._match = None

    def matches(self, name: str, compiled: list[int]) -> bool:
        if self._match is None:
            self._match = re.compile("|".join(fnmatch.translate(g) for g in self.globs)).match
            compiled[0] += 1
        return self._match(name) is not None


class GlobSet:
    """Whether a name matches any of the globs, as `any(fnmatch.fnmatch(name, g) for g in globs)`."""

    def __init__(self, globs: Iterable[str]) -> None:
        self._exact: set[str] = set()
        self._by_start: dict[str, _Group] = {}
        self._by_end: dict[str, _Group] = {}
        self._anywhere = _Group()
        self._compiled = [0]  # regexes built so far (a list: groups add to it)
        for glob in dict.fromkeys(os.path.normcase(g) for g in globs):
            start = _literal_start(glob)
            if start == glob:
                self._exact.add(glob)  # no wildcard: plain equality
            elif start:
                self._by_start.setdefault(start, _Group()).globs.append(glob)
            elif end := _literal_end(glob):
                self._by_end.setdefault(end, _Group()).globs.append(glob)
            else:
                self._anywhere.globs.append(glob)
        self._start_lengths = sorted({len(s) for s in self._by_start})
        self._end_lengths = sorted({len(e) for e in self._by_end})

    @property
    def regexes_compiled(self) -> int:
        """How many regexes matching has built so far: at most one per literal start or end in use."""
        return self._compiled[0]

    def __bool__(self) -> bool:
        return bool(self._exact or self._by_start or self._by_end or self._anywhere.globs)

    def matches(self, name: str) -> bool:
        name = os.path.normcase(name)
        if name in self._exact:
            return True
        for length in self._start_lengths:
            if length > len(name):
                break
            group = self._by_start.get(name[:length])
            if group is not None and group.matches(name, self._compiled):
                return True
        for length in self._end_lengths:
            if length > len(name):
                break
            group = self._by_end.get(name[len(name) - length:])
            if group is not None and group.matches(name, self._compiled):
                return True
        return bool(self._anywhere.globs) and self._anywhere.matches(name, self._compiled)


def _literal_start(glob: str) -> str:
    """The text every match begins with: the glob up to its first wildcard or `[`."""
    cut = min((i for i in (glob.find(c) for c in _MAGIC) if i >= 0), default=len(glob))
    return glob[:cut]


def _literal_end(glob: str) -> str:
    """The text every match ends with: the glob after its last wildcard, `[` or `]`."""
    cut = max(glob.rfind(c) for c in _MAGIC_OR_CLOSE)
    return glob[cut + 1:]
