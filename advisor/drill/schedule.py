"""Spaced repetition with Leitner boxes.

A question never answered is in box 0. A wrong answer puts it in box 1, due at once, so it
comes back first in the next session; each right answer moves it up one box and waits longer
before asking again. Box 5 is "mastered" and comes back after three weeks.
"""

from __future__ import annotations

DAY = 24 * 60 * 60
TOP_BOX = 5
WAIT_AFTER_RIGHT = {2: 1 * DAY, 3: 3 * DAY, 4: 7 * DAY, TOP_BOX: 21 * DAY}


def next_box(box: int, correct: bool) -> int:
    if not correct:
        return 1
    return min(max(box, 1) + 1, TOP_BOX)


def due_time(box: int, answered_at: float) -> float:
    """When a question in `box` (just answered at `answered_at`) should be asked again."""
    return answered_at + WAIT_AFTER_RIGHT.get(box, 0)
