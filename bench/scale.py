"""How the engine scales with the rule base: synthetic bases of 150 to 3,000 rules, side by side
with bare experta, CLIPS (clipspy) and plain Python on the same rules.

    uv run --group bench python bench/scale.py [--sizes 150 500 1000 3000] [--n 30] [--rounds 3] [--markdown]

Per size: a seeded synthetic base (bench/synthetic.py) is loaded and validated like any rule
folder; the advisor's engine is built; an empty scenario is consulted (the questionnaire's
first step); then `--n` random scenarios of about 35 facts (whatever the vocabulary's size)
run on every engine, and the tables show the median over scenarios of each scenario's best of
`--rounds` passes (noise only ever adds time). Times are thread CPU time (`time.thread_time`),
not wall time: the machine is shared, and another process's load must not count against us.
Growth exponents are least-squares slopes of log(time) over log(rules).

Each engine is timed in a process of its own (this script again, `--worker`), on the same
seeded rule base and scenarios, so no engine runs beside another's objects: in one shared
process the Python engines' objects are scattered among the others' (bare experta's Rete network
is ~100,000 objects at 3,000 rules), and the advisor lost ~2 ms at 3,000 rules to that alone.
Every engine is timed under two conditions, because they give very different answers (a C engine
gains far more from warm caches than Python engines do):
- cold: the CPU caches are flushed (a 64 MiB buffer is read) before every timed run: a single
  consultation in a process that did something else in between, as the CLI and the
  questionnaire run it;
- warm: the scenarios back to back: a batch (`advisor evaluate`) or a service answering one
  request after another.
In both, the engine's structures (built before timing) are frozen out of the garbage
collector's walks (`gc.freeze`); garbage made while running is collected as usual. The advisor
pauses the collector while it consults; the collection it leaves for later is timed with it.

Columns: the advisor (the whole consultation: trace, conflicts, certainty, open decisions);
the experta floor (the same compiled rules on experta's run loop with the advisor's matcher and
agenda, and an RHS that only declares the first value of each name: no trace, no report, the
least an advisor on experta can cost); bare experta (experta's stock Rete matcher and strategy);
CLIPS; plain Python (each compiled condition evaluated once, in agenda order: no engine).

A script, not a test: nothing here asserts. Each size also checks that the comparison engines
fire the same rules as the plain evaluation (they run the same translation).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import floors  # noqa: E402
import generate  # noqa: E402
import synthetic  # noqa: E402
import table  # noqa: E402

from advisor.engine import Advisor  # noqa: E402
from advisor.knowledge.base import build_knowledge  # noqa: E402

ENGINES = ("advisor", "experta floor", "bare experta", "CLIPS", "plain Python")
FACTS_PER_SCENARIO = 35  # issue 15's scenarios: each input fact given with probability 35 / inputs


def cpu(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.thread_time()
    result = action()
    return time.thread_time() - start, result


class CacheFlush:
    """Evicts the CPU caches: reads one byte per cache line of a buffer twice the size of the
    last-level cache (32 MiB here). The buffer is written first, so its pages are real memory."""

    def __init__(self, size: int = 64 * 1024 * 1024) -> None:
        self.buffer = bytearray(b"\x01") * size

    def __call__(self) -> int:
        return len(self.buffer[::64])  # the copy reads every line: that is its use


def per_scenario(run: Callable[[dict], Any], scenarios: list[dict], rounds: int, flush: CacheFlush | None) -> float:
    """Median over scenarios of one engine's best time over `rounds` passes: cold (`flush`
    given: the caches flushed before every run) or warm (the scenarios back to back)."""
    best = [math.inf] * len(scenarios)
    for _ in range(rounds):
        for index, facts in enumerate(scenarios):
            if flush is not None:
                flush()
            elapsed, _ = cpu(lambda: run(facts))  # noqa: B023
            best[index] = min(best[index], elapsed)
    return statistics.median(best)


def knowledge_and_scenarios(n: int, seed: int, scenarios_n: int) -> tuple[float, Any, list[dict]]:
    """The size's synthetic base (and its load time) and its random scenarios: the same in
    every process, being seeded."""
    sources = synthetic.synthetic_sources(n, seed)
    load, knowledge = cpu(lambda: build_knowledge(sources))
    rng = random.Random(seed + n)
    share = min(1.0, FACTS_PER_SCENARIO / len(knowledge.vocabulary.input_facts))
    return load, knowledge, [generate.random_facts(knowledge, rng, share) for _ in range(scenarios_n)]


def engine_runner(engine: str, knowledge: Any) -> tuple[Callable[[dict], Any], Callable[[], None]]:
    """One engine's run on a scenario, and what frees it."""
    if engine == "advisor":
        advisor = Advisor(knowledge)

        def consult(facts: dict) -> Any:
            result = advisor.consult(facts)
            gc.collect(0)  # consult() pauses the collector: the collection it leaves is its cost too
            return result
        return consult, lambda: None
    if engine == "experta floor":
        return floors.BareExperta(knowledge, linear=True).run, lambda: None
    if engine == "bare experta":
        return floors.BareExperta(knowledge).run, lambda: None
    if engine == "CLIPS":
        clips = floors.Clips(knowledge)
        return clips.run, clips.close
    return floors.PlainPython(knowledge).run, lambda: None


