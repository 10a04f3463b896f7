"""A cache of the validated knowledge base, so most runs skip YAML parsing and pydantic.

Keyed by a hash of every knowledge file, of the code that builds the knowledge objects,
and of the Python version: any edit to rules/ or to advisor/knowledge rebuilds it.

The cache is data, never code: JSON naming only the knowledge classes below, each rebuilt
through its constructor (nothing is unpickled, nothing imported by name from the file).
Its first line is the BLAKE2b digest of the rest, and every object's fields are checked against
their declared types as it is read: a file damaged into other valid JSON (a priority of
"high", an empty fact list) is rebuilt, never trusted.
And since a changed cache could still change the advice, it is read only from a folder and a
file owned by the current user that no one else can write (the checks ssh makes on its keys);
the folder is created private (0700). A missing, stale, foreign or damaged cache is rebuilt.
Set ADVISOR_CACHE_DIR to move it, or ADVISOR_NO_CACHE=1 to bypass it (advisor/paths.py).
"""

from __future__ import annotations

import dataclasses
import json
import operator
import os
import stat
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from advisor import __version__
from advisor.collector import collector_paused
from advisor.files import make_folders
from advisor.knowledge import base, conditions, guide, rules, scope, vocabulary
from advisor.knowledge.base import KnowledgeBase, build_knowledge, read_sources
from advisor.knowledge.rules import RuleExamples
from advisor.paths import cache_dir, cache_disabled, files_ending

CACHE_FORMAT = 6  # 3: a digest line before the JSON, and every field's type checked on read; 4: scope;
                  # 5: each rule's examples kept as JSON text, decoded when first read; 6: BLAKE2b digests
MAX_CACHE_BYTES = 32 * 1024 * 1024


def _knowledge_classes() -> dict[str, type]:
    """The only classes a cache file can name: the plain dataclasses the knowledge modules
    define (rules.Rule, conditions.Leaf, ...), found here so a new one needs no registration."""
    classes = {}
    for module in (base, conditions, guide, rules, scope, vocabulary):
        short = module.__name__.rsplit(".", 1)[-1]
        for name, obj in vars(module).items():
            if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == module.__name__:
                classes[f"{short}.{name}"] = obj
    return classes


CLASSES = _knowledge_classes()
_NAMES = {cls: name for name, cls in CLASSES.items()}
_FIELDS = {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in CLASSES.items()}


CODE_DIR = Path(__file__).resolve().parent

# BLAKE2b, 256 bits: as strong a digest as SHA-256, and built into CPython, where importing
# hashlib also loads OpenSSL (~3.5 ms of every run's start; hashlib's blake2b is this one).
try:
    from _blake2 import blake2b as _blake2b
except ImportError:  # an interpreter built without it
    from hashlib import blake2b as _blake2b


def digest_of(data: bytes) -> str:
    """The hex digest the cache keeps of `data` (its first line, the report's rule-base hash)."""
    return _blake2b(data, digest_size=32).hexdigest()


def fingerprint(texts: dict[str, str]) -> str:
    digest = _blake2b(f"{CACHE_FORMAT}|{__version__}|{sys.version_info[:2]}".encode(), digest_size=32)
    for name in sorted(texts):
        digest.update(name.encode() + b"\0" + texts[name].encode() + b"\0")
    for module in files_ending(CODE_DIR, ".py"):  # the cached classes may change shape
        digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


# --- the data format ---------------------------------------------------------------------
# A knowledge object is {"$": "module.Class", "v": [field values]}; a tuple {"t": [...]}; a
# frozenset {"f": [...]}; a dict {"d": [[key, value], ...]} (keys keep their type and order);
# lists, text and numbers as JSON. A rule's examples are {"x": "<the JSON of their RuleExamples>"}:
# text, decoded only when something reads them (_StoredExamples).

def encode(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, tuple):
        return {"t": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"d": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, frozenset):
        return {"f": sorted((encode(v) for v in value), key=repr)}
    if isinstance(value, RuleExamples):
        if value.__class__ is _StoredExamples:
            return {"x": value.__dict__["_text"]}  # as read: the same text
        return {"x": _json(_encode_object(value))}
    name = _NAMES.get(type(value))
    if name is not None:
        return _encode_object(value)
    raise TypeError(f"the knowledge cache can't hold a {type(value).__name__}")


def _encode_object(value: Any) -> Any:
    name = _NAMES[type(value)]
    return {"$": name, "v": [encode(getattr(value, f)) for f in _FIELDS[name]]}


