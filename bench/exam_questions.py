"""How honest and how exam-like are the exported questions?

    uv run python bench/exam_questions.py [-n 500] [--seed 7] [--file questions.jsonl]

Reports a word-overlap guesser's score against chance (it picks the option sharing the most
words with the question: no Azure knowledge at all), the share of questions with 4 or more
options, questions where one option is contained in another, and the share per exam domain
against the outline's weight midpoints. Reads a `--export` .jsonl file, or exports one.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

STOPWORDS = frozenset("""a an and are as at be by can do does for from has have how if in into is it its
of on or should so than that the their then there these they this to was were what when where which
who will with would you your s t""".split())


def guesser_words(text: str) -> set[str]:
    """Plain words, lower-cased, without the commonest function words (no stemming)."""
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS}


def guess(record: dict) -> list[int]:
    """The guesser's answer: the options sharing the most words with the question (as many as
    there are answers; ties go to the option shown first); for ordering, most overlap first."""
    question = guesser_words(record["question"])
    overlap = [len(question & guesser_words(o)) for o in record["options"]]
    ranked = sorted(range(len(overlap)), key=lambda i: (-overlap[i], i))
    if record.get("kind") == "ordering":
        return ranked
    return sorted(ranked[: len(record["answers"])])


def chance(record: dict) -> float:
    n, k = len(record["options"]), len(record["answers"])
    if record.get("kind") == "ordering":
        return 1 / math.factorial(n)
    return 1 / math.comb(n, k)


def is_right(record: dict, answer: list[int]) -> bool:
    if record.get("kind") == "ordering":
        return answer == list(record["answers"])
    return sorted(answer) == sorted(record["answers"])


def contained_pairs(options: list[str]) -> int:
    normal = [" " + " ".join(re.findall(r"[a-z0-9]+", o.lower())) + " " for o in options]
    return sum(1 for i, a in enumerate(normal) for j, b in enumerate(normal) if i != j and a.strip() and a in b)


def measure(records: list[dict], midpoints: dict[int, float]) -> dict:
    n = len(records)
    right = sum(is_right(r, guess(r)) for r in records)
    domains = Counter(r["domain"] for r in records)
    return {
        "questions": n,
        "guesser": right / n if n else 0.0,
        "chance": sum(chance(r) for r in records) / n if n else 0.0,
        "four_or_more_options": sum(len(r["options"]) >= 4 for r in records) / n if n else 0.0,
        "contained": sum(contained_pairs(r["options"]) > 0 for r in records),
        "domains": {d: domains.get(d, 0) / n for d in sorted(midpoints)} if n else {},
        "midpoints": midpoints,
        "kinds": dict(Counter(r.get("kind", "single") for r in records)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--file", type=Path, help="a .jsonl written by advisor drill --export")
    args = parser.parse_args(argv)
    from advisor.drill.outline import load_outline

    outline = load_outline()
    total = sum(d.midpoint for d in outline.domains)
    midpoints = {d.number: d.midpoint / total for d in outline.domains}
    if args.file:
        records = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        from advisor.drill.export import export_questions
        from advisor.engine import get_advisor
        from advisor.paths import scenarios_dir

        records = [q.as_dict() for q in export_questions(get_advisor(), args.n, args.seed, scenarios_dir())]
    result = measure(records, midpoints)
    print(f"questions: {result['questions']}  kinds: {result['kinds']}")
    print(f"word-overlap guesser: {result['guesser']:.1%}  chance: {result['chance']:.1%}  "
          f"difference: {(result['guesser'] - result['chance']) * 100:+.1f} points")
    print(f"4 or more options: {result['four_or_more_options']:.1%}")
    print(f"questions with an option contained in another: {result['contained']}")
    for d, share in result["domains"].items():
        print(f"domain {d}: {share:.1%} (weight midpoint {midpoints[d]:.1%}, "
              f"{(share - midpoints[d]) * 100:+.1f} points)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
