"""The running tally's table: drawn by hand where no style is shown, exactly as rich draws it."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from conftest import DEEP, SCENARIOS, recommending_every_decision
from rich.console import Console

from advisor.interactive import display
from advisor.scenarios import load_scenario


def tally(consultation, knowledge, *, width: int, by_rich: bool, monkeypatch, **console) -> str:
    with monkeypatch.context() as patched:
        if by_rich:
            patched.setattr(display, "_plain_table", lambda *_: None)
        screen = Console(file=io.StringIO(), width=width, **console)
        display.show_tally(screen, consultation, knowledge, "the area")
        return screen.file.getvalue()


# Every shipped scenario in CI (DEEP, ~12 CPU s); while developing the end-to-end scenarios that
# between them recommend every decision any of them does, so every decision's and choice's title
# is drawn (rich's table costs ~15 ms a tally: the reason for drawing it by hand).
SAMPLE = sorted(SCENARIOS.glob("**/*.yaml")) if DEEP else recommending_every_decision()


@pytest.fixture(scope="module")
def consultations(advisor):
    return [advisor.consult(load_scenario(path, advisor.knowledge).facts) for path in SAMPLE]


def test_the_tally_drawn_by_hand_is_rich_s_table_byte_for_byte(consultations, knowledge, monkeypatch):
    """Scenarios' tallies at widths where every row fits on a line and where rows wrap (columns
    laid out by rich): the same text, and the table drawn by hand for most."""
    drawn_by_hand = []
    plain_table = display._plain_table
    monkeypatch.setattr(display, "_plain_table", lambda *a: drawn_by_hand.append(plain_table(*a)) or drawn_by_hand[-1])
    for consultation in consultations:
        for width in (120, 80):
            by_hand = tally(consultation, knowledge, width=width, by_rich=False, monkeypatch=monkeypatch)
            assert by_hand == tally(consultation, knowledge, width=width, by_rich=True, monkeypatch=monkeypatch)
    assert sum(table is not None for table in drawn_by_hand) > len(consultations)


def test_odd_titles_are_drawn_as_rich_draws_them(knowledge, monkeypatch):
    """Markup-like brackets, emoji codes, wide and combining characters, controls, a tab and a
    line break in a decision's or a choice's title: the same text as rich's table (a tab or a
    line break is left to rich)."""
    odd = ["plain", "[bold]x[/]", "a :smile: b", "宽字符标题", "e\u0301", "bell\x07", "tab\there", "two\nlines",
           "\\[x]", "", " spaced  out ", "averyveryverylongwordthatcannotwrapanywhereatall"]
    vocabulary = knowledge.vocabulary
    recommendations = [SimpleNamespace(decision=spec.name, choice=next(iter(spec.choices)), certainty=0.5 + i / 100,
                                       contested=i % 2 == 0)
                       for i, spec in enumerate(vocabulary.decisions[:len(odd)])]

    class Renamed:
        def __init__(self, spec, title):
            self.title = title
            self.choices = {name: title + "!" for name in spec.choices}

    renamed = {r.decision: Renamed(vocabulary.decision(r.decision), title)
               for r, title in zip(recommendations, odd, strict=True)}
    odd_knowledge = SimpleNamespace(vocabulary=SimpleNamespace(decision=renamed.get))
    tables = [recommendations[:1] + [odd_one] for odd_one in recommendations[1:]]  # each beside a plain row
    tables.append(recommendations)  # and all at once, with colours shown too
    for rows in tables:
        consultation = SimpleNamespace(recommendations=rows, warnings=[], open_decisions=[])
        for width in (120, 30):
            for console in ({}, {"force_terminal": True, "color_system": "truecolor"})[:1 + (rows is recommendations)]:
                assert tally(consultation, odd_knowledge, width=width, by_rich=False, monkeypatch=monkeypatch,
                             **console) == \
                    tally(consultation, odd_knowledge, width=width, by_rich=True, monkeypatch=monkeypatch, **console)
