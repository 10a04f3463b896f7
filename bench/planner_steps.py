"""How long a user waits for each question of the interactive consultation, at three sizes.

    uv run python bench/planner_steps.py [--sizes 262 1000 3000] [--users 5] [--seed 7] [--markdown]

A step is what runs between an answer and the next question: `Planner.plan(answers)` (the
engine's consultation on the answers so far, then the planner's search for what to ask).
The first step is the empty consultation's plan, before any answer. The planner keeps every
rule's state from one step to the next (advisor/interactive/rule_states.py), and each Planner
starts from a copy of the first state its rule base and settings had in this process: the first
interview of a process works that state out (reported apart, "first in process"), later ones copy it.
Simulated users answer
from random facts drawn from the vocabulary (bench/generate.py): each question (or checklist)
the plan asks is answered from the user's facts, "don't know" where they hold none, until
nothing is left to ask. Sizes: 262 is the shipped rule base; other sizes are synthetic
bases in the shipped format (bench/synthetic.py), each built once and timed in this process.
Times are the thread's CPU time (`time.thread_time`: other processes' load does not count),
per step; the first step (first in process; median and max of the other interviews), then
median, p90 and max over every later step of every user's interview.
Targets (issue 26): every step under 50 ms at 3,000 rules, under 10 ms at the shipped size.
A script, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
import synthetic  # noqa: E402
import table  # noqa: E402

from advisor.engine.advisor import Advisor  # noqa: E402
from advisor.interactive.planner import Planner  # noqa: E402
from advisor.knowledge import load_knowledge  # noqa: E402

SHIPPED = 262
TARGETS = {SHIPPED: 0.010, 3000: 0.050}


def interview(planner: Planner, facts: dict[str, Any]) -> list[float]:
    """CPU seconds of each step of one interview (the first step first)."""
    answers: dict[str, Any] = {}
    steps = []
    while True:
        start = time.thread_time()
        plan = planner.plan(answers)
        steps.append(time.thread_time() - start)
        if plan.next is None:
            return steps
        batch = [q.fact.name for q in plan.batch]
        if len(batch) == 1:
            answers[batch[0]] = facts.get(batch[0])  # None: "don't know"
        else:
            answers.update({name: facts.get(name) is True for name in batch})


def measure(knowledge, users: int, seed: int) -> dict[str, Any]:
    advisor = Advisor(knowledge)
    gc.freeze()  # as get_advisor does: the process's long-lived objects stay out of collections
    rng = random.Random(seed)
    people = [generate.random_facts(knowledge, rng) for _ in range(users)]
    interviews = [interview(Planner(advisor), facts) for facts in people]
    steps = sorted(s for one in interviews for s in one[1:])  # every step after the first
    later = [one[0] for one in interviews[1:]] or [interviews[0][0]]
    return {"rules": len(knowledge.rules), "users": users, "steps": len(steps),
            "first_in_process": interviews[0][0],
            "first": statistics.median(later), "first_max": max(later),
            "median": statistics.median(steps), "p90": steps[max(0, int(0.9 * len(steps)) - 1)],
            "max": steps[-1], "questions": statistics.median(len(one) - 1 for one in interviews)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[SHIPPED, 1000, 3000])
    parser.add_argument("--users", type=int, default=5, help="simulated interviews per size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    render = table.markdown if args.markdown else table.plain
    start_load = os.getloadavg()[0]
    rows = []
    for size in args.sizes:
        log(f"{size} rules ...")
        knowledge = load_knowledge() if size == SHIPPED else synthetic.synthetic_knowledge(size, args.seed)
        result = measure(knowledge, args.users, args.seed)
        target = TARGETS.get(size)
        verdict = "" if target is None else f"< {table.ms(target)}: {table.verdict(result['max'], target)}"
        rows.append((f"{result['rules']:,}" + (" (shipped)" if size == SHIPPED else ""), str(result["steps"]),
                     table.ms(result["first_in_process"]),
                     f"{table.ms(result['first'])} (max {table.ms(result['first_max'])})",
                     table.ms(result["median"]), table.ms(result["p90"]), table.ms(result["max"]), verdict))
    title = (f"planner latency per step (CPU, Planner.plan), {args.users} simulated interviews per size, "
             f"{table.machine()}, {table.load(start_load)}")
    print(render(title, ("rules", "later steps", "first step, first in process", "first step (median)",
                         "median", "p90", "max", "target (max of later steps)"), rows))


def log(message: str) -> None:
    print(f"[planner] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