def time_engine(engine: str, n: int, seed: int, scenarios_n: int, rounds: int) -> dict[str, float]:
    """In a process of its own: one engine on one size, cold then warm. Its structures (built
    before timing) are frozen out of the garbage collector's walks; garbage made while running
    is collected as usual."""
    _, knowledge, scenarios = knowledge_and_scenarios(n, seed, scenarios_n)
    run, close = engine_runner(engine, knowledge)
    for facts in scenarios[:3]:  # warm up: first runs fill the engine's own caches
        run(facts)
    gc.collect()
    gc.freeze()
    try:
        times = {"cold": per_scenario(run, scenarios, rounds, CacheFlush()),
                 "warm": per_scenario(run, scenarios, rounds, None)}
    finally:
        gc.unfreeze()
        close()
    return times


def timed_in_own_process(engine: str, n: int, args: argparse.Namespace) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="advisor-scale-") as folder:
        out = Path(folder) / "times.json"
        subprocess.run([sys.executable, __file__, "--worker", engine, "--sizes", str(n), "--seed", str(args.seed),
                        "--n", str(args.n), "--rounds", str(args.rounds), "--out", str(out)], check=True)
        return json.loads(out.read_text(encoding="utf-8"))


def measure_size(n: int, args: argparse.Namespace) -> dict[str, Any]:
    load, knowledge, scenarios = knowledge_and_scenarios(n, args.seed, args.n)
    builds = [cpu(lambda: Advisor(knowledge)) for _ in range(3)]
    build = statistics.median(t for t, _ in builds)
    advisor = builds[-1][1]
    empty = statistics.median(cpu(lambda: advisor.consult({}))[0] for _ in range(5))
    open_decisions = len(advisor.consult({}).open_decisions)
    clips_build, clips = cpu(lambda: floors.Clips(knowledge))
    clips.close()
    firings = statistics.median(len(advisor.consult(facts).fired) for facts in scenarios)
    agree = floors.same_firings(knowledge, scenarios[:5] + [{}])
    times = {engine: timed_in_own_process(engine, n, args) for engine in ENGINES}
    latency = {engine: t["cold"] for engine, t in times.items()}
    warm = {engine: t["warm"] for engine, t in times.items()}
    log(f"{n} rules: advisor {table.ms(latency['advisor'])} cold, {table.ms(warm['advisor'])} warm; "
        f"CLIPS {table.ms(latency['CLIPS'])} cold, {table.ms(warm['CLIPS'])} warm")
    return {"rules": n, "load": load, "build": build, "empty": empty, "open": open_decisions,
            "clips_build": clips_build, "latency": latency, "warm": warm, "firings": firings, "agree": agree,
            "facts": statistics.mean(len(s) for s in scenarios)}


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log(y) over log(x): the growth exponent (NaN from one size alone)."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = statistics.mean(lx), statistics.mean(ly)
    spread = sum((a - mx) ** 2 for a in lx)
    if spread == 0:
        return math.nan
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / spread


