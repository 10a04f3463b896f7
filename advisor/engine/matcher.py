"""A Rete matcher tuned for many rules and few facts, plugged in through experta's
`KnowledgeEngine.__matcher__` extension point.

- experta's root node sends every fact to every alpha branch, and each branch first tests
  the fact's type. The compiler gives each fact name its own Fact class, so a dictionary
  from type to branches does that first test once: facts only reach their own patterns.
- After every step experta collects new activations from every rule's conflict-set node;
  most have none, so only the nodes holding changes are asked.
"""

from __future__ import annotations

from typing import Any

from experta.abstract import Matcher
from experta.matchers import ReteMatcher
from experta.matchers.rete.check import TypeCheck
from experta.matchers.rete.nodes import BusNode
from experta.matchers.rete.token import Token


class TypeRoutingBusNode(BusNode):
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


class TypeRoutingReteMatcher(ReteMatcher):
    def __init__(self, engine: Any) -> None:
        Matcher.__init__(self, engine)
        self.root_node = TypeRoutingBusNode()
        self.build_network()

    def changes(self, adding: Any = None, deleting: Any = None) -> tuple[list[Any], list[Any]]:
        for fact in deleting or ():
            self.root_node.remove(fact)
        for fact in adding or ():
            self.root_node.add(fact)
        added: list[Any] = []
        removed: list[Any] = []
        for node in self._get_conflict_set_nodes():
            if node.added or node.removed:
                node_added, node_removed = node.get_activations()
                added.extend(node_added)
                removed.extend(node_removed)
        return added, removed
