"""The planner's first state kept on disk (advisor/interactive/state_cache.py): read back the same,
worked out again when missing, damaged or not the user's own, never used for an unknown rule base."""

from __future__ import annotations

import base64
import json
import os
import sys
from array import array
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import DEEP

from advisor.engine.advisor import Advisor
from advisor.interactive import rule_states
from advisor.interactive.planner import Planner
from advisor.knowledge.cache import digest_of

FIELDS = ("states", "in_target", "worth")  # each fact's tables are worked out from the states when first needed


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(folder))
    monkeypatch.delenv("ADVISOR_NO_CACHE", raising=False)
    return folder


def fresh_planner(knowledge, **settings: Any) -> Planner:
    """A planner of a new Advisor: nothing of the process's first states is reused."""
    return Planner(Advisor(knowledge), **settings)


def first_state(planner: Planner) -> rule_states.RuleStates:
    planner.plan({})
    return planner._memo[planner._setting]


def interview(planner: Planner) -> list[tuple[str, ...]]:
    """Every plan's questions (with worth and readers) while answering the first value of each."""
    answers: dict[str, Any] = {}
    asked = []
    while (plan := planner.plan(answers)).next is not None:
        asked.append(tuple(f"{q.fact.name}:{q.worth}:{q.rules}" for q in plan.questions))
        for question in plan.batch:
            spec = question.fact
            answers[spec.name] = {"bool": True, "choice": next(iter(spec.values or ()), None)}.get(spec.type)
    return asked


@pytest.fixture(scope="module")
def interview_worked_out(knowledge) -> list[tuple[str, ...]]:
    """The interview of a planner that keeps nothing on disk: the same for every test here (one
    knowledge base, the same answers), so worked out once."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setenv("ADVISOR_NO_CACHE", "1")
        return interview(fresh_planner(knowledge))


def the_file(cache: Path) -> Path:
    [found] = cache.glob("planner-*.json")
    return found


def rewrite(path: Path, change, sign: bool = True, packed: bool = False) -> None:
    """Change the file's data and sign it again, as only someone who can write the folder could. The
    change sees each column as a list of numbers (unless `packed`: as the file holds it); a list whose
    numbers are all of its column's type is packed again, any other is written as it is."""
    digest, _, payload = path.read_bytes().partition(b"\n")
    data = json.loads(payload)
    state = data.get("state") if isinstance(data, dict) else None
    columns = {} if packed or not isinstance(state, dict) else rule_states.COLUMN_CODES
    for key in columns:
        text = state[key]
        state[key] = array(text[0], base64.b64decode(text[1:])).tolist()  # this machine is little-endian
    change(data)
    for key, kind in columns.items():
        values = state.get(key)
        if isinstance(values, list) and all(type(v) is (float if kind == "d" else int) for v in values):
            state[key] = kind + base64.b64encode(array(kind, values).tobytes()).decode()
    payload = json.dumps(data, separators=(",", ":")).encode()
    path.write_bytes((digest_of(payload).encode() if sign else digest) + b"\n" + payload)


def test_the_first_state_is_kept_and_read_back_as_worked_out(cache, knowledge, monkeypatch):
    built = first_state(fresh_planner(knowledge))
    assert the_file(cache).stat().st_mode & 0o077 == 0
    worked_out = []
    monkeypatch.setattr(rule_states.RuleStates, "_work_out", lambda self, rule: worked_out.append(rule))
    read = first_state(fresh_planner(knowledge))
    assert not worked_out, "read back, not worked out"
    for name in FIELDS:
        assert getattr(read, name) == getattr(built, name), name
    assert read.export() == built.export()
    for name in built.readers.keys() | read.shared["waiting"].keys():  # each fact's readers, taken when needed
        read._fill(name)
        assert (read.readers.get(name) or set()) == (built.readers.get(name) or set()), name


def test_an_interview_from_the_kept_state_asks_what_one_worked_out_asks(cache, knowledge, interview_worked_out):
    first_state(fresh_planner(knowledge))  # kept
    from_disk = interview(fresh_planner(knowledge))
    assert from_disk == interview_worked_out
    assert len(from_disk) > 5


