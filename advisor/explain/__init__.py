"""Explanations beyond the derivation tree: why not, what if, and how certain."""

from advisor.explain.certainty import CertaintyExplanation, Support, explain_certainty
from advisor.explain.whatif import Flip, WhatIf, find_flips, what_if
from advisor.explain.whynot import Candidate, Failure, WhyNot, why_not, why_not_rule

__all__ = [
    "Candidate", "CertaintyExplanation", "Failure", "Flip", "Support", "WhatIf", "WhyNot",
    "explain_certainty", "find_flips", "what_if", "why_not", "why_not_rule",
]
