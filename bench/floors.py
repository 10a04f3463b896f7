"""The engines the advisor is measured against, each running the same rules the same way.

- bare experta: the compiled rules on experta's stock engine and matcher, no tracing;
- CLIPS (clipspy): the same rules translated into CLIPS defrules;
- plain Python: each rule's compiled condition evaluated once, in agenda order (the floor:
  no matching network at all).

All three use the advisor's agenda (advisor/engine/agenda.py: stratum, priority,
specificity, position) and one policy for conclusions: the first value concluded for a name
is the one asserted; later ones are not (the advisor's overrides and tracing are what its
own column pays for). So they fire the same rules, which `same_firings` checks.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from advisor.engine.agenda import salience
from advisor.engine.compiler import build_engine_class
from advisor.engine.memory import new_datum
from advisor.engine.results import USER
from advisor.knowledge import KnowledgeBase
from advisor.knowledge.conditions import All, Condition, FactRef, Leaf, leaf_holds
from advisor.knowledge.rules import Rule


def agenda_order(knowledge: KnowledgeBase) -> list[Rule]:
    return sorted(knowledge.rules, key=salience, reverse=True)


# --- bare experta ----------------------------------------------------------------

class BareExperta:
    """The same compiled rules with no tracing: each name's first value is declared, later ones
    are not. On experta's stock engine and matcher, or (`linear`) with the advisor's matcher and
    agenda: the least an advisor on experta can cost. `run` returns the rules fired."""

    def __init__(self, knowledge: KnowledgeBase, linear: bool = False) -> None:
        self.order = knowledge.vocabulary.fact_order
        self.fired: list[str] = []
        declared: set[str] = set()
        self.declared = declared

        def declare_once(engine: Any, rule: Rule, _matched: Sequence[Any]) -> None:
            self.fired.append(rule.id)
            name = rule.conclusion.name
            if name is not None and name not in declared:
                declared.add(name)
                engine.declare(new_datum(name, rule.conclusion.value, rule.id))

        self.engine = build_engine_class(knowledge.rules, declare_once,
                                         name="BareLinear" if linear else "BareStock", linear=linear)()

    def run(self, facts: dict[str, Any]) -> list[str]:
        self.declared.clear()
        self.fired = []
        self.engine.reset()
        self.engine.declare(*(new_datum(n, facts[n], USER) for n in sorted(facts, key=self.order.__getitem__)))
        self.engine.run()
        return self.fired


# --- plain Python ----------------------------------------------------------------

Test = Callable[[dict[str, Any]], bool]


def compile_test(condition: Condition) -> Test:
    """A closure that is true when the condition is true (unknown facts make a leaf false,
    which in negation normal form is exactly "not true" in three-valued logic)."""
    if isinstance(condition, Leaf):
        name, op, operand = condition.subject, condition.op, condition.operand
        if isinstance(operand, FactRef):
            other, times = operand.name, operand.times
            return lambda v: name in v and other in v and leaf_holds(op, v[name], v[other] * times)
        if op == "eq":
            return lambda v: name in v and v[name] == operand
        return lambda v: name in v and leaf_holds(op, v[name], operand)
    parts = [compile_test(part) for part in condition.parts]
    if isinstance(condition, All):
        return lambda v: all(test(v) for test in parts)
    return lambda v: any(test(v) for test in parts)


class PlainPython:
    """One pass over the rules in agenda order; strata make one pass enough."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.rules = [(rule.id, compile_test(rule.condition), rule.conclusion.name, rule.conclusion.value)
                      for rule in agenda_order(knowledge)]

    def run(self, facts: dict[str, Any]) -> list[str]:
        values = dict(facts)
        fired = []
        for rule_id, test, name, value in self.rules:
            if test(values):
                fired.append(rule_id)
                if name is not None and name not in values:
                    values[name] = value
        return fired


# --- CLIPS -----------------------------------------------------------------------

def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value))  # a CLIPS string: double quotes, backslash escapes


