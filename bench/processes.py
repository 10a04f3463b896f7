"""Wall-clock timings of real processes: the installed console script, `evaluate`, import times."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ADVISOR = ROOT / ".venv" / "bin" / "advisor"
PYTHON = Path(sys.executable)


def user_env(**extra: str) -> dict[str, str]:
    """The environment a user's shell gives: Python writes bytecode as it imports (this
    machine's sessions set PYTHONDONTWRITEBYTECODE, which would make every run compile the
    project's modules from source)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "NO_COLOR": "1", **extra}


def children_cpu() -> float:
    """User + system CPU seconds of every finished child process so far (microseconds, not
    os.times' clock ticks)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wall_times(command: list[str], repeat: int, env: dict[str, str] | None = None,
               ok: tuple[int, ...] = (0,)) -> list[float]:
    """Run `command` `repeat` times (after one untimed warm-up run) and return each wall time."""
    env = env or user_env()
    subprocess.run(command, capture_output=True, env=env, cwd=ROOT, check=False)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - start)
        if result.returncode not in ok:
            raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr.decode()[-500:]}")
    return times


def timed(command: list[str], repeat: int, fresh_bytecode: bool = False, cwd: Path | None = None,
          env_extra: dict[str, str] | None = None) -> dict[str, float]:
    """Median wall time and median CPU time (user + system) of `command` over `repeat` runs
    after one warm-up. `fresh_bytecode`: each run gets an empty bytecode cache, so every module
    is compiled from source, as on an install that wrote no bytecode."""
    walls, cpus = [], []
    for index in range(repeat + 1):
        env = user_env(**(env_extra or {}))
        if fresh_bytecode:
            env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="advisor-bench-pyc-")
        before = children_cpu()
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, env=env, cwd=cwd or ROOT)
        wall = time.perf_counter() - start
        cpu = children_cpu() - before
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr.decode()[-500:]}")
        if index:  # the first run warms the disk cache
            walls.append(wall)
            cpus.append(cpu)
    return {"wall": median(walls), "cpu": median(cpus), "runs": len(walls)}


def median(values: list[float]) -> float:
    return statistics.median(values)


def evaluate_throughput(folder: Path, files: int, jobs: int, repeat: int) -> dict[str, float]:
    """`advisor evaluate FOLDER --format json --jobs N`: median wall time and scenarios per second."""
    command = [str(ADVISOR), "evaluate", str(folder), "--format", "json", "--jobs", str(jobs)]
    result = subprocess.run(command, capture_output=True, env=user_env(), cwd=ROOT, text=True)
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


def phase_times(scenario: Path, repeat: int, env: dict[str, str] | None = None, python: Path = PYTHON,
                cwd: Path = ROOT) -> dict[str, dict[str, float]]:
    """Median wall and CPU seconds of each phase of a one-scenario JSON consult, over fresh
    processes (bench/phases.py)."""
    samples: dict[str, dict[str, list[float]]] = {}
    for _ in range(repeat + 1):
        result = subprocess.run([str(python), str(ROOT / "bench" / "phases.py"), str(scenario)],
                                capture_output=True, text=True, env=env or user_env(), cwd=cwd)
        if result.returncode != 0:
            raise RuntimeError(f"phases.py failed: {result.stderr[-800:]}")
        for phase, times in json.loads(result.stdout).items():
            for kind, seconds in times.items():
                samples.setdefault(phase, {}).setdefault(kind, []).append(seconds)
    # the first run warms disk caches
    return {phase: {kind: median(values[1:]) for kind, values in kinds.items()} for phase, kinds in samples.items()}


def import_times(scenario: Path, top: int = 10) -> list[tuple[str, float]]:
    """`python -X importtime` of a one-scenario consult: seconds spent importing each top-level
    package's own modules (self times summed, so a package is not charged for what it imports)."""
    code = f"from advisor.cli.app import main; main(['consult', {str(scenario)!r}, '--format', 'json'])"
    per_package: dict[str, list[float]] = {}
    for _ in range(3):  # importtime is as noisy as the machine: keep each package's median
        result = subprocess.run([str(PYTHON), "-X", "importtime", "-c", code], capture_output=True,
                                text=True, env=user_env(), cwd=ROOT)
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


def paired(commands: dict[str, list[str]], repeat: int, cwd: Path | None = None,
           env_extra: dict[str, str] | None = None, ok: tuple[int, ...] = (0,),
           floors: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """Each command run `repeat` times, interleaved (a round runs every command once, so the
    machine's load at any moment falls on a command and its floor alike), after one untimed
    warm-up round. Per command: median wall and CPU seconds (user + system, the process and
    its children). `floors` names each measured command's floor among `commands` (default:
    the first command for all); then `ratio` and `cpu_ratio` are its medians over its floor's,
    and `paired_ratio` the median of the rounds' own wall-time ratios."""
    env = user_env(**(env_extra or {}))
    walls: dict[str, list[float]] = {label: [] for label in commands}
    cpus: dict[str, list[float]] = {label: [] for label in commands}
    for index in range(repeat + 1):
        for label, command in commands.items():
            before, start = children_cpu(), time.perf_counter()
            result = subprocess.run(command, capture_output=True, env=env, cwd=cwd or ROOT)
            wall, cpu = time.perf_counter() - start, children_cpu() - before
            if result.returncode not in ok:
                raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr.decode()[-500:]}")
            if index:  # the first round warms the disk cache and writes bytecode
                walls[label].append(wall)
                cpus[label].append(cpu)
    first = next(iter(commands))
    floors = floors if floors is not None else {label: first for label in commands if label != first}
    results: dict[str, dict[str, Any]] = {label: {"wall": median(walls[label]), "cpu": median(cpus[label]),
                                                  "runs": repeat} for label in commands}
    for label, floor in floors.items():
        results[label].update(
            floor=floor, ratio=median(walls[label]) / median(walls[floor]),
            cpu_ratio=median(cpus[label]) / median(cpus[floor]),
            paired_ratio=median([w / f for w, f in zip(walls[label], walls[floor], strict=True)]))
    return results