def test_each_setting_has_its_own_file(cache, knowledge):
    first_state(fresh_planner(knowledge))
    first_state(fresh_planner(knowledge, existing=True))
    assert len(list(cache.glob("planner-*.json"))) == 2


def tamper_worth(knowledge, fact: str):
    """A change of valid types and numbers: the fact's worth made the lowest."""
    at = [f.name for f in knowledge.vocabulary.input_facts].index(fact)
    return lambda data: data["state"]["worth"].__setitem__(at, 1e-9)


def test_a_signed_file_of_valid_names_and_types_is_trusted_from_a_private_folder(cache, knowledge):
    """What the two tests below refuse would otherwise change the plan: this is the control."""
    honest = fresh_planner(knowledge).plan({}).next.fact.name
    rewrite(the_file(cache), tamper_worth(knowledge, honest))
    assert fresh_planner(knowledge).plan({}).next.fact.name != honest


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="owner bits")
def test_a_file_others_can_write_is_not_read(cache, knowledge):
    honest = fresh_planner(knowledge).plan({}).next.fact.name
    rewrite(the_file(cache), tamper_worth(knowledge, honest))
    the_file(cache).chmod(0o666)
    assert fresh_planner(knowledge).plan({}).next.fact.name == honest


def a_state(change):
    """Change the columns of an open rule waiting on the most facts (answers among them), signed again:
    `change(state, rule, entry, first_way, first_answer)` gets the rule's number, its ways' entry in
    their table and where that entry's ways and the rule's answers start in their columns."""
    def edit(data: dict[str, Any]) -> None:
        state = data["state"]
        entry_of = state["ways_ref"]
        rule = max((i for i, flag in enumerate(state["flags"])
                    if flag & 1 and state["answers_len"][state["answers_ref"][i]]),
                   key=lambda i: state["ways_len"][entry_of[i]])
        entry = entry_of[rule]
        change(state, rule, entry, sum(state["ways_len"][:entry]),
               sum(state["answers_len"][:state["answers_ref"][rule]]))
    return lambda path: rewrite(path, edit)


def no_ways(state, rule, entry, way, _answer):
    """The rule stays open but waits on nothing (its ways' entry emptied in both columns)."""
    count = state["ways_len"][entry]
    del state["ways_fact"][way:way + count], state["ways_cost"][way:way + count]
    state["ways_len"][entry] = 0


def first_worth(data: dict[str, Any]) -> int:
    return next(i for i, worth in enumerate(data["state"]["worth"]) if worth is not None)


# Damage whose interview is followed to its end in every run (one of each way a file is refused:
# unreadable, unsigned, a column refused as read, a packed column refused); CI (DEEP) follows all.
WHOLE_INTERVIEW = ("truncated", "digest", "way-count", "column-cut")


