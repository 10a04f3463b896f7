"""The prompts themselves (advisor/interactive/menus.py), driven by key presses through
prompt_toolkit's pipe input and drawn on a VT100 screen: what they show and how each key acts."""

from __future__ import annotations

import re
from contextlib import contextmanager
from io import StringIO

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.output.vt100 import Vt100_Output

from advisor.interactive import menus
from advisor.interactive.menus import SEPARATOR, Item

ENTER, DOWN, UP, CTRL_C, CTRL_D, BACKSPACE = "\r", "\x1b[B", "\x1b[A", "\x03", "\x04", "\x7f"
ANSWER_COLOUR = "38;2;255;157;0"  # questionary's orange (#FF9D00), kept


class Screen:
    """Keys in; what the prompt drew, on a true-colour VT100 screen `columns` wide. Keys given
    as a list arrive one batch after each drawing, as typed by a person (one batch is drawn once)."""

    def __init__(self, keys: str | list[str], columns: int = 80) -> None:
        self.batches = [keys] if isinstance(keys, str) else list(keys)
        self.columns, self.raw = columns, StringIO()

    @contextmanager
    def streams(self):
        batches, drawn = list(self.batches), [0]

        class Typing(Vt100_Output):
            def flush(self) -> None:  # a drawing ends by turning autowrap back on: the next keys come
                super().flush()
                drawings = self.stdout.getvalue().count("\x1b[?7h")
                if batches and drawings > drawn[0]:
                    drawn[0] = drawings
                    pipe.send_text(batches.pop(0))

        output = Typing(self.raw, lambda: Size(rows=30, columns=self.columns), term="xterm",
                        default_color_depth=ColorDepth.TRUE_COLOR)
        with create_pipe_input() as pipe:
            yield {"input": pipe, "output": output}

    def drawn(self) -> str:
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "", self.raw.getvalue())

    def coloured_as_answer(self) -> str:
        """The text drawn in the answer's colour (the last stretch of it)."""
        stretches = re.findall(rf"\x1b\[[0-9;]*{ANSWER_COLOUR}[0-9;]*m([^\x1b]*)", self.raw.getvalue())
        return stretches[-1] if stretches else ""


MENU = [Item("Apples", "a"), Item("Bananas", "b"), Item("Cherries", "c"), SEPARATOR,
        Item("Don't know", "?", key="d", instant=True)]


def select(keys: str, items=MENU, **options):
    screen = Screen(keys)
    with screen.streams() as io:
        return menus.select("Which fruit?", items, **options, **io), screen


def test_a_select_draws_the_question_numbered_items_and_then_the_answer():
    chosen, screen = select(DOWN + ENTER)
    assert chosen == "b"
    drawn = screen.drawn()
    assert "? Which fruit? (Use shortcuts or arrow keys)" in drawn
    assert " » 1) Apples" in drawn and "   2) Bananas" in drawn and "   3) Cherries" in drawn
    assert "-" * 15 in drawn and "d) Don't know" in drawn
    assert screen.coloured_as_answer() == "Bananas", "the answer follows the question, in orange"


def test_a_shortcut_moves_the_pointer_and_an_instant_key_answers_at_once():
    assert select("3" + ENTER)[0] == "c"
    assert select("3" + UP + ENTER)[0] == "b", "the shortcut only moved the pointer"
    assert select("d")[0] == "?", "no Enter needed"
    assert select(UP + ENTER)[0] == "?", "up from the first item wraps round past the separator"
    assert select(UP + UP + ENTER)[0] == "c", "the separator is never pointed at"
    assert select(ENTER, default="c")[0] == "c", "the default is where the pointer starts"


def test_j_and_k_move_only_where_asked():
    assert select("jj" + ENTER, jk_keys=True)[0] == "c"
    assert select("jjk" + ENTER, jk_keys=True)[0] == "b"
    assert select("j" + ENTER)[0] == "a", "j is nothing without jk_keys"


