"""Strict, safe YAML reading: no aliases, no merge keys, no duplicate keys, only finite
numbers, and a line number for every message.

PyYAML's parser (libyaml's when present) composes the node tree; this module builds the
Python values from it, so every scalar is checked where it stands: a bad `!!int abc`, a
5,000-digit integer or `.nan` becomes one clear error naming its line, never a traceback.
Mapping keys are read as their text (`on:` is the key "on", not the boolean true). A scalar
alias (*x for a plain value) is harmless and allowed; aliases of mappings or lists are refused.
"""

from __future__ import annotations

import math
import stat
from dataclasses import field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from advisor.errors import AdvisorError
from advisor.records import record

Path_ = tuple[Any, ...]

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVED_LIMIT = 50_000  # plain scalars whose tag is remembered
_RESOLVED_LONGEST = 200  # longer texts are resolved afresh: a batch of 1 MB scalars is not kept


class _Loader(_BaseLoader):  # type: ignore[misc]
    """libyaml's parser when present (several times faster); the constructor is the safe one.

    The parser asks the resolver for every scalar's tag (a Python call that tries the implicit
    tags' regular expressions in turn). Without path resolvers (yamlio adds none) the answer
    depends only on the node's kind, text and implicitness, and the same texts come back in
    every file of a batch (fact names, choices, true), so each answer is kept."""

    _resolved: dict[tuple[Any, Any, Any], str] = {}

    # The composer tells the resolver where it is before and after every node; only path
    # resolvers read that, and yamlio adds none (the memo below relies on it too), so the two
    # calls are C builtins whose result is dropped, not Python methods that return at once:
    # ~7% fewer instructions composing a scenario file (counted under callgrind).
    descend_resolver = staticmethod(slice)  # called with (parent, index)
    ascend_resolver = staticmethod(tuple)   # called with nothing

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        key = (kind, value, implicit)
        try:
            return self._resolved[key]
        except KeyError:
            pass
        tag: str = super().resolve(kind, value, implicit)
        if not self.yaml_path_resolvers and (not isinstance(value, str) or len(value) <= _RESOLVED_LONGEST):
            if len(self._resolved) >= _RESOLVED_LIMIT:
                self._resolved.clear()
            self._resolved[key] = tag
        return tag

_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _MERGE = _TAG + "str", _TAG + "map", _TAG + "seq", _TAG + "merge"
# What each standard scalar tag is, in the words of an error message.
_KINDS = {_TAG + "int": "an integer", _TAG + "float": "a number", _TAG + "bool": "true or false",
          _TAG + "null": "null", _TAG + "timestamp": "a date or time", _TAG + "binary": "base64 data"}
