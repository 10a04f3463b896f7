"""Wall-clock timings of real processes: the installed console script, `evaluate`, import times."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADVISOR = ROOT / ".venv" / "bin" / "advisor"
PYTHON = Path(sys.executable)


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", **extra}


def wall_times(command: list[str], repeat: int, env: dict[str, str] | None = None,
               ok: tuple[int, ...] = (0,)) -> list[float]:
    """Run `command` `repeat` times (after one untimed warm-up run) and return each wall time."""
    env = env or _env()
    subprocess.run(command, capture_output=True, env=env, cwd=ROOT, check=False)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - start)
        if result.returncode not in ok:
            raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr.decode()[-500:]}")
    return times


def timed(command: list[str], repeat: int, fresh_bytecode: bool = False) -> dict[str, float]:
    """Median wall time and median CPU time (user + system) of `command` over `repeat` runs
    after one warm-up. `fresh_bytecode`: each run gets an empty bytecode cache, so every module
    is compiled from source, as on an install that wrote no bytecode."""
    walls, cpus = [], []
    for index in range(repeat + 1):
        env = _env()
        if fresh_bytecode:
            env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="advisor-bench-pyc-")
        before = os.times()
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, env=env, cwd=ROOT)
        wall = time.perf_counter() - start
        after = os.times()
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr.decode()[-500:]}")
        if index:  # the first run warms the disk cache
            walls.append(wall)
            cpus.append(after.children_user - before.children_user + after.children_system - before.children_system)
    return {"wall": median(walls), "cpu": median(cpus)}


def median(values: list[float]) -> float:
    return statistics.median(values)


def evaluate_throughput(folder: Path, files: int, jobs: int, repeat: int) -> dict[str, float]:
    """`advisor evaluate FOLDER --format json --jobs N`: median wall time and scenarios per second."""
    command = [str(ADVISOR), "evaluate", str(folder), "--format", "json", "--jobs", str(jobs)]
    result = subprocess.run(command, capture_output=True, env=_env(), cwd=ROOT, text=True)
    if result.returncode not in (0, 1):  # 1: some scenarios failed, still a full run
        raise RuntimeError(f"evaluate exited {result.returncode}: {result.stderr[-500:]}")
    report = json.loads(result.stdout)
    times = wall_times(command, repeat, ok=(0, 1))
    wall = median(times)
    return {"jobs": jobs, "files": files, "wall": wall, "per_second": files / wall,
            "passed": _passed(report), "checked": len(report.get("results", report.get("scenarios", [])))}


def _passed(report: dict) -> int | None:
    summary = report.get("summary") or {}
    return summary.get("passed")


def phase_times(scenario: Path, repeat: int, env: dict[str, str] | None = None) -> dict[str, float]:
    """Median seconds of each cold-start phase of a one-scenario consult, over fresh processes."""
    samples: dict[str, list[float]] = {}
    for _ in range(repeat + 1):
        result = subprocess.run([str(PYTHON), str(ROOT / "bench" / "phases.py"), str(scenario)],
                                capture_output=True, text=True, env=env or _env(), cwd=ROOT)
        if result.returncode != 0:
            raise RuntimeError(f"phases.py failed: {result.stderr[-800:]}")
        for phase, seconds in json.loads(result.stdout).items():
            samples.setdefault(phase, []).append(seconds)
    return {phase: median(values[1:]) for phase, values in samples.items()}  # first run warms disk caches


def import_times(scenario: Path, top: int = 10) -> list[tuple[str, float]]:
    """`python -X importtime` of a one-scenario consult: seconds spent importing each top-level
    package's own modules (self times summed, so a package is not charged for what it imports)."""
    code = f"from advisor.cli.app import main; main(['consult', {str(scenario)!r}, '--format', 'json'])"
    per_package: dict[str, list[float]] = {}
    for _ in range(3):  # importtime is as noisy as the machine: keep each package's median
        result = subprocess.run([str(PYTHON), "-X", "importtime", "-c", code], capture_output=True,
                                text=True, env=_env(), cwd=ROOT)
        run: dict[str, float] = {}
        for line in result.stderr.splitlines():
            if not line.startswith("import time:") or "cumulative" in line:
                continue
            self_us, _cumulative_us, name = line[len("import time:"):].split("|")
            package = name.strip().split(".")[0]
            run[package] = run.get(package, 0.0) + int(self_us) / 1e6
        for package, seconds in run.items():
            per_package.setdefault(package, []).append(seconds)
    medians = {package: median(values) for package, values in per_package.items()}
    return sorted(medians.items(), key=lambda kv: -kv[1])[:top]
