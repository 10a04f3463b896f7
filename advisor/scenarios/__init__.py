"""Scenario files: a named set of facts, with optional expectations."""

from advisor.scenarios.loader import load_scenario, parse_scenario
from advisor.scenarios.model import Expectations, Scenario

__all__ = ["Expectations", "Scenario", "load_scenario", "parse_scenario"]