@pytest.mark.parametrize("damage", [
    lambda path: path.write_bytes(path.read_bytes()[:-40]),                      # cut short
    lambda path: rewrite(path, lambda d: d["state"]["worth"].__setitem__(first_worth(d), 9.5),
                         sign=False),                                            # not its digest
    lambda path: rewrite(path, lambda d: d["state"]["flags"].append(1)),         # a rule too many
    lambda path: rewrite(path, lambda d: d["state"]["flags"].pop()),             # a rule missing
    lambda path: rewrite(path, lambda d: d["state"]["worth"].append(1.0)),       # a fact too many
    lambda path: rewrite(path, lambda d: d["state"]["weight"].__setitem__(0, "high")),  # a weight as text
    lambda path: rewrite(path, lambda d: d.__setitem__("weights", {})),
    lambda path: rewrite(path, lambda d: d.__setitem__("yes_only", ["no_such_fact"])),
    lambda path: path.write_bytes(b"[]"),
    lambda path: rewrite(path, lambda d: d["state"]["worth"].__setitem__(first_worth(d), None)),  # a worth missing
    lambda path: rewrite(path, lambda d: d["state"].pop("required_len")),        # a column missing
    lambda path: rewrite(path, lambda d: d["state"]["flags"].__setitem__(0, 4)),  # not a flag
    lambda path: rewrite(path, lambda d: d["state"]["flags"].__setitem__(0, True)),  # a flag not a number
    a_state(lambda s, rule, entry, way, answer: s["ways_cost"].__setitem__(way, 0)),  # a way of no answers
    a_state(lambda s, rule, entry, way, answer: s["ways_fact"].__setitem__(way, 10**6)),  # through no fact
    a_state(lambda s, rule, entry, way, answer: s["ways_len"].__setitem__(entry, s["ways_len"][entry] + 1)),
    a_state(no_ways),                                                                # open, waiting on nothing
    a_state(lambda s, rule, entry, way, answer: s["answers_mask"].__setitem__(answer, 1 << 40)),  # no answer
    a_state(lambda s, rule, entry, way, answer: s["reach"].__setitem__(rule, 1)),     # a reach not a float
    lambda path: rewrite(path, lambda d: d["state"].__setitem__("flags", [0] * 3), packed=True),  # a JSON list
    lambda path: rewrite(path, lambda d: d["state"].__setitem__("ways_cost", d["state"]["ways_cost"][:-2]),
                         packed=True),                                           # a column's base64 cut short
    lambda path: rewrite(path, lambda d: d["state"].__setitem__("weight", "q" + d["state"]["weight"][1:]),
                         packed=True),                                           # weights read as whole numbers
    lambda path: rewrite(path, lambda d: d["state"].__setitem__("flags", "x" + d["state"]["flags"][1:]),
                         packed=True),                                           # no such type code
    a_state(lambda s, rule, entry, way, answer: s["reach"].__setitem__(rule, float("inf"))),  # not finite
    a_state(lambda s, rule, entry, way, answer: s["ways_ref"].__setitem__(rule, len(s["ways_len"]))),  # no entry
    a_state(lambda s, rule, entry, way, answer: s["answers_ref"].__setitem__(rule, -1)),  # answers of no entry
    a_state(lambda s, rule, entry, way, answer: s["required_len"].extend([0] * len(s["flags"]))),  # a table too long
], ids=["truncated", "digest", "extra-rule", "missing-rule", "extra-fact", "weight-type", "weights", "yes-only",
        "not-json", "worth-missing", "column-missing", "flag-range", "flag-type", "way-of-none",
        "way-unknown-fact", "way-count", "open-no-ways", "not-an-answer", "reach-type", "column-as-list",
        "column-cut", "column-type-code", "column-no-code", "reach-infinite", "ways-entry-unknown",
        "answers-entry-negative", "table-too-long"])
@pytest.mark.skipif(sys.byteorder != "little", reason="the damage is written little-endian, as the file is")
def test_a_damaged_file_is_worked_out_again_and_rewritten(cache, knowledge, damage, interview_worked_out, request):
    """Each fact's readers are worked out from the rules' states, and those are checked column by
    column as they are read: the interview asks what one worked out from nothing asks."""
    built = first_state(fresh_planner(knowledge))
    kept = the_file(cache).read_bytes()
    damage(the_file(cache))
    assert the_file(cache).read_bytes() != kept
    planner = fresh_planner(knowledge)
    if DEEP or request.node.callspec.id in WHOLE_INTERVIEW:
        assert interview(planner) == interview_worked_out
    else:
        # The file rewritten (below) proves this damage was found; what follows is the same
        # working out for every kind of damage, which the kinds above follow to the interview's end.
        first = planner.plan({})
        assert [f"{q.fact.name}:{q.worth}:{q.rules}" for q in first.questions] == list(interview_worked_out[0])
    assert the_file(cache).read_bytes() == kept, "rewritten"
    assert first_state(fresh_planner(knowledge)).export() == built.export()


def test_a_rule_base_without_a_known_digest_keeps_nothing(cache, knowledge):
    """Built in memory (no knowledge cache behind it): hashing it would cost more than it saves."""
    in_memory = replace(knowledge, rules=knowledge.rules[:-1])
    assert "_content_digest" not in in_memory.__dict__
    first_state(fresh_planner(in_memory))
    assert not list(cache.glob("planner-*.json")) if cache.exists() else True


def test_nothing_is_kept_when_the_cache_is_off(cache, knowledge, monkeypatch):
    monkeypatch.setenv("ADVISOR_NO_CACHE", "1")
    first_state(fresh_planner(knowledge))
    assert not cache.exists() or not list(cache.glob("planner-*.json"))