_SHOWN = 40  # characters of a bad scalar quoted in a message
# The value of a plain `true`, `80` or `null` depends on its tag and text alone, and the same
# ones come back in every file of a batch: each checked value is kept (immutable ones only).
_KEPT_TAGS = frozenset({_TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null"})
_CONSTRUCTED: dict[tuple[str, str], Any] = {}
_NOT_KNOWN = object()


@record
class YamlDocument:
    """Parsed YAML data and the line of each key and value."""

    data: Any
    lines: dict[Path_, int] | None = field(default_factory=dict)  # None: found when first asked
    # (text, where) to parse again for the lines (`parse_yaml(..., lines=False)`).
    source: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    def line(self, *path: Any) -> int | None:
        """The line of the deepest known prefix of `path`."""
        lines = self.lines
        if lines is None:
            assert self.source is not None, "a document without lines keeps its source"
            lines = self.lines = parse_yaml(*self.source).lines
            assert lines is not None
        for end in range(len(path), -1, -1):
            if path[:end] in lines:
                return lines[path[:end]]
        return None


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "...")


class _Builder:
    """Turns a composed node tree into plain dicts, lists and scalars, recording line numbers."""

    def __init__(self, loader: Any, where: str, duplicates: list[str] | None = None) -> None:
        self.loader = loader
        self.where = where
        self.duplicates = duplicates  # None: a duplicate key is an error
        self.lines: dict[Path_, int] = {}
        self.seen: set[int] = set()

    def fail(self, message: str, node: Node, allowed: str | None = None) -> AdvisorError:
        return AdvisorError(message, where=self.where, line=node.start_mark.line + 1, allowed=allowed)

    def build(self, node: Node, path: Path_) -> Any:
        if isinstance(node, ScalarNode):
            self.lines.setdefault(path, node.start_mark.line + 1)
            return self.scalar(node)
        # An alias makes the composed graph visit one node twice: refuse it there, before any
        # expansion, so an alias bomb costs nothing.
        if id(node) in self.seen:
            raise AdvisorError("aliases (*name) are not allowed", where=self.where, line=self._line_of(path, node))
        self.seen.add(id(node))
        self.lines.setdefault(path, node.start_mark.line + 1)
        return self.collection(node, path)

    def collection(self, node: Node, path: Path_) -> Any:
        """A mapping's or a list's value, its tag checked."""
        if isinstance(node, MappingNode):
            if node.tag != _MAP:
                raise self.fail(f"tag {_tag_name(node.tag)} is not allowed on a mapping", node)
            return self.mapping(node, path)
        if node.tag != _SEQ:
            raise self.fail(f"tag {_tag_name(node.tag)} is not allowed on a list", node)
        return self.items(node, path)

    def items(self, node: Node, path: Path_) -> list[Any]:
        return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]

    def _line_of(self, path: Path_, node: Node) -> int:
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return node.start_mark.line + 1

    def mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        lines = self.lines
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE:
                raise self.fail("merge keys (<<) are not allowed; write each key out", key_node)
            if not isinstance(key_node, ScalarNode):
                raise self.fail("a key must be plain text, not a list or mapping", key_node)
            key = key_node.value  # its text: `on`, `yes` and `1` are keys like any other
            child = path + (key,)
            if key in result:
                message = f"duplicate key {_shown(key)} (first on line {lines[child]})"
                if self.duplicates is None:
                    raise AdvisorError(message, where=self.where, line=line)
                self.duplicates.append(f"line {line}: {message}")  # the later value is kept, as PyYAML does
            lines[child] = line
            if value_node.__class__ is ScalarNode:  # most values: what build does for one, inline
                result[key] = value_node.value if value_node.tag == _STR else self.scalar(value_node)
            else:
                result[key] = self.build(value_node, child)
        return result

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        key = (tag, node.value)
        known = _CONSTRUCTED.get(key, _NOT_KNOWN)
        if known is not _NOT_KNOWN:
            return known
        value = self._construct(node)
        if tag in _KEPT_TAGS and len(node.value) <= _RESOLVED_LONGEST:
            if len(_CONSTRUCTED) >= _RESOLVED_LIMIT:
                _CONSTRUCTED.clear()
            _CONSTRUCTED[key] = value
        return value

    def _construct(self, node: ScalarNode) -> Any:
        tag = node.tag
        construct = self.loader.yaml_constructors.get(tag)
        if construct is None or tag in (_MAP, _SEQ) or tag.startswith(_TAG + "python"):
            raise self.fail(f"tag {_tag_name(tag)} is not allowed", node,
                            allowed="plain values, or the tags !!str, !!int, !!float, !!bool, !!null")
        try:
            value = construct(self.loader, node)
        except (ValueError, KeyError, TypeError, OverflowError, IndexError, yaml.YAMLError):
            raise self._bad_scalar(node) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(f"{_shown(node.value)} is not a finite number; .nan and .inf are not allowed", node)
        return value

    def _bad_scalar(self, node: ScalarNode) -> AdvisorError:
        kind = _KINDS.get(node.tag, "a value of that tag")
        digits = node.value.lstrip("+-").replace("_", "")
        if node.tag == _TAG + "int" and digits.isdigit() and len(digits) > 1000:
            return self.fail(f"an integer of {len(digits)} digits is too large", node)
        return self.fail(f"{_shown(node.value)} is not {kind} (tag {_tag_name(node.tag)})", node)


class _DataBuilder(_Builder):
    """The values `_Builder` makes, without the line of each key and value: for a reader that
    wants a line only for an error message (a scenario file). Any error it meets is found
    again by `_Builder`, whose message names the line (`parse_yaml`)."""

    def build(self, node: Node, path: Path_) -> Any:
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if id(node) in self.seen:
            raise AdvisorError("aliases (*name) are not allowed", where=self.where)
        self.seen.add(id(node))
        return self.collection(node, path)

    def items(self, node: Node, path: Path_) -> list[Any]:
        return [self.build(item, path) for item in node.value]

    def mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE or not isinstance(key_node, ScalarNode):
                raise self.fail("a merge key, or a key that is not plain text", key_node)
            key = key_node.value
            if key in result:
                raise AdvisorError(f"duplicate key {_shown(key)}", where=self.where)
            if value_node.__class__ is ScalarNode:
                result[key] = value_node.value if value_node.tag == _STR else self.scalar(value_node)
            else:
                result[key] = self.build(value_node, path)
        return result