def _field_types(cls: type) -> tuple[Any, ...]:
    hints = typing.get_type_hints(cls)
    return tuple(hints[f.name] for f in dataclasses.fields(cls))


def _checker(expected: Any) -> Any:
    """A function telling whether a decoded value has the declared type, built once per field
    (containers checked element by element; nested knowledge objects were checked when built).
    Plain classes are checked by the class's own C-level instance check: a cached run checks
    some 20,000 values, and a Python call for each is a noticeable part of a cold start."""
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if expected is Any:
        return _anything
    if origin is typing.Union or origin is types.UnionType:
        if all(_plain(arg) for arg in args):  # str | None, Leaf | All | AnyOf: one isinstance
            return lambda value: isinstance(value, args)
        options = tuple(_checker(arg) for arg in args)
        return lambda value: any(fits(value) for fits in options)
    if origin is typing.Literal:
        return lambda value: isinstance(value, str) and value in args
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        element = _checker(args[0])
        return lambda value: isinstance(value, tuple) and all(map(element, value))
    if origin is tuple:  # tuple[str, int]: a fixed shape
        parts = tuple(_checker(arg) for arg in args)
        return lambda value: (isinstance(value, tuple) and len(value) == len(parts)
                              and all(map(operator.call, parts, value)))
    if origin in (list, frozenset, set):
        element = _checker(args[0]) if args else _anything
        return lambda value: isinstance(value, origin) and all(map(element, value))
    if origin is dict:
        key, item = _checker(args[0]), _checker(args[1])
        return lambda value: isinstance(value, dict) and all(map(key, value)) and all(map(item, value.values()))
    if expected is type(None):
        return lambda value: value is None
    if expected is float:
        return lambda value: isinstance(value, int | float) and not isinstance(value, bool)
    if expected is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    if _plain(expected):
        return expected.__instancecheck__  # isinstance(value, expected), without a Python frame
    raise TypeError(f"the knowledge cache can't check a {expected}")  # a new kind of field: teach _checker


def _plain(expected: Any) -> bool:
    """A class whose check is isinstance alone (int and float have their own rules above)."""
    return isinstance(expected, type) and typing.get_origin(expected) is None and expected not in (int, float)


def _anything(value: Any) -> bool:
    return True


_CHECKS = {name: tuple(_checker(t) for t in typing.get_type_hints(cls).values()) for name, cls in CLASSES.items()}
# name -> (class, field names, field checks, __post_init__ or None): what decoding one object reads.
_KINDS = {name: (cls, _FIELDS[name], _CHECKS[name], getattr(cls, "__post_init__", None))
          for name, cls in CLASSES.items()}


def _decode_object(item: dict[str, Any]) -> Any:
    name = item.get("$")
    if name is not None:
        if len(item) != 2:
            raise ValueError("not a knowledge cache object")
        cls, fields, checks, post_init = _KINDS[name]  # KeyError for any other name: the file is refused
        values = item["v"]  # KeyError when missing
        if values.__class__ is not list or len(values) != len(fields):
            raise ValueError(f"wrong fields for {name}")
        if not all(map(operator.call, checks, values)):  # lengths checked just above
            raise ValueError(f"a field of {name} has the wrong type")
        # What the class's own __init__ would do (its fields set in order, then __post_init__),
        # without a Python call per field: these are plain frozen dataclasses (tests check).
        obj: Any = _new(cls)
        _set(obj, "__dict__", dict(zip(fields, values, strict=True)))  # lengths checked above
        if post_init is not None:
            post_init(obj)
        return obj
    if len(item) == 1:
        if "t" in item:
            return tuple(item["t"])
        if "x" in item:
            text = item["x"]
            if text.__class__ is not str:
                raise ValueError("a rule's examples must be text")
            return _StoredExamples(text)
        if "d" in item:
            return dict(item["d"])  # a list or dict as a key is unhashable: TypeError, the file refused
        if "f" in item:
            return frozenset(item["f"])
    raise ValueError("not a knowledge cache object")


_new = object.__new__
_set = object.__setattr__


