"""How `advisor review` scales, and the adversarial shapes of issue 27 (classes 1 and 2).

    uv run python bench/review_shapes.py [--rows all|NAME ...] [--rounds 3] [--scale 1.0] [--markdown]

Each row writes its files into a temporary folder, then times `run_review` in this process
(thread CPU time, best of --rounds; the machine is shared). The floor is reading and parsing
the same YAML files (`read_document` on each): what any review costs before a rule runs, so a
row's ratio to its floor says how much the review itself adds. --scale shrinks every size (0.1
for a quick look); the figures in docs/benchmark.md are at scale 1.

Rows:
- files-10000: 10,000 files, copies of the clean and flawed fixtures in 100 folders.
- same-name-clusters-N: N clusters all named `c`, each in its own folder, and N jobs naming
  `c` (the cross-file index resolves a name to the cluster in the same folder).
- inline-steps-46000: one pipeline of 46,000 inline command steps (about 1 MB).
- command-token-200k: a command of one 200,000-character token (the notebook pattern).
- scoring-blank-lines-20k: a scoring script of 20,000 blank lines (the init()/run() pattern).
- ignore-comment-900kb: a 900 KB line of repeated `#advisor:ignore[` (the suppression pattern).
- exclude-globs-20000: 200 files and a configuration of 20,000 exclude globs (config.py).
- exclude-globs-20000-files-10000: 10,000 files in 100 folders and the same 20,000 globs, which
  exclude the files of every tenth folder (skip0 .. skip90).
A script, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "azureml"


def files_10000(folder: Path, scale: float) -> list[Path]:
    sources = sorted((FIXTURES / "clean").glob("*.yml")) + sorted((FIXTURES / "flawed").glob("*.yml"))
    count = int(10_000 * scale)
    for i in range(count):
        target = folder / f"team{i % 100:03d}" / f"{i:05d}-{sources[i % len(sources)].name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sources[i % len(sources)], target)
    return [folder]


def same_name_clusters(n: int):
    def make(folder: Path, scale: float) -> list[Path]:
        for i in range(int(n * scale)):
            sub = folder / f"p{i:05d}"
            sub.mkdir()
            (sub / "cluster.yml").write_text("type: amlcompute\nname: c\nmin_instances: 0\nmax_instances: 2\n"
                                             "size: Standard_DS3_v2\n", encoding="utf-8")
            (sub / "job.yml").write_text("type: command\ncommand: python train.py\nenvironment: azureml:e:1\n"
                                         "compute: azureml:c\nresources: {instance_count: 4}\n", encoding="utf-8")
        return [folder]
    return make


def inline_steps(folder: Path, scale: float) -> list[Path]:
    lines = ["type: pipeline", "jobs:"]  # about 1 MB, the file size limit
    for i in range(int(46_000 * scale)):
        lines.append(f"  s{i}: {{command: x}}" if i % 1000 else f'  s{i}: {{command: "${{{{inputs.y}}}}"}}')
    path = folder / "pipeline.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [path]


def command_token(folder: Path, scale: float) -> list[Path]:
    path = folder / "job.yml"
    path.write_text("type: command\nenvironment: azureml:e:1\ncommand: " + "a" * int(200_000 * scale) + "\n",
                    encoding="utf-8")
    return [path]


def scoring_blank_lines(folder: Path, scale: float) -> list[Path]:
    (folder / "src").mkdir()
    (folder / "src" / "score.py").write_text("\n" * int(20_000 * scale) + "x = 1\n", encoding="utf-8")
    path = folder / "deployment.yml"
    path.write_text("endpoint_name: e\nmodel: {path: src, type: custom_model}\ncode_configuration:\n"
                    "  code: src\n  scoring_script: score.py\nenvironment: azureml:e:1\ninstance_count: 3\n",
                    encoding="utf-8")
    return [path]


def ignore_comment(folder: Path, scale: float) -> list[Path]:
    path = folder / "cluster.yml"
    token = "#advisor:ignore["
    path.write_text("type: amlcompute\nname: c\nmax_instances: 0\n# " + token * int(900_000 * scale / len(token))
                    + "\n", encoding="utf-8")
    return [path]


def exclude_globs(folder: Path, scale: float) -> list[Path]:
    """200 files and a configuration of 20,000 exclude globs, none matching (config.py's excludes)."""
    for i in range(200):
        (folder / f"c{i:03d}.yml").write_text(f"type: amlcompute\nname: c{i}\nmax_instances: 2\n", encoding="utf-8")
    return [folder]


def exclude_globs_many_files(folder: Path, scale: float) -> list[Path]:
    """10,000 files in 100 folders, every tenth named skip<N> (excluded by its glob)."""
    for i in range(int(10_000 * scale)):
        team = i % 100
        sub = folder / (f"skip{team}" if team % 10 == 0 else f"team{team:03d}")
        sub.mkdir(exist_ok=True)
        (sub / f"c{i:05d}.yml").write_text(f"type: amlcompute\nname: c{i}\nmax_instances: 2\n", encoding="utf-8")
    return [folder]


EXCLUDES = {"exclude-globs-20000": 20_000, "exclude-globs-20000-files-10000": 20_000}

ROWS = {
    "files-10000": files_10000,
    "same-name-clusters-2000": same_name_clusters(2000),
    "same-name-clusters-4000": same_name_clusters(4000),
    "inline-steps-46000": inline_steps,
    "command-token-200k": command_token,
    "scoring-blank-lines-20k": scoring_blank_lines,
    "ignore-comment-900kb": ignore_comment,
    "exclude-globs-20000": exclude_globs,
    "exclude-globs-20000-files-10000": exclude_globs_many_files,
}


def timed(function) -> float:
    start = time.thread_time()
    function()
    return time.thread_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", nargs="*", default=["all"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    from advisor.azureml.collect import run_review, yaml_files_below
    from advisor.azureml.config import ReviewConfig
    from advisor.azureml.documents import read_document
    from advisor.engine import get_advisor

    advisor = get_advisor()
    names = list(ROWS) if args.rows == ["all"] else args.rows
    rows = []
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            targets = ROWS[name](Path(tmp), args.scale)
            paths = [p for t in targets for p in (yaml_files_below(t) if t.is_dir() else [t])]

            def floor(paths=paths):
                for path in paths:
                    try:
                        read_document(path)
                    except Exception:  # noqa: BLE001 - the floor only reads
                        pass
            config = ReviewConfig()
            if name in EXCLUDES:
                globs = tuple(f"skip{i}/*.yml" for i in range(int(EXCLUDES[name] * args.scale)))
                config = ReviewConfig(root=Path(tmp), exclude=globs)
            review_times, floor_times = [], []
            for _ in range(args.rounds):
                floor_times.append(timed(floor))
                review_times.append(timed(lambda targets=targets, config=config: run_review(targets, advisor, config)))
            run = run_review(targets, advisor, config)
            rows.append((name, len(paths), min(review_times), min(floor_times), statistics.median(review_times),
                         run.findings, len(run.unreadable)))
            print(f"{name}: {len(paths)} files, review {min(review_times):.2f} s (median {rows[-1][4]:.2f}), "
                  f"floor {min(floor_times):.2f} s, ratio {min(review_times) / max(min(floor_times), 1e-6):.1f}, "
                  f"{run.findings} findings, {len(run.unreadable)} unreadable", file=sys.stderr, flush=True)
    if args.markdown:
        print("| row | files | review (best) | floor: read + parse | ratio | findings |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, files, best, low, _median, findings, _bad in rows:
            print(f"| {name} | {files} | {best:.2f} s | {low:.2f} s | {best / max(low, 1e-6):.1f} | {findings} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
