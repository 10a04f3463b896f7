"""Strict, safe YAML reading: no aliases, no duplicate keys, and line numbers for messages.

Only the safe constructor is ever used; a scalar alias (*x for a plain value) is harmless
and allowed, aliases of mappings or lists are refused."""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from advisor.errors import AdvisorError

Path_ = tuple[Any, ...]


# libyaml's parser when present (several times faster); the constructor is the safe one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlDocument:
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, *path: Any) -> int | None:
        """The line of the deepest known prefix of `path`."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


def _index_lines(node: Node, path: Path_, lines: dict[Path_, int], where: str, seen: set[int]) -> None:
    # An alias makes the composed graph visit one node twice: refuse it there, before any
    # expansion, so an alias bomb costs nothing.
    if isinstance(node, MappingNode | SequenceNode):
        if id(node) in seen:
            used_at = next((lines[path[:end]] for end in range(len(path), -1, -1) if path[:end] in lines),
                           node.start_mark.line + 1)
            raise AdvisorError("aliases (*name) are not allowed", where=where, line=used_at)
        seen.add(id(node))
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, MappingNode):
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key in first_line:
                raise AdvisorError(f"duplicate key {key!r} (first on line {first_line[key]})",
                                   where=where, line=line)
            first_line[key] = line
            lines[path + (key,)] = line
            _index_lines(value_node, path + (key,), lines, where, seen)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, path + (i,), lines, where, seen)


def parse_yaml(text: str, where: str) -> YamlDocument:
    """Parse one YAML document; errors become AdvisorError with file and line."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return YamlDocument(None)
            lines: dict[Path_, int] = {}
            _index_lines(node, (), lines, where, set())
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise AdvisorError(f"malformed YAML: {problem}", where=where,
                           line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise AdvisorError(f"malformed YAML: {exc}", where=where) from None
    except RecursionError:
        raise AdvisorError("YAML is nested too deeply", where=where) from None
    return YamlDocument(data, lines)


MAX_FILE_BYTES = 1024 * 1024


def read_text_file(path: Path, expected: str, error: type[AdvisorError] = AdvisorError) -> str:
    """A small UTF-8 text file's content, or one clear `error` saying why it can't be read.

    `expected` names what the file should be ("a scenario YAML file"), for the messages.
    """
    where = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise error(f"is a directory; expected {expected}", where=where)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"is not a regular file; expected {expected}", where=where)
        if info.st_size > MAX_FILE_BYTES:
            raise error(f"file is {info.st_size} bytes, over the {MAX_FILE_BYTES}-byte limit", where=where)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error("no such file", where=where) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", where=where) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start} is invalid)", where=where) from None
