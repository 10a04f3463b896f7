"""Let experta import under the dependency versions pip resolves for it.

experta 1.9.4 pins `frozendict==1.2`, whose class statement reads `collections.Mapping`, an
alias removed in Python 3.10. `uv run` avoids the pin through `[tool.uv]
override-dependencies`, but pip, pipx and `uv tool install` honour it, and then importing
experta fails. When (and only when) importing frozendict fails that way, the alias is lent to
it for the length of that one import and taken back, so nothing else ever sees it. experta's
other pin, `schema==0.6.7`, imports and validates fine on 3.11 and needs nothing.
"""

from __future__ import annotations

import collections
import collections.abc


def _import_frozendict() -> None:
    try:
        import frozendict  # noqa: F401
    except AttributeError:
        if hasattr(collections, "Mapping"):
            raise  # not the missing alias: a different problem, reported as it is
        collections.Mapping = collections.abc.Mapping  # type: ignore[attr-defined]
        try:
            import frozendict  # noqa: F401, F811
        finally:
            del collections.Mapping  # type: ignore[attr-defined]


_import_frozendict()
