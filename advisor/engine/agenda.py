"""The order rules fire in, packed into one experta salience per rule.

A rule's place on the agenda is, most significant first:

1. its stratum (knowledge/rules.py `stratify`): producers fire before the rules that read
   what they produce, so a value is settled, overrides included, before anyone reads it;
2. its priority (`priority:` in the rule file, -50..50);
3. its specificity (the number of tests in its condition): the more specific rule first;
4. its position in the rule base, so no two rules share a salience and the agenda never
   falls back on experta's set ordering (which changes with string hash randomisation).

experta orders activations by one number, so the four are packed into disjoint digit ranges
of one integer (Python integers do not overflow); `salience` asserts each part fits its range.

The same policy in other engines:
- CLIPS: salience is limited to -10000..10000, so strata become modules fired in sequence
  (`focus`) or the rank is renumbered densely; priority is the `salience` slot; specificity
  is what CLIPS's `complexity` conflict-resolution strategy orders equal saliences by; the
  position is the last tie-break, as recency is under CLIPS's `depth` strategy.
- Drools: each stratum is an agenda group (ruleflow group) given focus in order; priority
  and specificity fold into the rule's `salience`, since Drools breaks equal saliences by
  recency only; the position plays the part of load order.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from operator import attrgetter
from typing import Any

from experta.strategies import DepthStrategy

from advisor.engine.memory import MATCHED
from advisor.knowledge.rules import Rule

_KEY = attrgetter("key")

PRIORITY_MIN, PRIORITY_MAX = -50, 50        # what the rule loader accepts
SPECIFICITY_LIMIT = 1_000                    # tests in one condition
ORDER_LIMIT = 1_000_000                      # rules in one rule base
STRATUM_LIMIT = 10_000                       # depth of the rule graph

_ORDER_SPAN = ORDER_LIMIT
_SPECIFICITY_SPAN = SPECIFICITY_LIMIT * _ORDER_SPAN
_PRIORITY_SPAN = (PRIORITY_MAX - PRIORITY_MIN + 1) * _SPECIFICITY_SPAN


def salience(rule: Rule) -> int:
    """experta salience: earlier strata first, then priority, then specificity, then rule order."""
    assert 0 <= rule.stratum < STRATUM_LIMIT, f"{rule.id}: stratum {rule.stratum} out of range"
    assert PRIORITY_MIN <= rule.priority <= PRIORITY_MAX, f"{rule.id}: priority {rule.priority} out of range"
    assert 0 < rule.specificity < SPECIFICITY_LIMIT, f"{rule.id}: {rule.specificity} tests out of range"
    assert 0 <= rule.order < ORDER_LIMIT, f"{rule.id}: position {rule.order} out of range"
    return (-rule.stratum * _PRIORITY_SPAN
            + (rule.priority - PRIORITY_MIN) * _SPECIFICITY_SPAN
            + rule.specificity * _ORDER_SPAN
            + (ORDER_LIMIT - 1 - rule.order))


class SalienceStrategy(DepthStrategy):
    """experta's depth strategy (salience, then the most recent facts), with the activation
    key computed directly, and the agenda's sorted list searched on the keys alone.

    experta memoises the key in an lru_cache keyed by the activation (hashing an activation
    walks its rule's whole pattern tuple: dearer than the key itself), and inserts through
    `Activation.__lt__`, a Python call per comparison; here bisect compares the keys in C.
    The agenda list and its order (ascending keys, the next activation last) are experta's.
    """

    def update_agenda(self, agenda: Any, added: Any, removed: Any) -> None:
        # experta asks after every firing; when the firing changed nothing there is nothing
        # to log (its watchers) or to place on the agenda.
        if added or removed:
            super().update_agenda(agenda, added, removed)

    def get_key(self, activation: Any) -> tuple[int, list[int]]:
        facts = activation.context[MATCHED]  # the matcher leaves experta's `facts` empty
        if len(facts) == 1:  # most activations: no list to build and sort
            for fact in facts:
                return (activation.rule.salience, [fact["__factid__"]])
        ids = [f["__factid__"] for f in facts]
        ids.sort(reverse=True)
        return (activation.rule.salience, ids)

    def _update_agenda(self, agenda: Any, added: Any, removed: Any) -> None:
        activations = agenda.activations
        for act in removed:
            # The counting matcher removes only activations it added in an earlier call (it
            # retracts before it declares), and every added one was keyed below on its way in.
            key = act.key
            index = bisect_left(activations, key, key=_KEY)
            # Equal keys (one rule matched through two branches on the same facts) sit
            # together; the activation to drop is that very object. A fired one is gone.
            while index < len(activations) and activations[index].key == key:
                if activations[index] is act:
                    del activations[index]
                    break
                index += 1
        for act in added:
            act.key = self.get_key(act)
            insort(activations, act, key=_KEY)
