"""Strict, safe YAML reading: no aliases, no merge keys, no duplicate keys, only finite
numbers, and a line number for every message.

PyYAML's parser (libyaml's when present) composes the node tree; this module builds the
Python values from it, so every scalar is checked where it stands: a bad `!!int abc`, a
5,000-digit integer or `.nan` becomes one clear error naming its line, never a traceback.
Mapping keys are read as their text (`on:` is the key "on", not the boolean true). A scalar
alias (*x for a plain value) is harmless and allowed; aliases of mappings or lists are refused.
"""

from __future__ import annotations

import functools
import math
import stat
from dataclasses import field
from pathlib import Path
from typing import Any

import yaml
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode

from advisor.errors import AdvisorError
from advisor.records import record

Path_ = tuple[Any, ...]

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVED_LIMIT = 50_000  # plain scalars whose tag is remembered
_RESOLVED_LONGEST = 200  # longer texts are resolved afresh: a batch of 1 MB scalars is not kept


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> None:
    """Keep `value` under `key` in one of this module's memos, emptied first once it holds
    _RESOLVED_LIMIT entries (a long batch's memory stays bounded)."""
    if len(memo) >= _RESOLVED_LIMIT:
        memo.clear()
    memo[key] = value


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
            _remember(self._resolved, key, tag)
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
            _remember(_CONSTRUCTED, key, value)
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


# Most scenario files are a block mapping of plain keys, one-line values and lists of them:
# `_plain_block_data` reads such a document a line at a time with str methods. Composing one
# with libyaml costs a Python node and a resolver call per scalar (~2.5M instructions for a
# generated file of ~130 lines, a quarter of evaluating it). Any other document (flow or block
# scalars, tags, anchors, escapes, a comment after a value, tabs, a key given twice, indentation
# YAML refuses or reads as one value over several lines) is left to the parser, which then
# gives what it gives; tests/test_yaml_plain_documents.py compares the two readings.
# (Spelt out: `string`, whose import compiles a regular expression, is not imported by review.)
_LETTERS_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_UNQUOTED_FIRST = frozenset(_LETTERS_DIGITS + "_./+(")  # and "-" before a digit or "."
_UNQUOTED = frozenset(_LETTERS_DIGITS + "_./+,'()- ")
_DIGIT_OR_DOT = frozenset("0123456789.")
_KEY_LONGEST = 128
_PLAIN_DEPTH = 16  # containers open at once: a deeper document is left to the parser
# Key texts, and value texts (quotes included) with their values, found plain in earlier
# documents: the same ones come back in every file of a batch, and are not checked again.
# (Every such value is immutable: text, a number, a boolean, null or a date.)
_plain_keys: dict[str, bool] = {}
_plain_values: dict[str, Any] = {}
# And whole lines (indent included) read before, with what `_plain_lines` reads in them: most
# lines of a batch's files are the same few ("  ml_task: tabular", "  - model").
_plain_lines_read: dict[str, Any] = {}
_BLANK: Any = object()  # what a comment or blank line reads as
_NOWHERE = Mark("", 0, 0, 0, None, None)


@functools.cache
def _scalar_loader() -> Any:
    """A loader to resolve and build scalars with, made when first needed."""
    return _Loader("")


def _built(text: str) -> Any:
    """What the parser and the builders make of the plain scalar `text`: its tag as the parser
    asks the resolver for it, then its value as `_Builder.scalar` builds it (AdvisorError if
    that fails)."""
    if text.isdigit() and (text[0] != "0" or text == "0") and len(text) <= 18:
        return int(text)  # what YAML 1.1's int resolver and constructor make of decimal digits
    loader = _scalar_loader()
    tag = loader.resolve(ScalarNode, text, (True, False))
    return text if tag == _STR else _DataBuilder(loader, "").scalar(ScalarNode(tag, text, _NOWHERE, _NOWHERE))


def _plain_value(text: str) -> Any:
    """The value of the one-line value `text` (without spaces around it), or `_NOT_KNOWN` when
    it is not one `_plain_block_data` reads, or building it fails (the parser then reports it)."""
    first = text[0]
    if first == "'" or first == '"':  # quoted: text, whatever it says
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != first or not (inner.isascii() and inner.isprintable()):
            return _NOT_KNOWN
        if first == "'":
            if "'" in inner.replace("''", ""):
                return _NOT_KNOWN
            value: Any = inner.replace("''", "'")
        elif '"' in inner or "\\" in inner:  # escapes: the parser's
            return _NOT_KNOWN
        else:
            value = inner
    else:
        if not (first in _UNQUOTED_FIRST or (first == "-" and text[1:2] in _DIGIT_OR_DOT)):
            return _NOT_KNOWN
        if not _UNQUOTED.issuperset(text):
            return _NOT_KNOWN
        try:
            value = _built(text)
        except AdvisorError:
            return _NOT_KNOWN
    if len(text) <= _RESOLVED_LONGEST:
        _remember(_plain_values, text, value)
    return value


