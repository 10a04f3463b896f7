"""A Rete matcher whose cost per consultation grows linearly with the rules, plugged in
through experta's `KnowledgeEngine.__matcher__` extension point (experta builds the network).

Three costs in experta's stock `ReteMatcher` grow faster than the work a consultation needs:

- Routing. The root node sends every fact to every alpha branch, and each branch first tests
  the fact's type. The compiler gives each fact name its own Fact class, so a dictionary from
  type to branches makes that test once: a fact only reaches the patterns on its own name.
- Collecting activations. After every step (each firing, each declare) experta asks every
  rule's conflict-set node for new activations; with thousands of rules almost all have
  none, and that poll was three quarters of the time at 3,000 rules. Here each conflict-set
  node reports itself when a token reaches it, and only those nodes are asked.
- Reset. experta resets the network recursively from the root, once per path, so a node
  shared by many branches is wiped many times. Here every node is listed once, when the
  network is built, and reset visits each of them once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from experta.abstract import Matcher
from experta.matchers import ReteMatcher
from experta.matchers.rete.check import TypeCheck
from experta.matchers.rete.nodes import BusNode, ConflictSetNode
from experta.matchers.rete.token import Token


class TypeRoutingBusNode(BusNode):
    """The root node: sends a fact only to the alpha branches testing its own type."""

    def _routes(self, fact_type: type) -> list[Any]:
        routes = self.__dict__.setdefault("_routes_by_type", {})
        children = routes.get(fact_type)
        if children is None:
            children = routes[fact_type] = [
                child for child in self.children
                if not isinstance(getattr(child.node, "matcher", None), TypeCheck)
                or child.node.matcher.fact_type is fact_type]
        return children

    def add(self, fact: Any) -> None:
        token = Token.valid(fact)
        for child in self._routes(type(fact)):
            child.callback(token)

    def remove(self, fact: Any) -> None:
        token = Token.invalid(fact)
        for child in self._routes(type(fact)):
            child.callback(token)


class LinearReteMatcher(ReteMatcher):
    """experta's Rete network, routed by fact type, polled only where tokens arrived."""

    def __init__(self, engine: Any) -> None:
        Matcher.__init__(self, engine)
        self.root_node = TypeRoutingBusNode()
        self.build_network()
        self._nodes = tuple(_every_node(self.root_node))
        self._conflict_set_nodes = tuple(n for n in self._nodes if isinstance(n, ConflictSetNode))
        self._touched: dict[ConflictSetNode, None] = {}  # insertion-ordered set
        for node in self._conflict_set_nodes:
            _report_to(node, self._touched)

    def _get_conflict_set_nodes(self) -> tuple[ConflictSetNode, ...]:
        return self._conflict_set_nodes

    def changes(self, adding: Any = None, deleting: Any = None) -> tuple[list[Any], list[Any]]:
        for fact in deleting or ():
            self.root_node.remove(fact)
        for fact in adding or ():
            self.root_node.add(fact)
        added: list[Any] = []
        removed: list[Any] = []
        touched = list(self._touched)
        self._touched.clear()
        for node in touched:
            node_added, node_removed = node.get_activations()
            added.extend(node_added)
            removed.extend(node_removed)
        return added, removed

    def reset(self) -> None:
        for node in self._nodes:
            node._reset()
        for node in self._touched:  # activations of the previous run, never collected
            node.get_activations()
        self._touched.clear()


def _every_node(root: Any) -> Iterator[Any]:
    """Each node of the network once (depth first, in child order)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack.extend(child.node for child in reversed(node.children))


def _report_to(node: ConflictSetNode, touched: dict[ConflictSetNode, None]) -> None:
    """Make `node` enter `touched` whenever a token reaches it (then it has something to say)."""
    receive = node._activate

    def activate(token: Any) -> None:
        touched[node] = None
        receive(token)

    node._activate = activate  # type: ignore[method-assign]
