"""Per-scenario latency of the product engine and of bare experta floors (floors.BareExperta) on
the same rules."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from floors import BareExperta  # bench/ is on sys.path: these are scripts, not a package

from advisor.engine import Advisor
from advisor.knowledge import KnowledgeBase


@dataclass
class Latencies:
    name: str
    seconds: list[float]  # one per scenario: the best of the rounds

    def quantile(self, q: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def median(self) -> float:
        return self.quantile(0.5)

    @property
    def p95(self) -> float:
        return self.quantile(0.95)


def measure(knowledge: KnowledgeBase, scenarios: list[dict[str, Any]], rounds: int) -> dict[str, Latencies]:
    """Time every engine on every scenario (thread CPU time), interleaved so machine noise hits them alike.

    Each scenario keeps its best time over `rounds` passes (noise only ever adds time)."""
    advisor = Advisor(knowledge)
    runners: dict[str, Callable[[dict[str, Any]], Any]] = {
        "product": advisor.consult,
        "bare linear": BareExperta(knowledge, linear=True).run,
        "bare stock": BareExperta(knowledge, linear=False).run,
    }
    for run in runners.values():  # warm up: first runs build experta's caches
        for facts in scenarios[:20]:
            run(facts)
    best = {name: [float("inf")] * len(scenarios) for name in runners}
    names = list(runners)
    gc.collect()
    for round_index in range(rounds):
        for index, facts in enumerate(scenarios):
            shift = (index + round_index) % len(names)  # rotate who goes first
            for name in names[shift:] + names[:shift]:
                start = time.thread_time()
                runners[name](facts)
                elapsed = time.thread_time() - start
                if elapsed < best[name][index]:
                    best[name][index] = elapsed
    return {name: Latencies(name, times) for name, times in best.items()}
