"""The advisor's benchmark: engine latency against bare experta, batch throughput and cold start.

    uv run python bench/run.py [--n N] [--rounds R] [--repeat K] [--seed S] [--markdown]

Prints medians and ratios (the machine is small and noisy: read ratios, not absolutes).
A script, not a test: nothing here asserts. See docs/benchmark.md for the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import engines  # noqa: E402
import generate  # noqa: E402
import processes  # noqa: E402
import table  # noqa: E402

from advisor.engine import Advisor  # noqa: E402
from advisor.knowledge import load_knowledge  # noqa: E402
from advisor.paths import RULES_DIR_ENV, rules_dir  # noqa: E402

SCENARIO_FILE = processes.ROOT / "scenarios" / "image-classifier.yaml"
TARGETS = {"overhead": 1.5, "evaluate_1000": 5.0, "version": 0.050, "consult": 0.250}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="random scenarios (and files for evaluate)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the scenarios per engine (best kept)")
    parser.add_argument("--repeat", type=int, default=15, help="runs of each cold-start command")
    parser.add_argument("--seed", type=int, default=100)
    parser.add_argument("--markdown", action="store_true", help="print the tables in Markdown")
    parser.add_argument("--parts", nargs="+", choices=("engine", "evaluate", "cold"),
                        default=["engine", "evaluate", "cold"], help="which measurements to run")
    parser.add_argument("--rules-dir", type=Path, default=rules_dir(), help="the rule base to measure")
    args = parser.parse_args(argv)
    render = table.markdown if args.markdown else table.plain

    with tempfile.TemporaryDirectory(prefix="advisor-bench-rules-") as folder:
        snapshot = Path(folder) / "rules"
        shutil.copytree(args.rules_dir, snapshot)
        # Every process measures the same rules, even if rules/ is edited while the benchmark runs.
        os.environ[RULES_DIR_ENV] = str(snapshot)
        print(benchmark(args, render))


def benchmark(args: argparse.Namespace, render) -> str:
    start_load = os.getloadavg()[0]
    knowledge = load_knowledge()
    generated = generate.random_scenarios(knowledge, args.n, args.seed)
    cores = os.cpu_count() or 1
    mean_facts = sum(map(len, generated)) / len(generated)
    log(f"{len(knowledge.rules)} rules, {args.n} scenarios ({mean_facts:.1f} facts each on average), {cores} cores")
    rows: list[table.Row] = []
    if "engine" in args.parts:
        rows += engine_rows(knowledge, generated, args.rounds)
    if "evaluate" in args.parts:
        rows += evaluate_rows(knowledge, generated, cores)
    phases: list[table.Row] = []
    imports: list[table.Row] = []
    if "cold" in args.parts:
        python_start = processes.median(processes.wall_times([str(processes.PYTHON), "-c", "pass"], args.repeat))
        rows += cold_start_rows(python_start, args.repeat)
        phases, imports = breakdown(python_start, args.repeat)

    title = (f"advisor benchmark, {table.machine()}, {len(knowledge.rules)} rules, n={args.n} random scenarios "
             f"({mean_facts:.1f} of {len(knowledge.vocabulary.input_facts)} input facts each on average), "
             f"seed={args.seed}, {table.load(start_load)}")
    return "\n".join([
        render(title, ("measure", "figure", "target / note"), rows),
    ] + ([
        render("cold start of `advisor consult FILE --format json` by phase (median of fresh processes)",
               ("phase", "wall", "CPU", "share of CPU"), phases),
        render("python -X importtime, consult FILE --format json: import time spent in each package's own modules",
               ("package", "self time"), imports),
    ] if phases else []))


def engine_rows(knowledge, generated: list[dict], rounds: int) -> list[table.Row]:
    log("engine latency ...")
    latency = engines.measure(knowledge, generated, rounds)
    product = latency["product"]
    rows = []
    for name in ("product", "bare linear", "bare stock"):
        lat = latency[name]
        ratio = "" if name == "product" else (
            f"product ÷ this: {product.median / lat.median:.2f}x median, {product.p95 / lat.p95:.2f}x p95")
        rows.append((f"engine, {name}", f"{table.us(lat.median)} median, {table.us(lat.p95)} p95", ratio))
    overhead = product.median / latency["bare linear"].median
    rows.append(("overhead over the linear floor (target ≤ 1.5x)", f"{overhead:.2f}x",
                 table.verdict(overhead, TARGETS["overhead"])))
    return rows


def evaluate_rows(knowledge, generated: list[dict], cores: int) -> list[table.Row]:
    log("evaluate throughput ...")
    n = len(generated)
    rows = []
    with tempfile.TemporaryDirectory(prefix="advisor-bench-") as folder:
        random_files, library_files = Path(folder) / "random", Path(folder) / "library"
        generate.write_scenario_files(generated, Advisor(knowledge), random_files)
        generate.copy_library(processes.ROOT / "scenarios", n, library_files)
        for label, files in (("random files", random_files), ("files copied from scenarios/", library_files)):
            for jobs in dict.fromkeys((1, cores)):
                run = processes.evaluate_throughput(files, n, jobs, repeat=3)
                note = f"{run['passed']} of {n} passed"
                if n == 1000 and jobs == cores:
                    note += f"; target < 5 s: {table.verdict(run['wall'], TARGETS['evaluate_1000'])}"
                rows.append((f"advisor evaluate, {n} {label}, --jobs {jobs}",
                             f"{run['wall']:.2f} s wall, {run['per_second']:,.0f} scenarios/s", note))
    return rows


def cold_start_rows(python_start: float, repeat: int) -> list[table.Row]:
    """Wall time (median) and the process's own CPU time (median; what the machine's other
    load does not inflate), warm and with no bytecode (what an install that compiles none pays
    on its first run: every run gets an empty PYTHONPYCACHEPREFIX)."""
    log("cold start ...")
    python = str(processes.PYTHON)
    consult = [str(processes.ADVISOR), "consult", str(SCENARIO_FILE), "--format", "json"]
    direct = [python, "-c", "import json, sys; from advisor.knowledge import load_knowledge; "
              "from advisor.engine import get_advisor; from advisor.scenarios import load_scenario; "
              "from advisor.presentation.consultation.data import build_report; "
              "k = load_knowledge(); s = load_scenario(sys.argv[1], k); "
              "r = build_report(get_advisor().consult(s.facts), k, {'name': s.name}); "
              "json.dump(r.to_dict(), sys.stdout, default=str)",
              str(SCENARIO_FILE)]
    measures = [
        ("python -c pass (interpreter floor)", [python, "-c", "pass"], None),
        ("advisor --version (target < 50 ms)", [str(processes.ADVISOR), "--version"], TARGETS["version"]),
        ("advisor consult FILE --format json (target < 250 ms)", consult, TARGETS["consult"]),
        ("the same consult through the API, no CLI layer", direct, None),
        ("import the CLI and build the app (every command)", [python, "-c",
                                                             "from advisor.cli.app import build_app; "
                                                             "build_app().all_commands()"], None),
        ("python -c 'import pydantic'", [python, "-c", "import pydantic"], None),
    ]
    rows = []
    for label, command, target in measures:
        warm = processes.timed(command, repeat)
        cold = processes.timed(command, max(3, repeat // 3), fresh_bytecode=True)
        verdict = "" if target is None else f"; {table.verdict(warm['wall'], target)} warm, " \
            f"{table.verdict(cold['wall'], target)} with no bytecode"
        rows.append((label, f"{table.ms(warm['wall'])} wall, {table.ms(warm['cpu'])} CPU",
                     f"no bytecode: {table.ms(cold['wall'])} wall, {table.ms(cold['cpu'])} CPU{verdict}"))
    uncached = processes.median(processes.wall_times(
        consult, max(3, repeat // 3), env=processes.user_env(ADVISOR_NO_CACHE="1")))
    rows.append(("advisor consult FILE --format json, ADVISOR_NO_CACHE=1", table.ms(uncached),
                 "knowledge validated from YAML"))
    return rows


def breakdown(python_start: float, repeat: int) -> tuple[list[table.Row], list[table.Row]]:
    log("cold-start breakdown ...")
    phases = processes.phase_times(SCENARIO_FILE, max(3, repeat // 3))
    phase_rows = [("interpreter start (python -c pass)", table.ms(python_start), "", "not in the total")]
    phase_rows += table.phase_rows(phases)
    imports = [(package, table.ms(seconds)) for package, seconds in processes.import_times(SCENARIO_FILE)]
    return phase_rows, imports


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
