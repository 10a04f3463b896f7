"""`NAME=VALUE` on the command line (`--what-if`, `--why-not`, `--fact`), turned into a
canonical fact value or a decision choice before any command runs."""

from __future__ import annotations

import difflib
from typing import Any

from advisor.errors import AdvisorError
from advisor.knowledge.vocabulary import FactSpec, Vocabulary


def split_assignment(text: str, option: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise AdvisorError(f"{option} takes NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()


def parse_fact_value(spec: FactSpec, raw: str) -> Any:
    """The text of a value, read as the fact's type and checked against the vocabulary."""
    try:
        return spec.read(raw)
    except ValueError as exc:
        said = "one of" in str(exc)  # the message lists the values already: say them once
        raise AdvisorError(f"{spec.name}: {exc}", allowed=None if said else spec.allowed()) from None


def parse_input_fact(text: str, vocabulary: Vocabulary, option: str) -> tuple[str, Any]:
    """`fact=value` for a fact a user states; an empty value means "not known"."""
    name, raw = split_assignment(text, option)
    spec = vocabulary.fact(name)
    if not vocabulary.is_input(name):
        hint = difflib.get_close_matches(name, [f.name for f in vocabulary.input_facts], n=2)
        more = f"; did you mean {' or '.join(hint)}?" if hint else "; see `advisor vocabulary`"
        what = "is concluded by rules and can't be set" if spec is not None else "is not a fact"
        raise AdvisorError(f"{option}: {name!r} {what}{more}")
    if raw == "":
        return name, None
    return name, parse_fact_value(spec, raw)


def parse_conclusion(text: str, vocabulary: Vocabulary, option: str) -> tuple[str, Any]:
    """`decision=choice` (or `derived_fact=value`): something rules conclude."""
    name, raw = split_assignment(text, option)
    decision = vocabulary.decision(name)
    if decision is not None:
        if raw not in decision.choices:
            raise AdvisorError(f"{option}: {name} has no choice {raw!r}", allowed=", ".join(decision.choices))
        return name, raw
    spec = vocabulary.fact(name)
    if spec is not None and spec.derived:
        return name, parse_fact_value(spec, raw)
    names = [d.name for d in vocabulary.decisions] + [f.name for f in vocabulary.facts if f.derived]
    hint = difflib.get_close_matches(name, names, n=2)
    more = f"; did you mean {' or '.join(hint)}?" if hint else ""
    raise AdvisorError(f"{option}: {name!r} is not a decision or a concluded fact{more}",
                       allowed=", ".join(names))