def _plain_block_data(text: str) -> Any:
    """The data of a document made only of lines `key: value`, `key:` and `- value` (one-line
    values, `_plain_value`), comments and blank lines, as the parser and `_DataBuilder` make
    it; `_NOT_KNOWN` for any other document."""
    lines = _plain_lines(text)
    if not lines:
        return _NOT_KNOWN
    root: dict[str, Any] = {}
    stack: list[tuple[int, Any]] = [(0, root)]  # open containers, innermost last: (indent, dict or list)
    top_indent, top = 0, root
    pending: str | None = None  # a key with nothing after it on its line: what follows is its value
    for indent, key, value, built in lines:
        if pending is not None:
            if not _open(stack, pending, indent, key is None):
                return _NOT_KNOWN
            top_indent, top = stack[-1]
            pending = None
        if key is None:  # a list's item
            if top.__class__ is not list or indent != top_indent:
                return _NOT_KNOWN
            top.append(built)
            continue
        if top.__class__ is list:  # a key after a list's items: the list has ended (and the key
            stack.pop()              # must stand at the indent of a mapping that is still open)
            top_indent, top = stack[-1]
        while indent < top_indent:
            stack.pop()
            top_indent, top = stack[-1]
        if indent != top_indent or key in top:
            return _NOT_KNOWN
        if value:
            top[key] = built
        else:
            pending = key
    if pending is not None:
        stack[-1][1][pending] = _built("")
    return root


def _plain_lines(text: str) -> list[tuple[int, str | None, str, Any]] | None:
    """Each line's (indent, key, value text, value), less comments and blank lines: key None for
    a list's item, value text "" for a key with nothing after it. None: a line is not plain."""
    found = []
    known = _plain_lines_read
    for line in text.split("\n"):
        read = known.get(line)
        if read is None and (read := _plain_line(line)) is None:
            return None
        if read is not _BLANK:
            found.append(read)
    return found


def _plain_line(line: str) -> Any:
    """`_plain_lines`' reading of a line not read before (and kept): its tuple, `_BLANK` for a
    comment or blank line, or None."""
    body = line.lstrip(" ")
    if not body or body[0] == "#":
        if body and not (body.isascii() and body.isprintable()):
            return None
        read: Any = _BLANK
    else:
        key: str | None
        key, colon, value = body.partition(": ")
        if not colon:
            key, value = _unpaired(body)
            if key == "":
                return None
        elif key not in _plain_keys and not _plain_key(key):
            return None
        built = _plain_values.get(value, _NOT_KNOWN) if value else None
        if built is _NOT_KNOWN:
            value, built = _value_of(value)
            if built is _NOT_KNOWN:
                return None
        read = (len(line) - len(body), key, value, built)
    if len(line) <= _RESOLVED_LONGEST:
        _remember(_plain_lines_read, line, read)
    return read


def _unpaired(body: str) -> tuple[str | None, str]:
    """(None, item) for a list's item `- item`, (key, "") for `key:`; ("", "") for any other line."""
    if body[0] == "-" and body[1:2] == " ":
        item = body[2:].strip(" ")
        return (None, item) if item else ("", "")
    line = body.rstrip(" ")
    key = line[:-1]
    return (key, "") if line[-1] == ":" and (key in _plain_keys or _plain_key(key)) else ("", "")


def _plain_key(key: str) -> bool:
    """Whether `key` is a key a plain line may have (and if so, keep it known)."""
    if not (len(key) <= _KEY_LONGEST and key.isascii() and key.isidentifier()):
        return False
    _remember(_plain_keys, key, True)
    return True


def _value_of(value: str) -> tuple[str, Any]:
    """(value text, value) for a value text not known yet, spaces around it taken off first."""
    value = value.strip(" ")
    if not value:
        return value, None  # only spaces after the key: nothing
    built = _plain_values.get(value, _NOT_KNOWN)
    return value, _plain_value(value) if built is _NOT_KNOWN else built


def _open(stack: list[tuple[int, Any]], key: str, indent: int, item: bool) -> bool:
    """Give the innermost mapping's `key`, which had nothing after it on its line, its value from
    the next line: a mapping (a key deeper than it), a list (an item at its indent or deeper)
    or, before anything else, null. False: too deep to read plainly."""
    key_indent, mapping = stack[-1]
    if not item and indent > key_indent:
        child: Any = {}
    elif item and indent >= key_indent:
        child = []
    else:
        mapping[key] = _built("")  # nothing: the empty scalar, null
        return True
    if len(stack) >= _PLAIN_DEPTH:
        return False
    mapping[key] = child
    stack.append((indent, child))
    return True


def parse_yaml(text: str, where: str, duplicates: list[str] | None = None, *, lines: bool = True) -> YamlDocument:
    """Parse one YAML document; errors become one-line AdvisorErrors with file and line.
    With a `duplicates` list, a key given twice in a mapping is not an error: the later value
    is kept (as PyYAML's loaders, and so Azure ML's CLI, keep it) and the list gets a message.
    `lines=False`: the document's lines are found when first asked (parsing the text again),
    for a reader that asks only to name the line of an error (~5% of loading a scenario file);
    a document of plain lines is then read without the parser (`_plain_block_data`)."""
    if not lines and duplicates is None:
        data = _plain_block_data(text)
        if data is not _NOT_KNOWN:
            return YamlDocument(data, None, (text, where))
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
