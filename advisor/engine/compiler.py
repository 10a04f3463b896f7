"""Compile rule conditions into experta rules (patterns only: nothing is eval'd)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from itertools import count
from typing import Any

from experta import AND, AS, MATCH, OR, TEST, Fact, KnowledgeEngine, P
from experta import Rule as ExpertaRule

from advisor.engine.agenda import salience
from advisor.engine.matcher import LinearReteMatcher
from advisor.knowledge.conditions import All, Condition, FactRef, Leaf, leaf_holds
from advisor.knowledge.rules import Rule

BINDING_PREFIX = "f"


class Datum(Fact):
    """One fact or decision value in working memory: name, value, origin ("user" or a rule id)."""


_DATUM_CLASSES: dict[str, type[Datum]] = {}


def datum_class(name: str) -> type[Datum]:
    """One Fact class per fact name. experta's Rete tests a fact's exact type before anything
    else, so each fact only travels down its own patterns instead of every pattern's tests."""
    cls = _DATUM_CLASSES.get(name)
    if cls is None:
        cls = _DATUM_CLASSES[name] = type(f"Datum_{name}", (Datum,), {})
    return cls


def new_datum(name: str, value: Any, origin: str) -> Datum:
    return datum_class(name)(name=name, value=value, origin=origin)


def _predicate(op: str, operand: Any) -> Callable[[Any], bool]:
    # experta's alpha network may test a value before testing the fact's name, so the
    # predicate sees other facts' values too: it must answer False, not raise, for them.
    wants_list = op.startswith("contains")

    def holds(value: Any) -> bool:
        if wants_list != isinstance(value, tuple):
            return False
        try:
            return leaf_holds(op, value, operand)
        except TypeError:
            return False
    return holds


def _fact_to_fact_test(op: str, times: float, left: str, right: str) -> Callable[..., bool]:
    def test(**values: Any) -> bool:
        try:
            return leaf_holds(op, values[left], values[right] * times)
        except TypeError:
            return False
    # experta passes a TEST only the bound names its signature declares.
    test.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY) for n in (left, right)])
    return test


def _pattern(leaf: Leaf, ids: count) -> Any:
    if isinstance(leaf.operand, FactRef):
        k = next(ids)
        left, right = f"v{k}", f"w{k}"
        return AND(
            getattr(AS, f"{BINDING_PREFIX}{k}") << datum_class(leaf.subject)(value=getattr(MATCH, left)),
            getattr(AS, f"{BINDING_PREFIX}{next(ids)}") << datum_class(leaf.operand.name)(
                value=getattr(MATCH, right)),
            TEST(_fact_to_fact_test(leaf.op, leaf.operand.times, left, right)),
        )
    binding = getattr(AS, f"{BINDING_PREFIX}{next(ids)}")
    if leaf.op == "eq":
        return binding << datum_class(leaf.subject)(value=leaf.operand)
    return binding << datum_class(leaf.subject)(value=P(_predicate(leaf.op, leaf.operand)))


def compile_condition(condition: Condition, ids: count | None = None) -> Any:
    ids = ids if ids is not None else count()
    if isinstance(condition, Leaf):
        return _pattern(condition, ids)
    parts = [compile_condition(part, ids) for part in condition.parts]
    return AND(*parts) if isinstance(condition, All) else OR(*parts)


Action = Callable[[KnowledgeEngine, Rule, dict[str, Any]], None]


class CompiledEngine(KnowledgeEngine):
    """A KnowledgeEngine whose deffacts are looked up once, not on every reset.

    experta finds deffacts with `inspect.getmembers` over the engine at each `reset()`, a
    scan of every rule; the compiled classes never change, so the answer is kept.
    """

    def get_deffacts(self) -> list[Any]:
        deffacts = self.__dict__.get("_deffacts")
        if deffacts is None:
            deffacts = self.__dict__["_deffacts"] = super().get_deffacts()
        return deffacts


def build_engine_class(rules: tuple[Rule, ...], action: Action, name: str = "CompiledRules",
                       linear: bool = True) -> type:
    """A KnowledgeEngine subclass with one experta rule per knowledge-base rule.

    `linear=False` gives experta's stock engine and matcher (the benchmark's bare floor).
    """
    base: type = CompiledEngine if linear else KnowledgeEngine
    members: dict[str, Any] = {"__matcher__": LinearReteMatcher} if linear else {}
    for index, rule in enumerate(rules):
        members[f"rule_{index:05d}"] = ExpertaRule(compile_condition(rule.condition),
                                                   salience=salience(rule))(_rhs(rule, action))
    return type(name, (base,), members)


def _rhs(rule: Rule, action: Action) -> Callable[..., None]:
    def fire(engine: KnowledgeEngine, *_: Any, **bindings: Any) -> None:
        action(engine, rule, bindings)
    return fire


def matched_facts(bindings: dict[str, Any]) -> list[Any]:
    """The Datum objects an activation matched, in condition order."""
    keyed = [(int(k[len(BINDING_PREFIX):]), v) for k, v in bindings.items()
             if k.startswith(BINDING_PREFIX) and k[len(BINDING_PREFIX):].isdigit()]
    return [v for _, v in sorted(keyed, key=lambda kv: kv[0])]