def render(results: list[dict[str, Any]], args: argparse.Namespace, markdown: bool, start_load: float) -> str:
    out = table.markdown if markdown else table.plain
    sizes = [r["rules"] for r in results]
    facts = statistics.mean(r["facts"] for r in results)
    latency_tables = []
    for key, condition in (("latency", "cold: CPU caches flushed before every run"),
                           ("warm", "warm: each engine through the scenarios back to back")):
        rows = []
        for r in results:
            lat = r[key]
            rows.append((f"{r['rules']:,}", table.ms(lat["advisor"]), table.ms(lat["experta floor"]),
                         table.ms(lat["bare experta"]), table.ms(lat["CLIPS"]), table.ms(lat["plain Python"]),
                         f"{lat['advisor'] / lat['CLIPS']:.1f}x", f"{lat['experta floor'] / lat['CLIPS']:.1f}x",
                         f"{r['firings']:.0f}", "yes" if r["agree"] else "NO"))
        rows.append(("growth exponent",) + tuple(
            f"rules^{slope(sizes, [r[key][e] for r in results]):.2f}" for e in ENGINES) + ("", "", "", ""))
        title = (f"per scenario (~{facts:.0f} facts), {condition}; median of {args.n} random scenarios, "
                 f"best of {args.rounds} passes each, thread CPU time")
        latency_tables.append(out(title, ("rules", "advisor", "experta floor", "bare experta", "CLIPS (clipspy)",
                                          "plain Python", "advisor ÷ CLIPS", "floor ÷ CLIPS", "firings",
                                          "same firings"), rows))
    rows = []
    for r in results:
        total = r["build"] + r["empty"]
        rows.append((f"{r['rules']:,}", table.ms(r["load"]), table.ms(r["build"]), table.ms(r["clips_build"]),
                     table.ms(r["empty"]), str(r["open"]), table.ms(total),
                     f"{table.verdict(total, 5.0)} / {table.verdict(r['empty'], 0.050)}"))
    rows.append(("growth exponent", f"rules^{slope(sizes, [r['load'] for r in results]):.2f}",
                 f"rules^{slope(sizes, [r['build'] for r in results]):.2f}",
                 f"rules^{slope(sizes, [r['clips_build'] for r in results]):.2f}",
                 f"rules^{slope(sizes, [r['empty'] for r in results]):.2f}", "", "", ""))
    build_table = out("engine build and the empty-scenario consult (the questionnaire's first step), thread CPU time",
                      ("rules", "load + validate YAML", "advisor engine build", "CLIPS build",
                       "empty consult", "open decisions", "build + empty consult",
                       "target < 5 s / consult < 50 ms"), rows)
    head = f"advisor scale benchmark, {table.machine()}, seed {args.seed}, {table.load(start_load)}"
    return "\n".join([head, "", *latency_tables, build_table])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[150, 500, 1000, 3000])
    parser.add_argument("--n", type=int, default=30, help="random scenarios per size")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the scenarios (best kept)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)  # one engine, one size
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # CLIPS reports its memory on standard output (C level) when an environment is freed,
    # at any time up to exit: send that to stderr, so stdout holds only the tables.
    sys.stdout.flush()
    tables = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    if args.worker:
        times = time_engine(args.worker, args.sizes[0], args.seed, args.n, args.rounds)
        args.out.write_text(json.dumps(times), encoding="utf-8")
        return
    start_load = os.getloadavg()[0]
    results = [measure_size(n, args) for n in args.sizes]
    with tables:
        print(render(results, args, args.markdown, start_load), file=tables)


def log(message: str) -> None:
    print(f"[scale] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