class _StoredExamples(RuleExamples):
    """A rule's examples as the cache holds them: JSON text (under the file's digest), decoded
    and type-checked when something first reads them. A consultation never does (lint, `rules
    show` and the tests do), and decoding every rule's examples at each start was a fifth of
    loading the knowledge. It reads, compares, hashes, prints, copies and pickles as the
    RuleExamples it holds. Text that does not decode to one is never used: the rule's examples
    are then built again from the rule files (`_rebuild`, set by load_cached), else ValueError."""

    def __init__(self, text: str) -> None:  # not RuleExamples' __init__: nothing is decoded yet
        object.__setattr__(self, "_text", text)

    def held(self) -> RuleExamples:
        found: RuleExamples | None = self.__dict__.get("_held")
        if found is None:
            try:
                found = json.loads(self.__dict__["_text"], object_hook=_decode_object, parse_constant=_refuse_constant)
            except (ValueError, KeyError, TypeError, RecursionError):
                found = None
            if found.__class__ is not RuleExamples:
                rebuild = self.__dict__.get("_rebuild")
                if rebuild is None:
                    raise ValueError("a rule's examples in the knowledge cache are damaged")
                found = rebuild()
            object.__setattr__(self, "_held", found)
        assert found is not None
        return found

    fires = property(lambda self: self.held().fires)
    does_not_fire = property(lambda self: self.held().does_not_fire)
    file = property(lambda self: self.held().file)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _StoredExamples):
            other = other.held()
        return self.held() == other

    def __hash__(self) -> int:
        return hash(self.held())

    def __repr__(self) -> str:
        return repr(self.held())

    def __reduce__(self) -> tuple[Any, ...]:
        held = self.held()
        return RuleExamples, (held.fires, held.does_not_fire, held.file)


def decode(text: str | bytes) -> KnowledgeBase:
    """The knowledge base a cache file holds; ValueError when its digest or any type is wrong
    (a rule's examples are checked when first read: _StoredExamples)."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    digest, _, payload = raw.partition(b"\n")
    if digest_of(payload).encode() != digest:
        raise ValueError("the cache's digest does not match its content")
    # The collector is paused meanwhile: decoding makes ~20,000 objects, none of them garbage in
    # a reference cycle (tests/test_engine.py checks), and its passes over them found nothing.
    with collector_paused():
        knowledge = json.loads(payload, object_hook=_decode_object, parse_constant=_refuse_constant)
    if not isinstance(knowledge, KnowledgeBase):
        raise ValueError("not a knowledge base")
    _check_references(knowledge)
    _remember_digest(knowledge, digest.decode("ascii"))
    return knowledge


def content_digest(knowledge: KnowledgeBase) -> str:
    """The digest of the knowledge base's encoding here: the same rules, vocabulary, guide and
    scope give the same digest, loaded from YAML or from the cache (whose digest line it is, so
    a cached run gets it for free)."""
    found: str | None = knowledge.__dict__.get("_content_digest")
    if found is None:
        found = digest_of(_payload(knowledge).encode("utf-8"))
        _remember_digest(knowledge, found)
    return found


def _remember_digest(knowledge: KnowledgeBase, digest: str) -> None:
    # Kept on the object, not by id(): a freed knowledge base's id can be reused by another.
    # The cache encodes dataclass fields only, so this attribute never reaches it.
    object.__setattr__(knowledge, "_content_digest", digest)  # frozen dataclass: derived state only


def _check_references(knowledge: KnowledgeBase) -> None:
    """Every name a rule reads or concludes is in the vocabulary, every section in the guide:
    what loading from YAML guarantees, checked again (an emptied fact list fails here)."""
    vocabulary = knowledge.vocabulary
    names = {f.name for f in vocabulary.facts} | {d.name for d in vocabulary.decisions}
    sections = {s.id for s in knowledge.guide.sections}
    for rule in knowledge.rules:
        if rule.section not in sections:
            raise ValueError(f"rule {rule.id}: no section {rule.section!r}")
        if rule.conclusion.name is not None and rule.conclusion.name not in names:
            raise ValueError(f"rule {rule.id}: concludes unknown {rule.conclusion.name!r}")
        unknown = conditions.subjects(rule.condition) - names
        if unknown:
            raise ValueError(f"rule {rule.id}: reads unknown {sorted(unknown)[0]!r}")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _payload(knowledge: KnowledgeBase) -> str:
    return _json(encode(knowledge))


def _json(encoded: Any) -> str:
    return json.dumps(encoded, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def dumps(knowledge: KnowledgeBase) -> str:
    payload = _payload(knowledge)
    digest = digest_of(payload.encode("utf-8"))
    _remember_digest(knowledge, digest)
    return digest + "\n" + payload


# --- who may have written it --------------------------------------------------------------

_POSIX = hasattr(os, "geteuid")


def _private(info: os.stat_result) -> bool:
    """Owned by this user and writable by no one else."""
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _open_private_dir(directory: Path) -> int | None:
    """A file descriptor of the cache folder if it is this user's own, else None."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode) and _private(info):
        return fd
    os.close(fd)
    return None


