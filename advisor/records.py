"""Dataclasses made without compiling source when their module is imported.

`dataclasses.dataclass` writes a class's __init__, __repr__, __eq__, __hash__ and, frozen,
__setattr__ and __delattr__ as Python source and compiles each (an `exec` apiece): ~1.3 ms a
frozen class, ~17 ms of every cold start over the 26 a consultation imports (knowledge,
results, scenario, report). `record` makes the same class: still a dataclass
(`dataclasses.fields`, `replace`, `asdict` and `is_dataclass` work on it), compared, hashed,
printed and frozen as `dataclass` would do it, with those methods closures over its field
names, and its __init__ compiled when the COMPILE_AFTER-th instance is made (the ones before set
their fields in a loop): the classes the knowledge cache fills (advisor/knowledge/cache.py sets
their fields directly), and those made a few times a process, never pay for one.
Supported: frozen, slots, field defaults and default factories, init/repr/compare/hash per
field, __post_init__; not InitVar or keyword-only fields (a TypeError says so).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T", bound=type)

_MISSING = dataclasses.MISSING
_METHODS = ("__init__", "__repr__", "__eq__", "__setattr__", "__delattr__")


@overload
def record(cls: T, /) -> T: ...
@overload
def record(*, frozen: bool = False, slots: bool = False) -> Callable[[T], T]: ...
@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: T | None = None, /, *, frozen: bool = False, slots: bool = False) -> T | Callable[[T], T]:
    """`@dataclass`, `@dataclass(frozen=True)`, `@dataclass(slots=True)`, made as above."""
    def make(cls: T) -> T:
        made: T = _make(cls, frozen, slots)
        return made
    return make if cls is None else make(cls)


def _make(cls: Any, frozen: bool, slots: bool) -> Any:
    own = cls.__dict__
    class_hash = own.get("__hash__", _MISSING)
    explicit_hash = not (class_hash is _MISSING or (class_hash is None and "__eq__" in own))
    defined = {name for name in _METHODS if name in own}
    if frozen and defined & {"__setattr__", "__delattr__"}:
        raise TypeError(f"{cls.__name__}: a frozen record cannot define __setattr__ or __delattr__")
    # The dataclass machinery without the methods it would compile (none of these flags does).
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=slots)
    fields = dataclasses.fields(cls)
    pseudo = [f for f in cls.__dataclass_fields__.values() if f not in fields and "InitVar" in str(f.type)]
    if pseudo or any(f.kw_only for f in fields):
        raise TypeError(f"{cls.__name__}: record supports neither InitVar nor keyword-only fields")
    _check_default_order(cls, fields)
    if "__init__" not in defined:
        cls.__init__ = _first_init(cls, fields, frozen)
    if "__repr__" not in defined:
        cls.__repr__ = _repr([f.name for f in fields if f.repr])
    compared = _values([f.name for f in fields if f.compare])
    if "__eq__" not in defined:
        cls.__eq__ = _eq(compared)
    if not explicit_hash:
        if frozen:
            cls.__hash__ = _hash(_values([f.name for f in fields if (f.compare if f.hash is None else f.hash)]))
        else:
            cls.__hash__ = None  # equal by value yet mutable: unhashable, as a dataclass is
    if frozen:
        names = frozenset(f.name for f in fields)
        cls.__setattr__, cls.__delattr__ = _frozen(cls, names)
        if slots:  # what dataclass adds so that pickle and copy can restore a frozen slotted one
            cls.__getstate__, cls.__setstate__ = _slot_state(fields)
    return cls


def _check_default_order(cls: Any, fields: tuple[dataclasses.Field[Any], ...]) -> None:
    seen_default = False
    for f in fields:
        if not f.init:
            continue
        has_default = f.default is not _MISSING or f.default_factory is not _MISSING
        if seen_default and not has_default:
            raise TypeError(f"{cls.__name__}: non-default argument {f.name!r} follows default argument")
        seen_default = seen_default or has_default


def _values(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The instance's values of `names` as a tuple (attrgetter of one name gives it bare)."""
    if len(names) >= 2:
        return attrgetter(*names)
    if names:
        name = names[0]
        return lambda self: (getattr(self, name),)
    return lambda self: ()


