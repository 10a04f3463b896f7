"""Synthetic rule bases in the shipped format, over the shipped vocabulary, for scale tests.

    synthetic_sources(n, seed) -> {file name: YAML text}   (guide.yaml and vocabulary.yaml included)

What a generated base looks like, so it loads and behaves like an organisation's own rules
added to ours:
- the shipped guide and vocabulary; rule files of 50 rules each (`org01.yaml`, ...), every
  rule citing a real guide unit and naming that unit's section;
- conclusions, condition sizes, operators, priorities and strengths drawn with the shipped
  rule base's frequencies (counted by `shipped_profile`);
- chains like the shipped ones: about a third of the rules read a decision or derived fact
  that other rules produce. Producible names are put in one seeded order and a rule only
  reads names earlier than the one it produces, so the rule graph has no cycle;
- nested prefixes: many conditions extend an earlier rule's condition with one or two more
  tests (`a`; `a and b`; `a and b and c`), as families of related rules do in real bases.
  That is what lets a Rete network share the prefix of their joins.

Seeded: the same (n, seed) gives the same text. Nothing here is evaluated as code; the
result is loaded by the normal loader (`advisor.knowledge.base.build_knowledge`).
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from advisor.knowledge import KnowledgeBase, load_knowledge
from advisor.knowledge.base import SPECIAL_FILES, build_knowledge, read_sources
from advisor.knowledge.conditions import FactRef, Leaf, leaves
from advisor.knowledge.vocabulary import FactSpec
from advisor.paths import rules_dir

RULES_PER_FILE = 50


class _NoAliasDumper(yaml.SafeDumper):
    """Rule files are written out in full: the loader refuses YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def shipped_profile(knowledge: KnowledgeBase) -> dict[str, Counter]:
    """How the shipped rules are distributed: the weights the generator draws from."""
    inputs = knowledge.vocabulary.input_names
    return {
        "kind": Counter(r.conclusion.kind for r in knowledge.rules),
        "tests": Counter(r.specificity for r in knowledge.rules),
        "chained": Counter(min(2, sum(1 for n in r.reads if n not in inputs)) for r in knowledge.rules),
        "priority": Counter(r.priority for r in knowledge.rules),
        "strength": Counter(r.strength for r in knowledge.rules),
        "fact_refs": Counter(isinstance(leaf.operand, FactRef)
                             for r in knowledge.rules for leaf in leaves(r.condition)),
    }


