"""Compile a rule base into an experta engine class: the advisor's (each rule carries its own
condition, read by the counting matcher) or experta's stock Rete engine (conditions compiled
into experta patterns). Nothing in a rule is ever eval'd."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from itertools import count
from typing import Any

from experta import AND, AS, MATCH, OR, TEST, KnowledgeEngine, P
from experta import Rule as ExpertaRule
from experta.agenda import Agenda
from experta.deffacts import DefFacts

from advisor.engine.agenda import SalienceStrategy, salience
from advisor.engine.matcher import CountingMatcher
from advisor.engine.memory import BINDING_PREFIX, WorkingMemory, binding_keys, datum_class, fact_to_fact, value_test
from advisor.knowledge.conditions import All, Condition, FactRef, Leaf
from advisor.knowledge.rules import Rule


def _fact_to_fact_test(op: str, times: float, left: str, right: str) -> Callable[..., bool]:
    compare = fact_to_fact(op, times)

    def test(**values: Any) -> bool:
        return compare(values[left], values[right])
    # experta passes a TEST only the bound names its signature declares.
    test.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY) for n in (left, right)])
    return test


def _pattern(leaf: Leaf, ids: count[int]) -> Any:
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
    return binding << datum_class(leaf.subject)(value=P(value_test(leaf.op, leaf.operand)))


def compile_condition(condition: Condition, ids: count[int] | None = None) -> Any:
    ids = ids if ids is not None else count()
    if isinstance(condition, Leaf):
        return _pattern(condition, ids)
    parts = [compile_condition(part, ids) for part in condition.parts]
    return AND(*parts) if isinstance(condition, All) else OR(*parts)


_NO_CHANGES: tuple[tuple[Any, ...], tuple[Any, ...]] = ((), ())  # no activations added or removed

Action = Callable[[KnowledgeEngine, Rule, Sequence[Any]], None]  # engine, rule, matched facts (in condition order)


class CompiledEngine(KnowledgeEngine):
    """A KnowledgeEngine that finds its rules and deffacts without scanning itself.

    experta finds both with `inspect.getmembers` over the engine (deffacts at every
    `reset()`), a sorted scan of every member; the compiled class knows its rule names, and
    its deffacts never change, so the answers are kept. Its `reset` is experta's for a rule
    base whose deffacts take no arguments (the compiled one's: experta's initial fact).
    """

    _rule_names: tuple[str, ...] = ()

    def get_rules(self) -> list[Any]:
        rules = [getattr(self, name) for name in self._rule_names]  # getattr binds each to this engine
        for rule in rules:
            rule.ke = self  # as experta's own lookup does
        return rules

    def get_activations(self) -> Any:
        # experta asks after every firing; most firings declare nothing, and then neither the
        # fact list's change lists (two new lists a call) nor the matcher have anything to say.
        facts = self.facts
        if facts.added or facts.removed:
            return self.matcher.changes(*facts.changes)
        return _NO_CHANGES

    def get_deffacts(self) -> list[Any]:
        deffacts: list[Any] | None = self.__dict__.get("_deffacts")
        if deffacts is None:
            # experta's answer (getmembers: every member bound, by name; then by order) from the few
            # names that hold deffacts, not a getattr of each of thousands of rules: the first
            # consultation of a process paid ~0.5 ms at 430 rules, ~3 ms at 3,000.
            found = []
            for name in _deffacts_names(type(self)):
                member = getattr(self, name)
                if isinstance(member, DefFacts):
                    member.ke = self
                    found.append(member)
            deffacts = self.__dict__["_deffacts"] = sorted(found, key=lambda d: d.order)
        return deffacts

    def reset(self, **kwargs: Any) -> None:
        """What experta's reset does (a new agenda and fact list, the matcher reset, the
        deffacts' facts declared), with two costs a consultation paid twice taken out:
        experta reads each deffacts' signature (`inspect.signature`) to pick the keywords to
        pass it, and without keywords there is nothing to pick; and its fact list builds a
        frozenset to identify each fact, which the working memory reads from the datum
        (memory.WorkingMemory)."""
        if kwargs:
            super().reset(**kwargs)
            return
        self.agenda = Agenda()
        self.facts = WorkingMemory()
        self.matcher.reset()
        # experta's private declare, as its reset calls it (its public one warns on an empty fact list)
        self._KnowledgeEngine__declare(*(fact for deffacts in self.get_deffacts() for fact in deffacts()))
        self.running = False


def _deffacts_names(cls: type) -> list[str]:
    """The names under which `cls` or a base defines deffacts, sorted (kept on the class)."""
    names: list[str] | None = cls.__dict__.get("_deffacts_names")
    if names is None:
        names = sorted({name for klass in cls.__mro__ for name, member in vars(klass).items()
                        if isinstance(member, DefFacts)})
        setattr(cls, "_deffacts_names", names)  # noqa: B010 - on this class only, not inherited as found
    return names


def build_engine_class(rules: tuple[Rule, ...], action: Action, name: str = "CompiledRules",
                       linear: bool = True) -> type:
    """A KnowledgeEngine subclass with one experta rule per knowledge-base rule.

    `linear=True` (the advisor's engine): the counting matcher, which reads each rule's own
    condition, and the salience agenda; an experta Rule there carries its salience and the
    rule it stands for, and fires the action itself. `linear=False` gives experta's stock
    engine, Rete matcher and strategy, on patterns compiled from each condition, with an RHS
    that passes the facts Rete bound (the benchmark's bare floor, and the reference the
    matcher's tests compare with).
    """
    base: type = CompiledEngine if linear else KnowledgeEngine
    members: dict[str, Any] = {"__matcher__": CountingMatcher, "__strategy__": SalienceStrategy} if linear else {}
    for index, rule in enumerate(rules):
        if linear:
            compiled: Any = _MatchedRule.made(salience(rule), rule, action)
        else:
            compiled = ExpertaRule(compile_condition(rule.condition), salience=salience(rule))(_rhs(rule, action))
        members[f"rule_{index:05d}"] = compiled
    if linear:
        members["_rule_names"] = tuple(k for k in members if k.startswith("rule_"))
    return type(name, (base,), members)


class _MatchedRule(ExpertaRule):
    """An experta Rule of the counting matcher's engine. experta fires a rule by calling it
    with the engine and the activation's context (here `matched` alone); this one passes them
    straight to the action, rather than through the generic wrapper (which filters the
    keywords, then calls the RHS, which would call the action): one call per firing, not
    three. What experta decorated it with (`_decoration_target`) is never called."""

    advisor_rule: Rule
    action: Action

    @classmethod
    def made(cls, salience: int, rule: Rule, action: Action) -> _MatchedRule:
        """The rule for `rule`, as decorating `_decoration_target()` with it would make it, without
        experta's decorating call (it reads the target's signature and copies its attributes: a
        third of building the engine, and `__call__` below never calls the target). What experta
        reads of a rule is set: the target (`_wrapped`, which it compares and hashes by) and its
        name (its run loop's log line)."""
        compiled = cls(salience=salience)
        target = _decoration_target()
        compiled._wrapped = target
        compiled.__name__ = target.__name__
        compiled.advisor_rule = rule  # what the counting matcher reads
        compiled.action = action
        return compiled

    def __call__(self, engine: Any, *args: Any, matched: Any = None, **kwargs: Any) -> Any:
        if self._wrapped is None:  # experta decorating the rule
            return super().__call__(engine, *args, **kwargs)
        return self.action(engine, self.advisor_rule, matched)


# experta inspects each RHS's signature when the rule is made (to filter what it passes);
# every RHS has this one, so it is given rather than worked out from the code each time.
_RHS_SIGNATURE = inspect.Signature([
    inspect.Parameter("engine", inspect.Parameter.POSITIONAL_OR_KEYWORD),
    inspect.Parameter("_", inspect.Parameter.VAR_POSITIONAL),
    inspect.Parameter("bindings", inspect.Parameter.VAR_KEYWORD),
])


def _decoration_target() -> Callable[..., None]:
    """A function for experta to decorate a `_MatchedRule` with; one per rule, because
    experta's Rule compares and hashes by it (`_wrapped`) and its conditions (none here)."""
    def never_called(engine: KnowledgeEngine, *_: Any, **__: Any) -> None:
        """experta never calls this: `_MatchedRule.__call__` fires the rule's action itself."""
        raise AssertionError("a _MatchedRule's decoration target was called")
    never_called.__signature__ = _RHS_SIGNATURE  # type: ignore[attr-defined]
    return never_called


def _rhs(rule: Rule, action: Action) -> Callable[..., None]:
    """The RHS of a rule of experta's stock (Rete) engine."""
    keys = binding_keys(rule.condition)

    def fire(engine: KnowledgeEngine, *_: Any, **bindings: Any) -> None:
        # experta's Rete binds f0, f1, ...; an `any` branch binds only its own facts
        action(engine, rule, [bindings[k] for k in keys if k in bindings])
    fire.__signature__ = _RHS_SIGNATURE  # type: ignore[attr-defined]
    return fire
