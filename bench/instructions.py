"""The batch commands and the cold consult against their floors, in instructions executed.

    uv run python bench/instructions.py [--review-files 575] [--scenarios 100] [--baseline CHECKOUT]

Wall and CPU time on this shared 2-core machine move by a third from one run to the next with
the other jobs' load (the cores' caches and hyper-threads are shared), which is the size of
most changes worth measuring. The number of instructions a process executes does not move:
each command and its floor run once under valgrind's callgrind (`valgrind` on PATH), and the
ratio of the counts is the same on a busy machine as on an idle one. It is not a time: an
instruction in libyaml's C and one in Python's eval loop differ in cost, so the ratios are read
beside bench/batch.py's and bench/coldstart.py's timed ones, and a change that lowers the count
is measured there too. `--baseline` names another checkout (its .venv's advisor) whose counts
are taken on the same files: before and after, exactly. The files are bench/batch.py's.
A script, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import batch  # noqa: E402
import processes  # noqa: E402
import table  # noqa: E402

SCENARIO = processes.ROOT / "scenarios" / "image-classifier.yaml"


def instructions(command: list[str], env: dict[str, str]) -> int:
    """Instructions the command's process executed (callgrind's `Collected`)."""
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
                            capture_output=True, text=True, env=env, cwd=processes.ROOT)
    if result.returncode not in (0, 1):  # 1: findings, or failed expectations
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr[-500:]}")
    counts = [line.split()[-1] for line in result.stderr.splitlines() if "Collected" in line]
    if not counts:
        raise RuntimeError(f"no instruction count from callgrind for {' '.join(command)}")
    return int(counts[-1].replace(",", ""))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review-files", type=int, default=575)
    parser.add_argument("--scenarios", type=int, default=100, help="callgrind runs ~50x slower than the CPU")
    parser.add_argument("--seed", type=int, default=100)
    parser.add_argument("--baseline", type=Path, help="another checkout, counted on the same files")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        sys.exit("instructions: valgrind is not on PATH")
    render = table.markdown if args.markdown else table.plain
    with tempfile.TemporaryDirectory(prefix="advisor-bench-instructions-") as folder:
        print(benchmark(Path(folder), args, render))


def benchmark(folder: Path, args: argparse.Namespace, render) -> str:
    python = str(processes.PYTHON)
    floor = [python, str(Path(__file__).resolve().parent / "yaml_floor.py")]
    reviewed = str(batch.review_files(args.review_files, folder / "review"))
    scenarios = str(batch.scenario_files(args.scenarios, args.seed, folder / "scenarios"))
    checkouts = {"": processes.ADVISOR}
    if args.baseline is not None:
        checkouts["baseline "] = args.baseline.resolve() / ".venv" / "bin" / "advisor"
    measured = [
        (f"{args.review_files} Azure ML YAML files", "floor: CSafeLoader loads the files", [*floor, reviewed],
         ["review", reviewed]),
        (f"{args.scenarios} scenario files", "floor: CSafeLoader loads the files", [*floor, scenarios],
         ["evaluate", scenarios, "--format", "json", "--jobs", "1"]),
        ("one scenario", "floor: python -c 'import yaml, experta'", [python, "-c", "import yaml, experta"],
         ["consult", str(SCENARIO), "--format", "json"]),
    ]
    rows = []
    for files, floor_label, floor_command, advisor_args in measured:
        log(files)
        floor_count = instructions(floor_command, processes.user_env())
        rows.append((files, floor_label, f"{floor_count / 1e6:,.0f} M", ""))
        for label, advisor in checkouts.items():
            # Each checkout's knowledge cache of its own, written by an untimed run first.
            env = processes.user_env(ADVISOR_CACHE_DIR=str(folder / f"cache-{len(label)}"))
            subprocess.run([str(advisor), *advisor_args], capture_output=True, env=env, cwd=processes.ROOT)
            count = instructions([str(advisor), *advisor_args], env)
            rows.append((files, f"{label}advisor {advisor_args[0]}", f"{count / 1e6:,.0f} M",
                         f"{count / floor_count:.2f}x"))
    title = (f"instructions executed (valgrind callgrind), {table.machine()}, one run each "
             f"(the count does not depend on the load; load average {os.getloadavg()[0]:.1f})")
    return render(title, ("files", "command", "instructions", "÷ floor"), rows)


def log(message: str) -> None:
    print(f"[instructions] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
