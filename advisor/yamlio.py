"""Strict, safe YAML reading: no aliases, no duplicate keys, and line numbers for messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from advisor.errors import AdvisorError

Path_ = tuple[Any, ...]


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (so alias bombs fail at once, in constant memory)."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed", event.start_mark)
        return super().compose_node(parent, index)


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


def _index_lines(node: Node, path: Path_, lines: dict[Path_, int], where: str) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key in seen:
                raise AdvisorError(f"duplicate key {key!r} (first on line {seen[key]})",
                                   where=where, line=line)
            seen[key] = line
            lines[path + (key,)] = line
            _index_lines(value_node, path + (key,), lines, where)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, path + (i,), lines, where)


def parse_yaml(text: str, where: str) -> YamlDocument:
    """Parse one YAML document; errors become AdvisorError with file and line."""
    try:
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return YamlDocument(None)
            lines: dict[Path_, int] = {}
            _index_lines(node, (), lines, where)
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
    return YamlDocument(data, lines)
