"""The batch commands against the least they could cost: reading the same YAML files.

    uv run python bench/batch.py [--review-files 575] [--scenarios 1000] [--repeat 11] [--markdown]

Two sets of files in a temporary folder:
- review: copies of the Azure ML YAML fixtures (tests/fixtures/azureml/clean and flawed), a
  folder per copy, `--review-files` in all;
- evaluate: `--scenarios` random scenario files drawn from the vocabulary, each expecting
  what the advisor answers now (bench/generate.py), so evaluate compares for real.

Each command runs in fresh processes, paired round by round with its floor: a fresh process
that loads the same files with libyaml's CSafeLoader and does nothing else
(bench/yaml_floor.py). Figures: median wall and CPU time over `--repeat` rounds, and the
ratio of the medians (the target: within 3x of the floor). The machine is shared: the load
average is printed with the table. A script, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
import processes  # noqa: E402
import table  # noqa: E402

from advisor.engine import Advisor  # noqa: E402
from advisor.knowledge import load_knowledge  # noqa: E402

FIXTURES = processes.ROOT / "tests" / "fixtures" / "azureml"
TARGET = 3.0


def review_files(count: int, folder: Path) -> Path:
    sources = sorted(p for kind in ("clean", "flawed") for p in (FIXTURES / kind).glob("*.yml"))
    for index in range(count):
        source = sources[index % len(sources)]
        target = folder / f"copy-{index // len(sources):02d}" / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    return folder


def scenario_files(count: int, seed: int, folder: Path) -> Path:
    knowledge = load_knowledge()
    generate.write_scenario_files(generate.random_scenarios(knowledge, count, seed), Advisor(knowledge), folder)
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review-files", type=int, default=575)
    parser.add_argument("--scenarios", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=11, help="paired rounds")
    parser.add_argument("--seed", type=int, default=100)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    render = table.markdown if args.markdown else table.plain
    with tempfile.TemporaryDirectory(prefix="advisor-bench-batch-") as folder:
        print(benchmark(Path(folder), args, render))


def benchmark(folder: Path, args: argparse.Namespace, render) -> str:
    start_load = os.getloadavg()[0]
    python, advisor = str(processes.PYTHON), str(processes.ADVISOR)
    floor = [python, str(Path(__file__).resolve().parent / "yaml_floor.py")]
    reviewed = str(review_files(args.review_files, folder / "review"))
    scenarios = str(scenario_files(args.scenarios, args.seed, folder / "scenarios"))
    groups = [
        (f"{args.review_files} Azure ML YAML files", {
            "floor: CSafeLoader loads the files": [*floor, reviewed],
            "advisor review FOLDER (text, as pre-commit runs it)": [advisor, "review", reviewed],
        }),
        (f"{args.scenarios} scenario files", {
            "floor: CSafeLoader loads the files": [*floor, scenarios],
            "advisor evaluate FOLDER --format json --jobs 1": [advisor, "evaluate", scenarios, "--format", "json",
                                                                "--jobs", "1"],
            "advisor evaluate FOLDER --format json --jobs 2": [advisor, "evaluate", scenarios, "--format", "json",
                                                                "--jobs", "2"],
        }),
    ]
    rows = []
    for files, commands in groups:
        log(files)
        # A knowledge cache of its own: no other checkout's runs replace it between rounds.
        measured = processes.paired(commands, args.repeat, ok=(0, 1),  # 1: findings, or failed expectations
                                    env_extra={"ADVISOR_CACHE_DIR": str(folder / "cache")})
        for label, run in measured.items():
            is_floor = label.startswith("floor")
            ratio = "" if is_floor else f"{run['ratio']:.2f}x ({'met' if run['ratio'] <= TARGET else 'NOT met'})"
            rows.append((files, label, table.ms(run["wall"]), table.ms(run["cpu"]), ratio,
                         "" if is_floor else f"{run['paired_ratio']:.2f}x"))
    title = (f"batch commands against the CSafeLoader floor, {table.machine()}, median of {args.repeat} paired "
             f"rounds, {table.load(start_load)}")
    return render(title, ("files", "command", "wall", "CPU", "÷ floor (wall; target ≤ 3x)",
                          "per-round ratio, median"), rows)


def log(message: str) -> None:
    print(f"[batch] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
