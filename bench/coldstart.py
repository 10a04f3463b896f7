"""Cold start of the installed command, from a fresh install made the README's way.

    uv run python bench/coldstart.py [--repeat 21] [--markdown] [--keep]

A clean clone of this checkout's HEAD goes to a temporary folder and is installed there as the
README's quick start does: a virtual environment, then `uv sync --no-dev --compile-bytecode`
(the README puts uv in the environment with `pip install uv` first; the uv already on PATH is
the same tool and saves the download). Then, in fresh processes, with the environment a user's
shell gives (bytecode written as modules are imported) and a knowledge cache of its own:

- the first `advisor consult FILE --format json` (it compiles the project's own modules,
  which an editable install leaves to the first run, and writes the knowledge cache);
- `--repeat` rounds after one untimed warm-up round, each round running every command once
  (processes.paired), so the machine's load at any moment falls on a command and its floor
  alike: `advisor --version` against `python -c pass`, `advisor consult FILE --format json`
  against `python -c "import yaml, experta"` (the two libraries the advice needs). Medians of
  wall time and of the process's own CPU time (user + system, from getrusage), and the ratio
  of the medians (targets: 1.5x and 2x);
- the phases of the same consult (bench/phases.py), medians over a third as many processes.

A script, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import processes  # noqa: E402
import table  # noqa: E402

SCENARIO = "scenarios/image-classifier.yaml"
# Each command against its floor, paired round by round in one run (issue 26).
TARGETS = {"advisor --version": 1.5, "advisor consult FILE --format json": 2.0}


def install(folder: Path) -> Path:
    """A fresh clone of HEAD in `folder`, installed as the README says; returns its root."""
    root = folder / "advisor"
    subprocess.run(["git", "clone", "--quiet", str(processes.ROOT), str(root)], check=True)
    env = processes.user_env()
    env.pop("VIRTUAL_ENV", None)
    subprocess.run([sys.executable, "-m", "venv", str(root / ".venv")], check=True)
    subprocess.run(["uv", "sync", "--no-dev", "--compile-bytecode", "--quiet"], cwd=root, env=env, check=True)
    return root


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21, help="timed runs of each command")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--keep", action="store_true", help="leave the install in its temporary folder")
    args = parser.parse_args(argv)
    render = table.markdown if args.markdown else table.plain
    if shutil.which("uv") is None:
        sys.exit("coldstart: uv is not on PATH (pip install uv)")
    folder = Path(tempfile.mkdtemp(prefix="advisor-coldstart-"))
    try:
        print(benchmark(install(folder), folder, args, render))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def benchmark(root: Path, folder: Path, args: argparse.Namespace, render) -> str:
    start_load = os.getloadavg()[0]
    # The user's default cache folder, found through platformdirs as a user's run finds it (its
    # import is part of what a user waits for), moved by XDG_CACHE_HOME into this run's own folder
    # so no other checkout's runs replace it; ADVISOR_CACHE_DIR would skip platformdirs.
    os.environ.pop("ADVISOR_CACHE_DIR", None)
    cache = {"XDG_CACHE_HOME": str(folder / "xdg-cache")}
    advisor, python = str(root / ".venv" / "bin" / "advisor"), str(root / ".venv" / "bin" / "python")
    consult = [advisor, "consult", SCENARIO, "--format", "json"]
    before, clock = processes.children_cpu(), time.perf_counter()
    subprocess.run(consult, capture_output=True, cwd=root, env=processes.user_env(**cache), check=True)
    first = (time.perf_counter() - clock, processes.children_cpu() - before)
    rows = [("first consult after install (compiles the project's modules, writes the knowledge cache)",
             f"{table.ms(first[0])} wall, {table.ms(first[1])} CPU", "once")]
    log(f"paired rounds: {args.repeat}")
    paired = processes.paired({
        "python -c pass": [python, "-c", "pass"],
        "advisor --version": [advisor, "--version"],
        "python -c 'import yaml, experta'": [python, "-c", "import yaml, experta"],
        "advisor consult FILE --format json": consult,
    }, args.repeat, cwd=root, env_extra=cache, floors={
        "advisor --version": "python -c pass",
        "advisor consult FILE --format json": "python -c 'import yaml, experta'"})
    for label, run in paired.items():
        note = f"median of {run['runs']}"
        if "floor" in run:
            target = TARGETS[label]
            note += (f"; {run['ratio']:.2f}x {run['floor']} (target ≤ {target:g}x: "
                     f"{'met' if run['ratio'] <= target else 'NOT met'}); CPU {run['cpu_ratio']:.2f}x; "
                     f"per-round ratio, median {run['paired_ratio']:.2f}x")
        rows.append((label, f"{table.ms(run['wall'])} wall, {table.ms(run['cpu'])} CPU", note))
    log("phases")
    phases = processes.phase_times(root / SCENARIO, max(5, args.repeat // 3), env=processes.user_env(**cache),
                                   python=Path(python), cwd=root)
    title = (f"cold start from a fresh install (uv sync --no-dev --compile-bytecode), {table.machine()}, "
             f"{SCENARIO}, {table.load(start_load)}")
    return "\n".join([
        render(title, ("measure", "median", "note"), rows),
        render(f"the same consult by phase (median of {max(5, args.repeat // 3)} fresh processes)",
               ("phase", "wall", "CPU", "share of CPU"), table.phase_rows(phases)),
    ])


def log(message: str) -> None:
    print(f"[coldstart] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
