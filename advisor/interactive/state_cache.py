"""The planner's first state of a rule base, kept on disk beside the knowledge cache.

The first step of an interview works out every rule's state from nothing (rule_states.py). That
state depends only on the knowledge, the planner's code and weights, its settings (focus, facts
withheld) and the empty consultation, so it is worked out once and kept as JSON in the cache
folder, read and written under the knowledge cache's checks (knowledge/cache.py: a private folder
and file, never code). The file is named by a hash of all of these; its first line is the digest
of the rest (the knowledge cache's BLAKE2b), and every name, number and type is checked as it is
read (RuleStates.restore).
A missing, stale, damaged or foreign file is worked out again and rewritten. Only the rules' states
and each fact's worth are kept, numbered and a column at a time (RuleStates.export: rules and facts
by their place, so reading it back is a few passes in C; equal ways, answers and required facts
kept once; 0.24 MB at 3,000 rules, was 1.7 MB by name), each column packed as the base64 text of
its numbers' bytes (_packed: no JSON number parsed): what each fact's readers and tables are is
worked out from the states, so nothing is trusted that was not checked.

Used only for a rule base that came through the knowledge cache (its digest is then known for
free); one built in memory (tests, bench/synthetic.py without a folder) is worked out as before.
"""

from __future__ import annotations

import base64
import json
import sys
from array import array
from collections.abc import Callable, Mapping
from math import isfinite
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.engine.results import Consultation
from advisor.engine.settling import Settling
from advisor.interactive import rule_states
from advisor.interactive.rule_states import RuleStates
from advisor.knowledge import KnowledgeBase, conditions
from advisor.knowledge.cache import digest_of, read_sibling, store_sibling

if TYPE_CHECKING:
    from advisor.interactive.planner import Planner

FORMAT = 5  # 3: numbered columns (rule_states.RuleStates.export); 4: each column packed (_packed);
# 5: equal ways, answers and required facts kept once (a table each, rules naming their entry)
PREFIX = "planner-"
Statics = tuple[frozenset[str], dict[str, float]]  # yes-only facts, each decision's weight

_code: list[str] = []


def _code_digest() -> str:
    """The planner code a state depends on (edited code is a new file name), worked out once."""
    if not _code:
        from advisor.interactive import planner

        texts = [Path(module.__file__ or "").read_bytes() + b"\0" for module in (planner, rule_states, conditions)]
        _code.append(digest_of(b"".join(texts) + Path(__file__).read_bytes()))
    return _code[0]


def file_name(planner: Planner, consultation: Consultation, settling: Settling) -> str | None:
    """The cache file of this planner's first state, or None when its rule base has no known digest."""
    knowledge_digest = planner.knowledge.__dict__.get("_content_digest")
    if not isinstance(knowledge_digest, str):
        return None
    weights = (rule_states.WARNING_WEIGHT, rule_states.CLOSING_WEIGHT, rule_states.COLD, rule_states.GATE_WEIGHT)
    base = digest_of(f"{FORMAT}|{knowledge_digest}|{_code_digest()}|{weights!r}".encode())[:20]
    focus, withheld = planner._setting
    # The empty consultation as the engine gives it now: an engine that concludes otherwise is a new file.
    setting = digest_of(repr(((focus, sorted(withheld)),
                              sorted((n, repr(v)) for n, v in consultation.values.items()),
                              sorted((f.rule_id, f.name, repr(f.value), f.status) for f in consultation.fired),
                              [(r.decision, r.choice) for r in consultation.recommendations],
                              sorted(settling.moot), sorted(settling.set_aside_rules))).encode())
    return f"{PREFIX}{base}-{setting[:20]}.json"