def parse_yaml(text: str, where: str, duplicates: list[str] | None = None, *, lines: bool = True) -> YamlDocument:
    """Parse one YAML document; errors become one-line AdvisorErrors with file and line.
    With a `duplicates` list, a key given twice in a mapping is not an error: the later value
    is kept (as PyYAML's loaders, and so Azure ML's CLI, keep it) and the list gets a message.
    `lines=False`: the document's lines are found when first asked (parsing the text again),
    for a reader that asks only to name the line of an error (~5% of loading a scenario file)."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return YamlDocument(None)
            if lines or duplicates is not None:
                builder = _Builder(loader, where, duplicates)
                data = builder.build(node, ())
            else:
                try:
                    data = _DataBuilder(loader, where).build(node, ())
                except AdvisorError:
                    return parse_yaml(text, where)  # raises the error, with its line
                return YamlDocument(data, None, (text, where))
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise AdvisorError(f"malformed YAML: {problem}", where=where,
                           line=mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        character = exc.character if isinstance(exc.character, int) else ord(exc.character or "\0")
        raise AdvisorError(f"malformed YAML: character U+{character:04X} is not allowed in YAML text",
                           where=where, line=line) from None
    except yaml.YAMLError as exc:
        raise AdvisorError("malformed YAML: " + " ".join(str(exc).split()), where=where) from None
    except RecursionError:
        raise AdvisorError("YAML is nested too deeply", where=where) from None
    return YamlDocument(data, builder.lines)


MAX_FILE_BYTES = 1024 * 1024


def read_text_file(path: Path, expected: str, error: type[AdvisorError] = AdvisorError) -> str:
    """A small UTF-8 text file's content, or one clear `error` saying why it can't be read.

    `expected` names what the file should be ("a scenario YAML file"), for the messages.
    Reads at most the limit plus one byte, whatever size the file reports (/proc files say 0).
    """
    where = str(path)
    too_big = f"file is over the {MAX_FILE_BYTES}-byte limit"
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise error(f"is a directory; expected {expected}", where=where)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"is not a regular file; expected {expected}", where=where)
        if info.st_size > MAX_FILE_BYTES:
            raise error(f"file is {info.st_size} bytes, over the {MAX_FILE_BYTES}-byte limit", where=where)
        raw = read_limited(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise error("no such file", where=where) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", where=where) from None
    if raw is None:
        raise error(too_big, where=where)
    return decode_utf8(raw, where, error)


def read_limited(path: Path, limit: int) -> bytes | None:
    """At most `limit` bytes of the file, or None if it holds more. Never blocks on a FIFO:
    the file is opened non-blocking and must be a regular file once open."""
    import os

    from advisor.files import note_input

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "not a regular file")
        note_input(info)  # an --output must not replace it
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    return None if size > limit else b"".join(chunks)


def decode_utf8(raw: bytes, where: str, error: type[AdvisorError] = AdvisorError) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise error(f"not UTF-8 text (byte {exc.start} is invalid)", where=where, line=line) from None


MAX_LINE_BYTES = 64 * 1024


def text_lines(stream: Any, where: str, *, max_bytes: int = MAX_FILE_BYTES,
               error: type[AdvisorError] = AdvisorError) -> Any:
    """The lines of a binary stream as text, one at a time (so a pipe can be answered as it
    comes), each checked as UTF-8 and bounded in length, the whole bounded in size: /dev/zero
    or a binary file ends in one clear error, never in running out of memory."""
    total = 0
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        total += len(raw)
        if len(raw) > MAX_LINE_BYTES:
            raise error(f"line is longer than {MAX_LINE_BYTES} bytes", where=where, line=number)
        if total > max_bytes:
            raise error(f"input is over the {max_bytes}-byte limit", where=where, line=number)
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise error(f"not UTF-8 text (byte {exc.start + 1} of the line is invalid)",
                        where=where, line=number) from None