def _read_private(dir_fd: int, name: str) -> bytes | None:
    """The cache file's bytes if it is a regular file this user owns and alone can write."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(name, flags, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _private(info) or info.st_size > MAX_CACHE_BYTES:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(MAX_CACHE_BYTES + 1)
    finally:
        os.close(fd)


def _read_cache(folder: Path, name: str) -> bytes | None:
    if not _POSIX:  # Windows: no owner bits; the cache folder is in the user's own profile
        try:
            with open(folder / name, "rb") as handle:
                raw = handle.read(MAX_CACHE_BYTES + 1)
        except OSError:
            return None
        return raw if len(raw) <= MAX_CACHE_BYTES else None
    dir_fd = _open_private_dir(folder)
    if dir_fd is None:
        return None
    try:
        return _read_private(dir_fd, name)
    finally:
        os.close(dir_fd)


# --- loading and storing ------------------------------------------------------------------

def load_cached(directory: Path) -> KnowledgeBase:
    texts = read_sources(directory)
    if cache_disabled():
        return build_knowledge(texts)
    folder = cache_dir()
    name = f"knowledge-{fingerprint(texts)}.json"
    raw = _read_cache(folder, name)
    if raw is not None:
        try:
            knowledge = decode(raw)
        except (ValueError, KeyError, TypeError, RecursionError, UnicodeDecodeError):
            pass  # damaged: rebuilt and rewritten below
        else:
            _rebuild_examples_if_damaged(knowledge, lambda: _rebuilt(texts, folder, name))
            return knowledge
    knowledge = build_knowledge(texts)
    _store(folder, name, knowledge)
    return knowledge


def _rebuild_examples_if_damaged(knowledge: KnowledgeBase, rebuilt: Callable[[], KnowledgeBase]) -> None:
    """Each rule's stored examples learn where to get them from should their text not decode."""
    for rule in knowledge.rules:
        examples = rule.examples
        if examples.__class__ is _StoredExamples:
            rule_id = rule.id
            object.__setattr__(examples, "_rebuild", lambda rule_id=rule_id: rebuilt().require_rule(rule_id).examples)


def _rebuilt(texts: dict[str, str], folder: Path, name: str) -> KnowledgeBase:
    """The knowledge built from its files again, once, and stored over the damaged cache."""
    found: KnowledgeBase | None = _REBUILT.get(name)
    if found is None:
        found = _REBUILT[name] = build_knowledge(texts)
        _store(folder, name, found)
    return found


_REBUILT: dict[str, KnowledgeBase] = {}


def _store(folder: Path, name: str, knowledge: KnowledgeBase) -> None:
    try:
        text = dumps(knowledge)
    except (TypeError, ValueError):
        return  # a read-only home still works, just without the cache
    _write_private(folder, name, text, lambda old: old.startswith("knowledge-") and old.endswith((".json", ".pickle")))


def _write_private(folder: Path, name: str, text: str, stale: Callable[[str], bool]) -> None:
    """Write `name` privately and atomically, then remove the other files `stale` names. Best
    effort: a read-only home, or someone else's folder, just goes without."""
    try:
        if not folder.exists():
            make_folders(folder.parent)
            os.mkdir(folder, 0o700)
        if _POSIX:
            dir_fd = _open_private_dir(folder)
            if dir_fd is None:
                return  # someone else's folder: never write where others could swap files
            os.close(dir_fd)
        import tempfile  # only when the cache is written: not on every run's path

        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".cache-", suffix=".tmp")  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.replace(tmp, folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in folder.iterdir():
            if old.name != name and stale(old.name):
                old.unlink(missing_ok=True)
    except OSError:
        pass


# --- sibling caches: other derived data kept beside the knowledge cache, with its checks -------
# (the planner's first states, advisor/interactive/state_cache.py)

def read_sibling(name: str) -> bytes | None:
    """A sibling cache file's bytes, read under the same ownership checks as the knowledge cache
    (None when caching is off, or the file is missing, too big or not this user's alone)."""
    if cache_disabled():
        return None
    return _read_cache(cache_dir(), name)


def store_sibling(name: str, text: str, stale: Callable[[str], bool]) -> None:
    """Write a sibling cache file privately and atomically; then remove the other files `stale` names."""
    if not cache_disabled():
        _write_private(cache_dir(), name, text, stale)
