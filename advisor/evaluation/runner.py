"""Evaluate scenario files: serially in-process, or chunked over a pool of forked workers.

Work is cheap per file (a few ms) and expensive per process (knowledge load + engine
compile), so: the parent builds the engine once before forking, workers inherit it
(or build it once in their initializer where fork is unavailable), only paths go out
and small result objects come back. Results are always returned sorted by path.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from advisor.collector import collector_paused
from advisor.engine import Advisor, get_advisor
from advisor.errors import AdvisorError
from advisor.evaluation.collect import Collection, sort_key
from advisor.evaluation.compare import check_expectations, count_checks
from advisor.evaluation.results import EvaluationRun, ScenarioResult
from advisor.scenarios import load_scenario

if TYPE_CHECKING:
    import multiprocessing.context

# Below this many files a pool costs more than it saves.
PARALLEL_FROM = 24
# Several chunks per worker keep both cores busy to the end; a cap keeps progress moving.
CHUNKS_PER_WORKER = 4
MAX_CHUNK = 64

OnResult = Callable[[ScenarioResult], None]


def default_jobs() -> int:
    return os.cpu_count() or 1


def evaluate_file(path: str, advisor: Advisor) -> ScenarioResult:
    """Load, consult and compare one scenario; any problem becomes an error result, never an exception."""
    try:
        scenario = load_scenario(path, advisor.knowledge)
    except AdvisorError as exc:
        return _error(path, None, exc.render())
    except Exception as exc:  # a bug must cost one result, not the batch
        return _error(path, None, f"{path}: internal error while loading: {type(exc).__name__}: {exc}")
    try:
        consultation = advisor.consult(scenario.facts)
        mismatches = check_expectations(scenario.expect, consultation, advisor.knowledge)
    except Exception as exc:
        return _error(path, scenario.name, f"{path}: internal error while consulting: {type(exc).__name__}: {exc}")
    return ScenarioResult(
        file=path, name=scenario.name, status="failed" if mismatches else "passed",
        checks=count_checks(scenario.expect), mismatches=mismatches,
        fired=tuple(sorted(consultation.fired_ids())))


def run(collection: Collection, jobs: int | None = None, on_result: OnResult | None = None) -> EvaluationRun:
    """Evaluate every collected file; unusable paths are reported as error results."""
    jobs = jobs or default_jobs()
    results = [_error(path, None, f"{path}: {message}" if path else message)
               for path, message in collection.problems.items()]
    for result in _evaluate_all(collection.files, jobs):
        if on_result is not None:
            on_result(result)
        results.append(result)
    results.sort(key=lambda r: sort_key(r.file))
    return EvaluationRun(tuple(results))


def _evaluate_all(files: list[str], jobs: int) -> Iterator[ScenarioResult]:
    advisor = get_advisor()  # before any fork: workers inherit the compiled engine
    if jobs <= 1 or len(files) < PARALLEL_FROM:
        return _serially(files, advisor)
    return _in_pool(files, min(jobs, len(files)))


def _serially(files: list[str], advisor: Advisor) -> Iterator[ScenarioResult]:
    """Each file in turn, the cyclic garbage collector paused meanwhile (as a consultation
    pauses it): evaluating a file, passed, failed or refused, leaves no garbage in a reference
    cycle (tests/test_evaluation_cycles.py checks), so the collector's passes could only walk
    the growing results and find nothing. At the default thresholds (a program calling this
    package) 300 files cost 303 collections, ~36 ms, and now 39; the console script raises the
    first threshold itself (advisor/__main__.py), and a 300-file run collects nothing either way."""
    with collector_paused():
        for path in files:
            yield evaluate_file(path, advisor)


def _in_pool(files: list[str], workers: int) -> Iterator[ScenarioResult]:
    # Imported here: a serial run (--jobs 1, or a small batch) never starts a pool, and the
    # two packages cost every evaluate ~10-15 ms to import (pickle, sockets, queues...).
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(1, min(MAX_CHUNK, math.ceil(len(files) / (workers * CHUNKS_PER_WORKER))))
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_init_worker)
    try:
        yield from executor.map(_evaluate_in_worker, files, chunksize=chunk)
    except BrokenProcessPool:
        raise AdvisorError("a worker process stopped unexpectedly; run again with --jobs 1") from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])


def _init_worker() -> None:
    get_advisor()  # inherited after fork (free); built once per worker otherwise


def _evaluate_in_worker(path: str) -> ScenarioResult:
    with collector_paused():  # as _serially, one file at a time
        return evaluate_file(path, get_advisor())


def _error(path: str, name: str | None, message: str) -> ScenarioResult:
    return ScenarioResult(file=path, name=name, status="error", error=" ".join(message.split()))
