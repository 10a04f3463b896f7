"""advisor/records.py: a `record` class behaves as the same class made by `dataclass` does."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any

import pytest

from advisor.records import record

made: list[str] = []


def _family(decorate: Any, **flags: Any) -> type:
    """The same class body under `decorate` (record or dataclass) with `flags`."""
    class Sample:
        """A class with every kind of field the advisor's records use."""

        name: str
        value: Any
        tags: list[str] = field(default_factory=list, hash=False)
        weight: float = 1.0
        note: str = field(default="", repr=False, compare=False)
        cached: Any = field(default=None, init=False, repr=False, compare=False)

        def __post_init__(self) -> None:
            made.append(self.name)
    Sample.__qualname__ = "Sample"
    return decorate(**flags)(Sample)


FLAGS = [{}, {"frozen": True}, {"slots": True}, {"frozen": True, "slots": True}]


@pytest.mark.parametrize("flags", FLAGS, ids=lambda f: "-".join(f) or "plain")
def test_a_record_behaves_as_the_dataclass(flags):
    mine, theirs = _family(record, **flags), _family(dataclass, **flags)
    args = [("a", (1, 2), [], 1.0), ("b", None, ["x"], 2.5, "hidden")]
    for given in args:
        ours, stock = mine(*given), theirs(*given)
        assert repr(ours) == repr(stock)
        assert dataclasses.asdict(ours) == dataclasses.asdict(stock)
        assert [f.name for f in dataclasses.fields(ours)] == [f.name for f in dataclasses.fields(stock)]
        assert ours == mine(*given[:4], "other note")  # a compare=False field is not compared
        assert ours != mine("z", *given[1:])
        assert ours.__eq__(stock) is NotImplemented  # another class: never equal
        if flags.get("frozen"):
            assert hash(ours) == hash(stock)
            with pytest.raises(dataclasses.FrozenInstanceError):
                ours.name = "changed"
            with pytest.raises(dataclasses.FrozenInstanceError):
                del ours.value
        else:
            assert mine.__hash__ is None and theirs.__hash__ is None
            ours.name = "changed"
            assert ours.name == "changed"
        changed = dataclasses.replace(ours, weight=9.0)
        assert changed.weight == 9.0 and changed.tags == ours.tags
        # copy goes through __reduce_ex__ as pickle does (a frozen slotted one restores through
        # __setstate__); pickle itself would need the class at module level
        assert copy.copy(ours) == ours and copy.deepcopy(ours) == ours
    assert mine("c", 1).tags is not mine("d", 1).tags  # a fresh default each time
    assert mine("e", 1).cached is None
    made.clear()
    mine("f", 1)
    assert made == ["f"]  # __post_init__ runs
    with pytest.raises(TypeError):
        mine("g")  # a missing argument, as dataclass's __init__ says


def test_field_order_and_unsupported_fields_are_refused_when_the_class_is_made():
    with pytest.raises(TypeError, match="follows default"):
        @record
        class Wrong:
            first: int = 0
            second: int
    with pytest.raises(TypeError, match="keyword-only"):
        @record
        class KeywordOnly:
            first: int = field(kw_only=True)


@pytest.mark.parametrize("flags", FLAGS, ids=lambda f: "-".join(f) or "plain")
def test_instances_made_before_the_init_is_compiled_equal_those_made_after(flags):
    """The first COMPILE_AFTER - 1 instances are made without compiling an __init__: each holds what
    the dataclass's holds (defaults, factories, init=False fields, __post_init__ run once), and what
    the same call makes once the compiled __init__ is installed."""
    from advisor import records

    mine, theirs = _family(record, **flags), _family(dataclass, **flags)
    uncompiled = mine.__init__
    calls = [("a", 1), ("b", None, ["x"]), ("c", 2, [], 2.5, "note"), ("d", 3, ["y"], 0.5)]
    before = []
    for number in range(records.COMPILE_AFTER + len(calls)):
        given = calls[number % len(calls)]
        made.clear()
        ours, stock = mine(*given), theirs(*given)
        assert made == [given[0], given[0]]  # __post_init__ ran once for each
        assert [getattr(ours, f.name) for f in dataclasses.fields(ours)] == \
            [getattr(stock, f.name) for f in dataclasses.fields(stock)]
        assert repr(ours) == repr(stock)
        state = copy.copy(ours).__reduce_ex__(2)[2]  # what the instance itself holds, as copy sees it
        if mine.__init__ is uncompiled:
            before.append(state)
        else:
            assert state == before[number % len(calls)]
    assert len(before) == records.COMPILE_AFTER - 1  # compiled at the COMPILE_AFTER-th instance
    assert mine("e", 1).tags is not mine("f", 1).tags  # a fresh default each time