def _repr(names: list[str]) -> Callable[[Any], str]:
    @recursive_repr()
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"
    return __repr__


def _eq(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented
    return __eq__


def _hash(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(values(self))
    return __hash__


def _frozen(cls: Any, names: frozenset[str]) -> tuple[Callable[..., None], Callable[..., None]]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)
    return __setattr__, __delattr__


def _slot_state(fields: tuple[dataclasses.Field[Any], ...]) -> tuple[Callable[..., Any], Callable[..., None]]:
    names = [f.name for f in fields]

    def __getstate__(self: Any) -> list[Any]:
        return [getattr(self, name) for name in names]

    def __setstate__(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=False):
            object.__setattr__(self, name, value)
    return __getstate__, __setstate__


_FACTORY = object()  # a parameter's default that says "call the field's default factory"


# Instances made by the uncompiled __init__ before the compiled one is installed: a class made a
# few times a process (a consultation's result, once per consult; the planner's scope gates) never
# pays for compiling (~0.1-0.2 ms a class), one made often pays once.
COMPILE_AFTER = 16


def _first_init(cls: Any, fields: tuple[dataclasses.Field[Any], ...], frozen: bool) -> Callable[..., None]:
    """An __init__ that sets the fields from positional arguments as the compiled one would, and
    compiles the real one (installing it) at the COMPILE_AFTER-th instance, or at once for keyword
    arguments or a call the compiled one would refuse."""
    steps = [(f.name, f.init, f.default, f.default_factory) for f in fields]
    takes = sum(1 for f in fields if f.init)
    post_init = getattr(cls, "__post_init__", None)
    assign = object.__setattr__ if frozen else setattr
    made = [0]

    def compiled(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _compile_init(cls, fields, frozen)
        cls.__init__ = init
        init(self, *args, **kwargs)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        made[0] += 1
        if kwargs or len(args) > takes or made[0] >= COMPILE_AFTER:
            compiled(self, *args, **kwargs)
            return
        index = 0
        for name, init, default, factory in steps:
            if init and index < len(args):
                value = args[index]
                index += 1
            elif factory is not _MISSING:
                value = factory()
            elif default is not _MISSING:
                value = default
            elif init:  # a missing argument: the compiled one says so
                compiled(self, *args)
                return
            else:
                continue  # init=False without a default: left unset, as dataclass leaves it
            assign(self, name, value)
        if post_init is not None:
            self.__post_init__()
    return __init__


def _compile_init(cls: Any, fields: tuple[dataclasses.Field[Any], ...], frozen: bool) -> Callable[..., None]:
    """The __init__ dataclass would write: each field set in order (through object.__setattr__
    when frozen), defaults and factories as it applies them, then __post_init__ if defined.
    The source is built from the class's own field names, never from data."""
    scope: dict[str, Any] = {"_record_set": object.__setattr__, "_record_factory": _FACTORY}
    parameters, body = ["self"], []
    for f in fields:
        name = f.name
        if f.default_factory is not _MISSING:
            scope[f"_record_make_{name}"] = f.default_factory
            if f.init:
                parameters.append(f"{name}=_record_factory")
                value = f"_record_make_{name}() if {name} is _record_factory else {name}"
            else:
                value = f"_record_make_{name}()"
        elif f.init:
            if f.default is not _MISSING:
                scope[f"_record_default_{name}"] = f.default
                parameters.append(f"{name}=_record_default_{name}")
            else:
                parameters.append(name)
            value = name
        elif f.default is not _MISSING:
            scope[f"_record_default_{name}"] = f.default
            value = f"_record_default_{name}"
        else:
            continue  # init=False without a default: left unset, as dataclass leaves it
        body.append(f"    _record_set(self, {name!r}, {value})" if frozen else f"    self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    source = f"def __init__({', '.join(parameters)}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(source, scope)  # noqa: S102 - our own class's field names, as dataclasses does
    init: Callable[..., None] = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init