class _Translator:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.vocabulary = knowledge.vocabulary
        self.variables = 0

    def variable(self) -> str:
        self.variables += 1
        return f"?v{self.variables}"

    def is_list(self, name: str) -> bool:
        spec = self.vocabulary.fact(name)
        return spec is not None and spec.type == "list"

    def leaf(self, leaf: Leaf) -> str:
        name, op, operand = leaf.subject, leaf.op, leaf.operand
        if isinstance(operand, FactRef):
            left, right = self.variable(), self.variable()
            symbol = {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "=", "ne": "<>"}[op]
            return (f"(d_{name} (value {left})) "
                    f"(d_{operand.name} (value {right}&:({symbol} {left} (* {right} {operand.times!r}))))")
        if self.is_list(name):
            var = "$" + self.variable()
            items = " ".join(_literal(v) for v in operand)
            members = " ".join(f"(member$ {_literal(v)} {var})" for v in operand)
            test = {"contains_any": f"(or {members} FALSE)",
                    "contains_none": f"(not (or {members} FALSE))",
                    "contains_only": f"(subsetp {var} (create$ {items}))",
                    "contains_other_than": f"(not (subsetp {var} (create$ {items})))"}[op]
            return f"(d_{name} (value {var}&:{test}))"
        if op in ("gt", "ge", "lt", "le") or (op in ("eq", "ne") and isinstance(operand, int | float)
                                               and not isinstance(operand, bool)):
            var = self.variable()
            symbol = {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "=", "ne": "<>"}[op]
            return f"(d_{name} (value {var}&:(numberp {var})&:({symbol} {var} {operand!r})))"
        constraint = {"eq": lambda: _literal(operand), "ne": lambda: "~" + _literal(operand),
                      "in": lambda: "|".join(_literal(v) for v in operand),
                      "not_in": lambda: "&".join("~" + _literal(v) for v in operand)}[op]()
        return f"(d_{name} (value {constraint}))"

    def condition(self, condition: Condition) -> str:
        if isinstance(condition, Leaf):
            return self.leaf(condition)
        parts = " ".join(self.condition(part) for part in condition.parts)
        return f"(and {parts})" if isinstance(condition, All) else f"(or {parts})"


def clips_constructs(knowledge: KnowledgeBase, record_firings: bool = False) -> str:
    """Deftemplates (one per fact or decision name) and one defrule per rule.

    CLIPS salience is limited to -10000..10000, so the agenda order is renumbered densely
    (advisor/engine/agenda.py says how the packing maps to CLIPS)."""
    vocabulary = knowledge.vocabulary
    translator = _Translator(knowledge)
    names = [f.name for f in vocabulary.facts] + [d.name for d in vocabulary.decisions]
    out = []
    for name in names:
        slot = "multislot" if translator.is_list(name) else "slot"
        out.append(f"(deftemplate d_{name} ({slot} value) (slot origin))")
    out.append("(deftemplate fired (slot rule))")
    ordered = agenda_order(knowledge)
    assert len(ordered) <= 20_001, "CLIPS salience cannot order more rules"
    for rank, rule in enumerate(ordered):
        rhs = f"(assert (fired (rule {_literal(rule.id)})))" if record_firings else ""
        name = rule.conclusion.name
        if name is not None:
            value = rule.conclusion.value
            rhs += (f" (if (not (any-factp ((?f d_{name})) TRUE)) then "
                    f"(assert (d_{name} (value {_literal(value)}) (origin {_literal(rule.id)}))))")
        out.append(f"(defrule r{rank} (declare (salience {10_000 - rank})) "
                   f"{translator.condition(rule.condition)} => {rhs})")
    return "\n".join(out)


class Clips:
    """The rule base in a CLIPS environment (clipspy), reset per scenario."""

    def __init__(self, knowledge: KnowledgeBase, record_firings: bool = False) -> None:
        import clips

        self.env = clips.Environment()
        for construct in _split(clips_constructs(knowledge, record_firings)):
            self.env.build(construct)
        self.templates = {name: self.env.find_template(f"d_{name}")
                          for name in [f.name for f in knowledge.vocabulary.facts]}
        self.order = knowledge.vocabulary.fact_order
        self.ids = {f"r{rank}": rule.id for rank, rule in enumerate(agenda_order(knowledge))}
        self.record_firings = record_firings

    def run(self, facts: dict[str, Any]) -> list[str]:
        import clips

        self.env.reset()
        for name in sorted(facts, key=self.order.__getitem__):
            value = facts[name]
            if isinstance(value, bool):
                value = clips.Symbol("TRUE" if value else "FALSE")
            elif isinstance(value, tuple):
                value = list(value)
            self.templates[name].assert_fact(value=value, origin="user")
        self.env.run()
        if not self.record_firings:
            return []
        return sorted(str(f["rule"]) for f in self.env.facts() if f.template.name == "fired")

    def close(self) -> None:
        """Free CLIPS's memory now (clipspy complains when an environment holding facts is collected)."""
        self.templates.clear()
        self.env.clear()


def _split(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def same_firings(knowledge: KnowledgeBase, scenarios: list[dict[str, Any]]) -> bool:
    """Do bare experta, CLIPS and plain Python fire the same rules on these scenarios?"""
    bare, plain, clips = BareExperta(knowledge, linear=True), PlainPython(knowledge), Clips(knowledge, True)
    try:
        for facts in scenarios:
            expected = set(plain.run(facts))  # an `any` may fire through two branches: compare sets
            if set(bare.run(facts)) != expected or set(clips.run(facts)) != expected:
                return False
        return True
    finally:
        clips.close()