def test_ctrl_c_and_ctrl_q_stop_a_menu():
    for key in (CTRL_C, "\x11"):
        with pytest.raises(KeyboardInterrupt):
            select(DOWN + key)


def checkbox(keys: str, items=MENU, **options):
    screen = Screen(keys)
    with screen.streams() as io:
        return menus.checkbox("Which fruits?", items, **options, **io), screen


def test_a_checkbox_ticks_with_space_and_returns_the_ticked_in_the_items_order():
    ticked, screen = checkbox([DOWN + DOWN + " ", UP + UP + " " + ENTER])
    assert ticked == ["a", "c"]
    drawn = screen.drawn()
    assert "○ Cherries" in drawn and "● Cherries" in drawn, "the box fills when ticked"
    assert checkbox(" " + " " + ENTER)[0] == [], "space again unticks"
    assert checkbox(ENTER, ticked=("b",))[0] == ["b"], "ticked beforehand"


def test_a_ticks_every_value_and_i_inverts_but_neither_ticks_an_action():
    assert checkbox("a" + ENTER)[0] == ["a", "b", "c"]
    assert checkbox("aa" + ENTER)[0] == [], "a again unticks them all"
    assert checkbox(" i" + ENTER)[0] == ["b", "c"]
    assert checkbox("d")[0] == ["?"], "an instant key answers at once"


def test_a_checkbox_says_what_is_wrong_after_enter_and_answers_once_it_is_right():
    def two(ticked):
        return len(ticked) == 2 or "choose 2"

    ticked, screen = checkbox([" " + ENTER, DOWN + " " + ENTER], validate=two)
    assert ticked == ["a", "b"]
    assert screen.drawn().count("choose 2") >= 1, "the first Enter showed why it was refused"
    ticked, screen = checkbox(" " + DOWN + " " + ENTER, validate=two)
    assert "choose 2" not in screen.drawn(), "nothing said before an Enter"


def test_a_checkbox_answers_in_a_summary_or_is_erased_when_asked():
    _, screen = checkbox(" " + DOWN + " " + ENTER)
    assert screen.coloured_as_answer() == "done (2 selections)"
    _, screen = checkbox(" " + ENTER)
    assert screen.coloured_as_answer() == "[Apples]"
    _, kept = checkbox(ENTER)
    assert kept.coloured_as_answer() == "done"


def text(keys: str, **options):
    screen = Screen(keys)
    with screen.streams() as io:
        return menus.text("How many?", **options, **io), screen


def whole_number(typed: str) -> bool | str:
    return typed.isdigit() or "type a whole number"


def test_a_text_prompt_edits_checks_on_enter_and_draws_the_answer():
    typed, screen = text(["4x" + ENTER, BACKSPACE + "2" + ENTER], validate=whole_number, hint="(a number)")
    assert typed == "42"
    drawn = screen.drawn()
    assert "? How many?  (a number) " in drawn
    assert "type a whole number" in drawn, "the refused Enter said why"
    assert screen.coloured_as_answer().strip() == "42", "what was typed, in the answer's colour"
    assert text("\x15" + "7" + ENTER, default="12")[0] == "7", "Ctrl-U clears the prefilled text"
    assert text(ENTER, default="12")[0] == "12"


def test_a_text_prompt_goes_back_only_from_an_empty_line():
    assert text("<", back_key="<")[0] == "<"
    assert text("1<" + ENTER, back_key="<")[0] == "1<", "typed after text, < is text"
    assert text("<" + ENTER)[0] == "<", "without a back key < is typed"


def test_ctrl_d_on_an_empty_line_ends_input_and_ctrl_c_stops():
    with pytest.raises(EOFError):
        text(CTRL_D)
    assert text("5" + CTRL_D + ENTER)[0] == "5", "Ctrl-D with text is not the end of input"
    with pytest.raises(KeyboardInterrupt):
        text("5" + CTRL_C)