def _draw(rng: random.Random, weights: Counter) -> Any:
    keys = sorted(weights, key=repr)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class _Generator:
    def __init__(self, knowledge: KnowledgeBase, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = knowledge.vocabulary
        self.profile = shipped_profile(knowledge)
        self.units = knowledge.guide.units
        self.inputs = list(knowledge.vocabulary.input_facts)
        self.numbers = [f for f in self.inputs if f.type == "number"]
        readable = [d.name for d in knowledge.vocabulary.decisions if not d.multiple]
        producible = readable + [d.name for d in knowledge.vocabulary.decisions if d.multiple] \
            + [f.name for f in knowledge.vocabulary.facts if f.derived]
        # Chains as deep as the shipped ones: a name keeps the stratum its shipped producers
        # have, and a rule only reads names of a lower stratum than the one it produces, so
        # the rule graph has no cycle.
        level: dict[str, int] = {}
        for rule in knowledge.rules:
            if rule.conclusion.name is not None:
                level[rule.conclusion.name] = max(level.get(rule.conclusion.name, 0), rule.stratum)
        self.rank = {name: level.get(name, 0) for name in producible}
        self.readable = [n for n in producible if n in readable or self.vocabulary.fact(n) is not None]
        self.decisions = [d.name for d in knowledge.vocabulary.decisions]
        self.derived = [f.name for f in knowledge.vocabulary.facts if f.derived]
        self.families: list[list[tuple[str, Any]]] = []  # earlier rules' tests, to extend

    # --- one test ------------------------------------------------------------

    def input_test(self, spec: FactSpec) -> tuple[str, Any]:
        rng = self.rng
        if spec.type == "bool":
            return spec.name, rng.random() < 0.7
        if spec.type == "choice":
            values = list(spec.values)
            if rng.random() < 0.8 or len(values) < 3:
                return spec.name, rng.choice(values)
            return spec.name, {rng.choice(["in", "not_in"]): rng.sample(values, 2)}
        if spec.type == "list":
            op = rng.choices(["contains_any", "contains_none", "contains_only", "contains_other_than"],
                             weights=[16, 5, 3, 2])[0]
            return spec.name, {op: rng.sample(list(spec.values), rng.randint(1, min(2, len(spec.values))))}
        if self.rng.random() < self.profile["fact_refs"][True] / max(1, sum(self.profile["fact_refs"].values())) \
                and len(self.numbers) > 1:
            other = rng.choice([f for f in self.numbers if f.name != spec.name])
            return spec.name, {rng.choice(["gt", "lt"]): {"fact": other.name, "times": rng.choice([1, 2, 20])}}
        low = spec.min if spec.min is not None else 0
        high = spec.max if spec.max is not None else low + 1000
        return spec.name, {rng.choice(["gt", "lt", "ge", "le"]): int(rng.uniform(low, high))}

    def chained_test(self, name: str) -> tuple[str, Any]:
        values = self.vocabulary.values_of(name) or ()
        spec = self.vocabulary.fact(name)
        if spec is not None and spec.type == "bool":
            return name, self.rng.random() < 0.7
        return name, self.rng.choice(list(values))

    # --- one rule --------------------------------------------------------------

    def conclusion(self, kind: str, chained: bool) -> tuple[dict[str, Any], str | None]:
        rng = self.rng
        if kind == "warn":
            return {"warn": f"Synthetic caution {rng.randrange(10**6)}: check this combination."}, None
        names = self.derived if kind == "conclude" else self.decisions
        if chained:  # a rule that reads a produced value produces something further down
            names = [n for n in names if self.rank[n] > 0] or names
        name = rng.choice(names)
        if kind == "conclude":
            spec = self.vocabulary.fact(name)
            assert spec is not None
            value: Any = rng.random() < 0.5 if spec.type == "bool" else rng.choice(list(spec.values))
            return {"conclude": {name: value}}, name
        decision = self.vocabulary.decision(name)
        assert decision is not None
        return {"recommend": {name: rng.choice(list(decision.choices))}}, name

    def condition(self, produces: str | None, size: int, chained: int) -> dict[str, Any]:
        rng = self.rng
        limit = self.rank[produces] if produces is not None else max(self.rank.values()) + 1
        sources = [n for n in self.readable if self.rank[n] < limit]
        tests: list[tuple[str, Any]] = []
        if size > 1 and self.families and rng.random() < 0.5:
            base = rng.choice(self.families)  # a nested prefix: extend an earlier condition
            tests = [t for t in base if t[0] not in self.rank or self.rank[t[0]] < limit][:size - 1]
        have = {name for name, _ in tests}
        for _ in range(chained):
            if len(tests) >= size or not sources:
                break
            name = rng.choice(sources)
            if name not in have:
                tests.append(self.chained_test(name))
                have.add(name)
        while len(tests) < size:
            spec = rng.choice(self.inputs)
            if spec.name not in have:
                tests.append(self.input_test(spec))
                have.add(spec.name)
        if len(tests) > 1:
            self.families.append(tests)
        when: dict[str, Any] = dict(tests)
        if len(tests) >= 3 and rng.random() < 0.1:  # an `any` inside, as a few shipped rules have
            (a, va), (b, vb) = tests[-2:]
            when = dict(tests[:-2])
            when["any"] = [{a: va}, {b: vb}]
        return when

    def rule(self, area: str, index: int) -> dict[str, Any]:
        rng = self.rng
        kind = _draw(rng, self.profile["kind"])
        size = _draw(rng, self.profile["tests"])
        chained = min(size, _draw(rng, self.profile["chained"]))
        then, produces = self.conclusion(kind, chained > 0)
        unit = rng.choice(self.units)
        rule: dict[str, Any] = {
            "id": f"{area}.rule-{index:05d}",
            "title": f"Synthetic rule {index}",
            "section": unit.section,
            "when": self.condition(produces, size, chained),
            "then": then,
        }
        priority = _draw(rng, self.profile["priority"])
        if priority:
            rule["priority"] = priority
        rule["strength"] = _draw(rng, self.profile["strength"])
        rule["because"] = "A generated rule for the scale benchmark."
        rule["source"] = unit.url
        return rule


def synthetic_sources(n: int, seed: int, base: KnowledgeBase | None = None,
                      shipped: Path | None = None) -> dict[str, str]:
    """The knowledge files of an `n`-rule synthetic base, by file name."""
    knowledge = base or load_knowledge()
    texts = {name: text for name, text in read_sources(shipped or rules_dir()).items() if name in SPECIAL_FILES}
    generator = _Generator(knowledge, seed)
    for start in range(0, n, RULES_PER_FILE):
        area = f"org{start // RULES_PER_FILE + 1:02d}"
        rules = [generator.rule(area, index) for index in range(start, min(n, start + RULES_PER_FILE))]
        data = {"title": f"Synthetic organisation rules {area}", "rules": rules}
        texts[f"{area}.yaml"] = yaml.dump(data, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True)
    return texts


def synthetic_knowledge(n: int, seed: int) -> KnowledgeBase:
    """An `n`-rule synthetic base, loaded and validated like any rule folder."""
    return build_knowledge(synthetic_sources(n, seed))


def write_rule_base(folder: Path, n: int, seed: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in synthetic_sources(n, seed).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def leaf_count(knowledge: KnowledgeBase) -> int:
    return sum(1 for r in knowledge.rules for leaf in leaves(r.condition) if isinstance(leaf, Leaf))