def load(name: str, knowledge: KnowledgeBase) -> tuple[Statics, dict[str, Any]] | None:
    """The statics and the exported state in the file, or None when missing or damaged (checked
    against its digest line and the rule base; the state itself is checked by restore)."""
    raw = read_sibling(name)
    if raw is None:
        return None
    try:
        digest, _, payload = raw.partition(b"\n")
        if digest_of(payload).encode() != digest:
            return None
        data = json.loads(payload, parse_constant=_refuse_constant)
        if type(data) is not dict or data.get("format") != FORMAT:
            return None
        return _statics(data, knowledge), _unpacked(data["state"])
    except (ValueError, KeyError, TypeError, RecursionError, UnicodeDecodeError):
        return None


def store(name: str, statics: Statics, states: RuleStates) -> None:
    yes_only, weights = statics
    try:
        state = _packed(states.export())
    except (ValueError, OverflowError):  # a state the numbered form cannot hold as it is: worked out in each process
        return
    payload = json.dumps({"format": FORMAT, "yes_only": sorted(yes_only), "weights": weights,
                          "state": state}, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    digest = digest_of(payload.encode("utf-8"))
    store_sibling(name, digest + "\n" + payload, _other_base(name))


def _packed(state: dict[str, Any]) -> dict[str, Any]:
    """Each column as one text: its numbers' type code (array module: whole numbers of 1, 2, 4 or 8
    bytes, the fewest that hold them; doubles) then their bytes, little-endian, in base64. Read back
    in C (_unpacked), where JSON lists of ~100,000 numbers took ~10 ms to parse at 3,000 rules."""
    packed = dict(state)
    for key, code in rule_states.COLUMN_CODES.items():
        values = state[key]
        if code == "q":
            low, high = (min(values), max(values)) if values else (0, 0)
            code = next(c for c in _WHOLE if -(1 << (8 * _WHOLE[c] - 1)) <= low and high < 1 << (8 * _WHOLE[c] - 1))
        column = array(code, values)
        if sys.byteorder == "big":
            column.byteswap()
        packed[key] = code + base64.b64encode(column.tobytes()).decode("ascii")
    return packed


_WHOLE = {"b": 1, "h": 2, "i": 4, "q": 8}  # type code -> bytes (OverflowError beyond: not kept)


def _unpacked(state: Mapping[str, Any]) -> dict[str, Any]:
    """The columns as arrays (ValueError: not a column's text or not whole numbers of bytes); what the
    numbers are is checked by RuleStates.restore."""
    if type(state) is not dict:
        raise ValueError("state")
    unpacked = dict(state)
    for key, kind in rule_states.COLUMN_CODES.items():
        text = state.get(key)
        if text is None:
            continue  # restore refuses a state without every column
        if type(text) is not str or not text or text[0] not in (_WHOLE if kind == "q" else "d"):
            raise ValueError(key)
        raw = base64.b64decode(text[1:].encode("ascii"), validate=True)
        column = array(text[0])
        if len(raw) % column.itemsize or column.itemsize != (8 if kind == "d" else _WHOLE[text[0]]):
            raise ValueError(key)
        column.frombytes(raw)
        if sys.byteorder == "big":
            column.byteswap()
        unpacked[key] = column
    return unpacked


def _other_base(name: str) -> Callable[[str], bool]:
    """Files of another rule base or planner code: stale. (Other settings of this one are kept.)"""
    base = name[:len(PREFIX) + 20]
    return lambda other: other.startswith(PREFIX) and other.endswith(".json") and not other.startswith(base)


def _statics(data: dict[str, Any], knowledge: KnowledgeBase) -> Statics:
    vocabulary = knowledge.vocabulary
    bools = {f.name for f in vocabulary.input_facts if f.type == "bool"}
    yes_only, weights = data["yes_only"], data["weights"]
    if type(yes_only) is not list or not all(isinstance(n, str) and n in bools for n in yes_only):
        raise ValueError("yes-only facts")
    decisions = [d.name for d in vocabulary.decisions]
    if type(weights) is not dict or sorted(weights) != sorted(decisions) or \
            not all(type(w) is float and isfinite(w) and w >= 1 for w in weights.values()):
        raise ValueError("weights")
    return frozenset(yes_only), {d: weights[d] for d in decisions}


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")
