"""The rules' condition language: parsed from YAML data, never evaluated as code.

Forms (in a rule's `when`):
  {fact: value}                      equality (a mapping with several keys means all of them)
  {fact: {in: [a, b]}}               membership; also not_in, ne
  {fact: {gt: 3}}                    numeric comparison: gt, ge, lt, le, eq, ne
  {fact: {lt: {fact: other, times: 20}}}   compare with another number fact, scaled
  {fact: {contains_any: [a]}}        list facts: contains_any, contains_none,
                                     contains_only, contains_other_than (contains: a is sugar)
  {all: [...]}, {any: [...]}, {not: {...}}

Logic is three-valued (Kleene): a condition on a fact nobody stated is unknown, and a
rule fires only when its condition is true. Negation is pushed down to the leaves
(`not {a: x}` becomes "a is known and is not x"), so "don't know" never fires a rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Union

from advisor.knowledge.vocabulary import Vocabulary, value_text
from advisor.records import record

COMPLEMENT = {
    "eq": "ne", "ne": "eq", "in": "not_in", "not_in": "in",
    "gt": "le", "le": "gt", "ge": "lt", "lt": "ge",
    "contains_any": "contains_none", "contains_none": "contains_any",
    "contains_only": "contains_other_than", "contains_other_than": "contains_only",
}
OPS_BY_TYPE = {
    "choice": {"eq", "ne", "in", "not_in"},
    "bool": {"eq", "ne"},
    "number": {"eq", "ne", "gt", "ge", "lt", "le"},
    "list": {"contains_any", "contains_none", "contains_only", "contains_other_than"},
}
SYMBOLS = {"eq": "=", "ne": "≠", "gt": ">", "ge": "≥", "lt": "<", "le": "≤"}


@record(frozen=True)
class FactRef:
    """Another number fact, optionally scaled: `{fact: name, times: 20}`."""

    name: str
    times: float = 1.0


@record(frozen=True)
class Leaf:
    """One test on one fact: `subject op operand`."""

    subject: str
    op: str
    operand: Any  # a value, a tuple of values, a number, or a FactRef


@record(frozen=True)
class All:
    """A condition that holds when all of its parts do."""

    parts: tuple[Condition, ...]


@record(frozen=True)
class AnyOf:
    """A condition that holds when any of its parts does."""

    parts: tuple[Condition, ...]


Condition = Union[Leaf, All, AnyOf]

# --- evaluation --------------------------------------------------------------

def leaf_holds(op: str, value: Any, operand: Any) -> bool:
    """Two-valued test of one leaf on a known value (operand already resolved)."""
    held: bool  # the comparisons of Any values are Any to a type checker
    if op == "eq":
        held = value == operand
    elif op == "ne":
        held = value != operand
    elif op == "in":
        held = value in operand
    elif op == "not_in":
        held = value not in operand
    elif op == "gt":
        held = value > operand
    elif op == "ge":
        held = value >= operand
    elif op == "lt":
        held = value < operand
    elif op == "le":
        held = value <= operand
    else:
        return _set_holds(op, set(value), operand)
    return held


def _set_holds(op: str, values: set[Any], operand: Any) -> bool:
    if op == "contains_any":
        return bool(values & set(operand))
    if op == "contains_none":
        return not values & set(operand)
    if op == "contains_only":
        return values <= set(operand)
    if op == "contains_other_than":
        return not values <= set(operand)
    raise ValueError(f"unknown operator {op}")


def evaluate(condition: Condition, lookup: Callable[[str], Any]) -> bool | None:
    """Three-valued truth: True, False, or None when it depends on unknown facts.

    `lookup(name)` returns the value, or raises KeyError when the fact is unknown.
    """
    if isinstance(condition, Leaf):
        try:
            value = lookup(condition.subject)
            operand = condition.operand
            if isinstance(operand, FactRef):
                operand = lookup(operand.name) * operand.times
        except KeyError:
            return None
        return leaf_holds(condition.op, value, operand)
    # Kleene: one false part decides an `all` and one true part an `any`, whatever the rest.
    decisive = not isinstance(condition, All)
    unknown = False
    for part in condition.parts:
        result = evaluate(part, lookup)
        if result is None:
            unknown = True
        elif result == decisive:
            return decisive
    return None if unknown else not decisive


def leaves(condition: Condition) -> Iterator[Leaf]:
    if isinstance(condition, Leaf):
        yield condition
        return
    for part in condition.parts:
        yield from leaves(part)


def subjects(condition: Condition) -> frozenset[str]:
    """Every fact or decision the condition reads."""
    names = set()
    for leaf in leaves(condition):
        names.add(leaf.subject)
        if isinstance(leaf.operand, FactRef):
            names.add(leaf.operand.name)
    return frozenset(names)


# --- plain words -------------------------------------------------------------

COMPARISON_WORDS = {"gt": "above", "ge": "at least", "lt": "below", "le": "at most", "eq": "exactly",
                    "ne": "other than"}


def alternatives_text(values: Any) -> str:
    """`a`, `a or b`, `a, b or c`, each value as rules write it."""
    items = [value_text(v) for v in values]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def describe_leaf(leaf: Leaf, *, needed: bool = False) -> str:
    """One test in words, as a statement ("workload is deep_learning", for `rules show`, lint and
    evaluation), or with `needed` as what a rule needs ("workload to be deep_learning", for why-not)."""
    if needed:
        return _needed(leaf)
    s, op, x = leaf.subject, leaf.op, leaf.operand
    if isinstance(x, FactRef):
        scaled = f"{x.times:g} × {x.name}" if x.times != 1 else x.name
        return f"{s} {SYMBOLS[op]} {scaled}"
    if op in ("eq", "ne") and isinstance(x, bool):
        return f"{s} is {'not ' if op == 'ne' else ''}{str(x).lower()}"
    if op == "eq":
        return f"{s} is {x}" if isinstance(x, str) else f"{s} = {x:g}"
    if op == "ne":
        return f"{s} is not {x}" if isinstance(x, str) else f"{s} ≠ {x:g}"
    if op in SYMBOLS:
        return f"{s} {SYMBOLS[op]} {x:g}"
    return {
        "in": f"{s} is {alternatives_text(x)}",
        "not_in": f"{s} is neither {alternatives_text(x)}" if len(x) > 1 else f"{s} is not {alternatives_text(x)}",
        "contains_any": f"{s} includes {alternatives_text(x)}",
        "contains_none": f"{s} includes none of {alternatives_text(x)}",
        "contains_only": f"{s} uses only {alternatives_text(x)}",
        "contains_other_than": f"{s} includes something other than {alternatives_text(x)}",
    }[op]


def _needed(leaf: Leaf) -> str:
    s, op, x = leaf.subject, leaf.op, leaf.operand
    if isinstance(x, FactRef):
        scaled = f"{x.times:g} × {x.name}" if x.times != 1 else x.name
        return f"{s} to be {COMPARISON_WORDS[op]} {scaled}"
    if op in COMPARISON_WORDS and not isinstance(x, str | bool):
        return f"{s} to be {COMPARISON_WORDS[op]} {value_text(x)}"
    if op == "eq":
        return f"{s} to be {value_text(x)}"
    if op == "ne":
        return f"{s} not to be {value_text(x)}"
    return {
        "in": f"{s} to be {alternatives_text(x)}",
        "not_in": f"{s} to be none of {alternatives_text(x).replace(' or ', ', ')}",
        "contains_only": f"all {s} to be {alternatives_text(x)}",
        "contains_any": f"{s} to include {alternatives_text(x)}",
        "contains_none": f"{s} to include none of {alternatives_text(x).replace(' or ', ', ')}",
        "contains_other_than": f"{s} to include something other than {alternatives_text(x)}",
    }[op]


def describe(condition: Condition) -> str:
    if isinstance(condition, Leaf):
        return describe_leaf(condition)
    joiner = " and " if isinstance(condition, All) else " or "
    inner = [describe(p) if isinstance(p, Leaf) else f"({describe(p)})" for p in condition.parts]
    return joiner.join(inner)


def outline(condition: Condition, indent: str = "") -> list[str]:
    """Multi-line form for `rules show`."""
    if isinstance(condition, Leaf):
        return [indent + describe_leaf(condition)]
    head = "all of:" if isinstance(condition, All) else "any of:"
    lines = [indent + head]
    for part in condition.parts:
        lines.extend(outline(part, indent + "  "))
    return lines


# --- parsing -----------------------------------------------------------------

def negate(condition: Condition) -> Condition:
    """The condition's negation in negation normal form, as `not` parses: a leaf becomes its
    complement (the fact known and failing the test), `all` and `any` swap."""
    if isinstance(condition, Leaf):
        return Leaf(condition.subject, COMPLEMENT[condition.op], condition.operand)
    parts = tuple(negate(p) for p in condition.parts)
    return AnyOf(parts) if isinstance(condition, All) else All(parts)


class ConditionError(ValueError):
    """Raised with a message naming the offending part; the loader adds file and rule."""


def parse(raw: Any, vocabulary: Vocabulary) -> Condition:
    """Parse and validate a `when` block, returning it in negation normal form."""
    return _parse(raw, vocabulary, negated=False)


def _parse(raw: Any, vocabulary: Vocabulary, negated: bool) -> Condition:
    if not isinstance(raw, dict) or not raw:
        raise ConditionError(f"a condition must be a non-empty mapping, got {raw!r}")
    if len(raw) == 1:
        key, body = next(iter(raw.items()))
        if key in ("all", "any"):
            if not isinstance(body, list) or not body:
                raise ConditionError(f"`{key}` needs a non-empty list of conditions")
            parts = tuple(_parse(p, vocabulary, negated) for p in body)
            is_all = (key == "all") != negated
            return All(parts) if is_all else AnyOf(parts)
        if key == "not":
            return _parse(body, vocabulary, not negated)
    parts = tuple(_parse({name: body}, vocabulary, negated) if name in ("all", "any", "not")
                  else _parse_leaf(name, body, vocabulary, negated) for name, body in raw.items())
    if len(parts) == 1:
        return parts[0]
    return AnyOf(parts) if negated else All(parts)


def _subject_type(name: str, vocabulary: Vocabulary) -> tuple[str, tuple[str, ...] | None]:
    fact = vocabulary.fact(name)
    if fact is not None:
        return fact.type, (tuple(fact.values) if fact.values else None)
    decision = vocabulary.decision(name)
    if decision is not None:
        if decision.multiple:
            raise ConditionError(
                f"decision {name!r} can take several choices at once, so conditions cannot test it")
        return "choice", tuple(decision.choices)
    raise ConditionError(f"unknown fact or decision {name!r}")


def _parse_leaf(name: Any, body: Any, vocabulary: Vocabulary, negated: bool) -> Leaf:
    if not isinstance(name, str):
        raise ConditionError(f"condition key {name!r} is not a fact name")
    kind, values = _subject_type(name, vocabulary)
    if isinstance(body, dict):
        if len(body) != 1:
            raise ConditionError(f"{name}: use one operator per condition, got {list(body)}")
        op, operand = next(iter(body.items()))
    else:
        op, operand = "eq", body
    if op == "contains":
        op, operand = "contains_any", [operand]
    if op not in OPS_BY_TYPE[kind]:
        allowed = ", ".join(sorted(OPS_BY_TYPE[kind]))
        raise ConditionError(f"{name}: operator {op!r} does not apply to a {kind} (use {allowed})")
    operand = _check_operand(name, kind, values, op, operand, vocabulary)
    return Leaf(name, COMPLEMENT[op] if negated else op, operand)


def _check_operand(name: str, kind: str, values: tuple[str, ...] | None, op: str,
                   operand: Any, vocabulary: Vocabulary) -> Any:
    if kind == "bool":
        if not isinstance(operand, bool):
            raise ConditionError(f"{name}: {operand!r} is not true or false")
        return operand
    if kind == "number":
        if isinstance(operand, dict):
            ref, times = operand.get("fact"), operand.get("times", 1)
            other = vocabulary.fact(ref) if isinstance(ref, str) else None
            if not isinstance(ref, str) or other is None or other.type != "number" or set(operand) - {"fact", "times"} \
                    or isinstance(times, bool) or not isinstance(times, int | float):
                raise ConditionError(
                    f"{name}: compare with {{fact: <number fact>, times: <number>}}, got {operand!r}")
            return FactRef(ref, float(times))
        if isinstance(operand, bool) or not isinstance(operand, int | float):
            raise ConditionError(f"{name}: {operand!r} is not a number")
        return operand
    many = op in ("in", "not_in") or kind == "list"
    items = operand if many else [operand]
    if not isinstance(items, list) or not items:
        raise ConditionError(f"{name}: {op} needs a non-empty list of values")
    unknown = [v for v in items if v not in (values or ())]
    if unknown:
        raise ConditionError(
            f"{name}: unknown value {unknown[0]!r} (allowed: {', '.join(values or ())})")
    return tuple(items) if many else operand
