"""The cyclic garbage collector paused over work that makes many objects and no reference cycle.

Decoding the knowledge, building the engine, a consultation, a planner step: each makes
thousands of small objects, none of them garbage in a cycle (tests/test_engine.py and
tests/test_evaluation_cycles.py check), so the collector's passes over them could only find
nothing. One context manager for every such place; a collector already paused stays paused.
"""

from __future__ import annotations

import gc
from types import TracebackType


class collector_paused:  # noqa: N801 - used as a function: `with collector_paused():`
    """Pause the collector for the `with` block; enable it again after only if it was on."""

    __slots__ = ("_was_on",)

    def __enter__(self) -> None:
        self._was_on = gc.isenabled()
        gc.disable()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._was_on:
            gc.enable()
