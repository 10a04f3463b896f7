"""How long a user waits for each question of the interactive consultation, at three sizes.

    uv run python bench/planner_steps.py [--sizes shipped 1000 3000] [--users 5] [--seed 7] [--markdown]
                                         [--transcript FILE]

A step is what runs between an answer and the next question: `Planner.plan(answers)` (the
engine's consultation on the answers so far, then the planner's search for what to ask).
The first step is the empty consultation's plan, before any answer, with the Planner's
construction counted in it. The planner keeps every rule's state from one step to the next
(advisor/interactive/rule_states.py). The first state of a rule base is kept on disk beside the
knowledge cache (advisor/interactive/state_cache.py) and, within a process, copied by each
later Planner. So the first step is measured three ways: in a new process with no kept state
(the first run after the rules or the planner changed: every rule worked out), in a new process
that reads the kept state (every other run), and in later interviews of a process.
Each size's rules are written to a folder and loaded through the knowledge cache, as a user's
own rules folder (ADVISOR_RULES_DIR) would be; caches go to a temporary folder.
Simulated users answer from random facts drawn from the vocabulary (bench/generate.py): each
question (or checklist) the plan asks is answered from the user's facts, "don't know" where they
hold none, until nothing is left to ask. Sizes: `shipped` (or its number of rules) is the shipped
rule base; other sizes are synthetic bases in the shipped format (bench/synthetic.py).
Times are the thread's CPU time (`time.thread_time`: other processes' load does not count),
per step; the new-process figures are medians of three processes each. Then median, p90 and max
over every later step of every user's interview.
Targets (issue 26): every step under 50 ms at 3,000 rules, under 10 ms at the shipped size.
`--transcript FILE` writes each step's questions (the batch with its worths, then the plan's whole
order): a change that must not change what is asked diffs clean against the run before it.
A script, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
import synthetic  # noqa: E402
import table  # noqa: E402

from advisor.engine.advisor import Advisor  # noqa: E402
from advisor.interactive.planner import Planner  # noqa: E402
from advisor.knowledge.cache import load_cached  # noqa: E402
from advisor.paths import rules_dir  # noqa: E402

TARGET_AT_3000 = 0.050
TARGET_SHIPPED = 0.010


def interview(advisor: Advisor, facts: dict[str, Any], asked: list[str] | None = None) -> list[float]:
    """CPU seconds of each step of one interview (the first step, with the Planner's construction, first).
    `asked` gets each step's prompt: the facts asked together, with their worth (the plan shown)."""
    answers: dict[str, Any] = {}
    steps = []
    start = time.thread_time()
    planner = Planner(advisor)
    while True:
        plan = planner.plan(answers)
        steps.append(time.thread_time() - start)
        if asked is not None:  # outside the timed part
            asked.append(" ".join(f"{q.fact.name}={q.worth!r}" for q in plan.batch) + " | " +
                         " ".join(q.fact.name for q in plan.questions))
        if plan.next is None:
            return steps
        batch = [q.fact.name for q in plan.batch]
        if len(batch) == 1:
            answers[batch[0]] = facts.get(batch[0])  # None: "don't know"
        else:
            answers.update({name: facts.get(name) is True for name in batch})
        start = time.thread_time()


def first_step_here(folder: Path) -> float:
    """CPU seconds of this process's first step on the rules in `folder` (loaded first, not timed)."""
    advisor = Advisor(load_cached(folder))
    gc.freeze()
    start = time.thread_time()
    Planner(advisor).plan({})
    return time.thread_time() - start


def first_step_in_new_process(folder: Path, cache: Path, kept: bool, runs: int = 3) -> float:
    """The median over `runs` new processes; with no kept planner state unless `kept`."""
    times = []
    for _ in range(runs):
        if not kept:
            for old in cache.glob("planner-*.json"):
                old.unlink()
        done = subprocess.run([sys.executable, __file__, "--first-step-of", str(folder)], check=True,
                              capture_output=True, text=True, env={**os.environ, "ADVISOR_CACHE_DIR": str(cache)})
        times.append(float(done.stdout))
    return statistics.median(times)


def measure(folder: Path, cache: Path, users: int, seed: int, transcript: list[str] | None = None) -> dict[str, Any]:
    worked_out = first_step_in_new_process(folder, cache, kept=False)
    read_back = first_step_in_new_process(folder, cache, kept=True)
    knowledge = load_cached(folder)
    advisor = Advisor(knowledge)
    gc.freeze()  # as get_advisor does: the process's long-lived objects stay out of collections
    rng = random.Random(seed)
    people = [generate.random_facts(knowledge, rng) for _ in range(users)]
    interviews = []
    for number, facts in enumerate(people, 1):
        asked: list[str] = []
        interviews.append(interview(advisor, facts, asked))
        if transcript is not None:
            transcript += [f"{len(knowledge.rules)} rules, user {number}, step {i}: {line}"
                           for i, line in enumerate(asked)]
    steps = sorted(s for one in interviews for s in one[1:])  # every step after the first
    later = [one[0] for one in interviews[1:]] or [interviews[0][0]]
    return {"rules": len(knowledge.rules), "users": users, "steps": len(steps),
            "worked_out": worked_out, "read_back": read_back,
            "first": statistics.median(later), "first_max": max(later),
            "median": statistics.median(steps), "p90": steps[max(0, int(0.9 * len(steps)) - 1)],
            "max": steps[-1], "questions": statistics.median(len(one) - 1 for one in interviews)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shipped = len(load_cached(rules_dir()).rules)  # this size means the shipped rule base itself
    parser.add_argument("--sizes", type=lambda text: shipped if text == "shipped" else int(text), nargs="+",
                        default=[shipped, 1000, 3000], help="numbers of rules, or `shipped`")
    parser.add_argument("--users", type=int, default=5, help="simulated interviews per size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--transcript", type=Path, help="write each step's questions (the batch with worths | "
                        "the plan's order) to this file: two runs of planners that ask alike diff clean")
    parser.add_argument("--first-step-of", type=Path, help=argparse.SUPPRESS)  # one new process's first step
    args = parser.parse_args(argv)
    if args.first_step_of:
        print(first_step_here(args.first_step_of))
        return
    render = table.markdown if args.markdown else table.plain
    start_load = os.getloadavg()[0]
    rows = []
    transcript: list[str] = []
    with tempfile.TemporaryDirectory(prefix="planner-steps-") as temp:
        os.environ["ADVISOR_CACHE_DIR"] = str(Path(temp) / "cache")
        os.environ.pop("ADVISOR_NO_CACHE", None)
        for size in args.sizes:
            log(f"{size} rules ...")
            folder = rules_dir() if size == shipped else \
                synthetic.write_rule_base(Path(temp) / f"rules-{size}", size, args.seed)
            cache = Path(temp) / f"cache-{size}"
            os.environ["ADVISOR_CACHE_DIR"] = str(cache)
            load_cached(folder)  # the knowledge cache, built once as a user's first run would
            result = measure(folder, cache, args.users, args.seed, transcript)
            target = {shipped: TARGET_SHIPPED, 3000: TARGET_AT_3000}.get(size)
            slowest = max(result["read_back"], result["first_max"], result["max"])
            verdict = "" if target is None else f"< {table.ms(target)}: {table.verdict(slowest, target)}"
            rows.append((f"{result['rules']:,}" + (" (shipped)" if size == shipped else ""), str(result["steps"]),
                         table.ms(result["worked_out"]), table.ms(result["read_back"]),
                         f"{table.ms(result['first'])} (max {table.ms(result['first_max'])})",
                         table.ms(result["median"]), table.ms(result["p90"]), table.ms(result["max"]), verdict))
    title = (f"planner latency per step (CPU, Planner construction + Planner.plan), {args.users} simulated "
             f"interviews per size, {table.machine()}, {table.load(start_load)}")
    if args.transcript:
        args.transcript.write_text("\n".join(transcript) + "\n", encoding="utf-8")
    print(render(title, ("rules", "later steps", "first step, new process, nothing kept",
                         "first step, new process, kept state read", "first step, later interviews (median)",
                         "median", "p90", "max", "target (every step once the state is kept)"), rows))


def log(message: str) -> None:
    print(f"[planner] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
