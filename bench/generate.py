"""Random valid scenarios drawn from the vocabulary, as fact dicts and as scenario files."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

from advisor.knowledge import KnowledgeBase


def random_facts(knowledge: KnowledgeBase, rng: random.Random, share: float = 0.5) -> dict[str, Any]:
    """A random subset of the input facts, each with a random allowed value (canonical form)."""
    facts: dict[str, Any] = {}
    for spec in knowledge.vocabulary.input_facts:
        if rng.random() >= share:
            continue
        if spec.type == "bool":
            raw: Any = rng.random() < 0.5
        elif spec.type == "choice":
            raw = rng.choice(list(spec.values))
        elif spec.type == "list":
            raw = rng.sample(list(spec.values), rng.randint(1, len(spec.values)))
        else:
            low = int(spec.min) if spec.min is not None else 0
            high = int(spec.max) if spec.max is not None else low + 1000
            raw = rng.randint(low, high)
        facts[spec.name] = spec.check(raw)
    return facts


def random_scenarios(knowledge: KnowledgeBase, n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [random_facts(knowledge, rng) for _ in range(n)]


def write_scenario_files(scenarios: list[dict[str, Any]], advisor: Any, folder: Path) -> list[Path]:
    """One file per scenario, expecting what the advisor answers now (so `evaluate` compares for real)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, facts in enumerate(scenarios):
        consultation = advisor.consult(facts)
        decisions: dict[str, Any] = {}
        for rec in consultation.recommendations:
            spec = advisor.knowledge.vocabulary.decision(rec.decision)
            if spec.multiple:
                decisions.setdefault(rec.decision, []).append(rec.choice)
            else:
                decisions[rec.decision] = rec.choice
        data = {"name": f"random scenario {index}",
                "facts": {k: list(v) if isinstance(v, tuple) else v for k, v in facts.items()},
                "expect": {"decisions": decisions} if decisions else {}}
        if not data["expect"]:
            del data["expect"]
        path = folder / f"scenario-{index:05d}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def copy_library(library: Path, n: int, folder: Path) -> list[Path]:
    """`n` files cycling through the project's own scenario files (realistic sizes)."""
    sources = sorted(p for p in library.rglob("*.yaml") if p.is_file())
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(n):
        path = folder / f"library-{index:05d}-{sources[index % len(sources)].name}"
        path.write_bytes(sources[index % len(sources)].read_bytes())
        paths.append(path)
    return paths
