"""The questions on screen (advisor.interactive.menus), one prompt type per fact type.

bool and choice facts are a select (shortcut keys: y/n for Yes/No, else 1-9; d = don't know,
w = why, r = the report so far, b = back, each acting at once, no Enter needed); list facts a
checkbox (the same d, w, r, b keys; Enter with nothing ticked asks "none of these?"); number
facts a text prompt validated against the unit and range (`<` at an empty prompt: back). Yes-only
facts asked together are a checklist: a checkbox of their questions, ticked means yes. Every
prompt gets its input and output streams from a `Terminal`, so tests can drive the real
prompts with key presses through prompt_toolkit's pipe input.
"""

from __future__ import annotations

import math
import shutil
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal, Protocol

from advisor.knowledge.vocabulary import FactSpec, read_number


class Action(Enum):
    """Answers that are not a value of the fact."""

    DONT_KNOW = "don't know"
    SKIP_TOPIC = "don't know, nor anything else about the topic"
    WHY = "why"
    REPORT = "report"
    BACK = "back"


DONT_KNOW_LABEL = "Don't know"
WHY_LABEL = "Why are you asking?"
MORE_WHY_LABEL = "Why? Every rule waiting on this answer"
REPORT_LABEL = "Show the report so far"
BACK_LABEL = "Back (change the previous answer)"
NUMBER_WORDS = {"?": Action.WHY, "why": Action.WHY, "<": Action.BACK, "back": Action.BACK,
                "-": Action.DONT_KNOW, "don't know": Action.DONT_KNOW, "dont know": Action.DONT_KNOW,
                "unknown": Action.DONT_KNOW, "r": Action.REPORT, "report": Action.REPORT}

PromptKind = Literal["select", "checkbox", "text"]


@dataclass(frozen=True)
class Prompt:
    """What is on screen: `key` is the fact asked, or `resume`, `save`, `save_path`."""

    key: str
    message: str
    kind: PromptKind
    options: tuple[tuple[str, Any], ...] = ()  # (label, value) of select and checkbox items
    default: Any = None  # preselected value (select), ticked values (checkbox), prefilled text


@dataclass(frozen=True)
class Reply:
    """A fact's answer: a canonical value, or one of the actions."""

    value: Any = None
    action: Action | None = None


class Terminal(Protocol):
    def streams(self, prompt: Prompt) -> Any:
        """A context manager giving (input, output) for one prompt; None means the real terminal."""


class RealTerminal:
    """The user's terminal. Prompts go to stderr when stdout is redirected (`> report.json`)."""

    @contextmanager
    def streams(self, prompt: Prompt) -> Iterator[tuple[Any, Any]]:
        from prompt_toolkit.output import create_output

        yield None, create_output(always_prefer_tty=True)


CHECKLIST_KEY = "checklist"
CHECKLIST_MESSAGE = "Which of these apply? Tick each yes; the others count as no."
TOPICS_KEY = "topics"
TOPICS_MESSAGE = "Which of these can you already speak to (decided, or known)? The others are asked last."
SURVEY_KEY = "survey"
SURVEY_MESSAGE = "Which of these can you answer now (decided, or known)? The others are asked last."


def fact_options(fact: FactSpec, can_go_back: bool, asked_why: bool = False,
                 topic: str | None = None) -> tuple[tuple[str, Any], ...]:
    """The menu of a select or checkbox question, in screen order (after the separator: actions)."""
    if fact.type == "bool":
        values: list[tuple[str, Any]] = [("Yes", True), ("No", False)]
    else:
        values = [(label, name) for name, label in fact.values.items()]
    return tuple(values) + action_options(can_go_back, asked_why, topic)


def action_options(can_go_back: bool, asked_why: bool, topic: str | None = None) -> tuple[tuple[str, Action], ...]:
    """The actions after a question's values; `topic`: the question's topic, which "don't know"
    may retire whole (SKIP_TOPIC, its other questions asked last)."""
    actions = [(DONT_KNOW_LABEL, Action.DONT_KNOW), (MORE_WHY_LABEL if asked_why else WHY_LABEL, Action.WHY),
               (REPORT_LABEL, Action.REPORT)]
    if topic is not None:
        actions.insert(1, (f"Don't know, nor anything else about {topic} (asked last)", Action.SKIP_TOPIC))
    if can_go_back:
        actions.append((BACK_LABEL, Action.BACK))
    return tuple(actions)


def number_hint(fact: FactSpec) -> str:
    parts = [fact.unit or "a number"]
    if fact.min is not None and fact.max is not None:
        parts.append(f"{fact.min:g} to {fact.max:g}")
    elif fact.min is not None:
        parts.append(f"at least {fact.min:g}")
    elif fact.max is not None:
        parts.append(f"at most {fact.max:g}")
    return ", ".join(parts)


def parse_number(fact: FactSpec, text: str, can_go_back: bool) -> Reply | str:
    """A Reply, or an error message to show under the prompt."""
    typed = text.strip().lower()
    if typed in NUMBER_WORDS:
        action = NUMBER_WORDS[typed]
        if action is Action.BACK and not can_go_back:
            return "this is the first question: there is no previous answer to change"
        return Reply(action=action)
    try:
        value = read_number(typed)
    except ValueError:
        return f"type a number ({number_hint(fact)}), or ? why, r report so far, - don't know, < back"
    if not math.isfinite(value):
        return "type a finite number"
    try:
        return Reply(fact.check(value))
    except ValueError:
        return f"out of range: {number_hint(fact)}"


ACTION_KEYS = {Action.DONT_KNOW: "d", Action.SKIP_TOPIC: "s", Action.WHY: "w", Action.REPORT: "r", Action.BACK: "b"}


# What is drawn before an item's title: the pointer (3 columns), then a checkbox's box (2) or a
# select's shortcut "1) " (3).
POINTER_WIDTH, INDICATOR_WIDTH, SHORTCUT_WIDTH = 3, 2, 3
NARROWEST = 20


def screen_columns(output: Any) -> int:
    """The width items are drawn in: the prompt's own output's, else the terminal's."""
    try:
        columns = int(output.get_size().columns) if output is not None else shutil.get_terminal_size().columns
    except (AttributeError, OSError, ValueError):
        columns = 80
    return max(columns, NARROWEST)


def fit_label(label: str, columns: int, indent: int) -> str:
    """A label wrapped between words to fit beside its pointer; the window would cut it at the edge.

    Continuation lines hang under the label's first letter. Only a word longer than a whole
    line is split, since the prompt's window would cut it off at the edge.
    """
    width = max(columns - indent - 1, 8)
    if len(label) <= width:
        return label
    lines = textwrap.wrap(label, width=width, break_long_words=True, break_on_hyphens=False)
    return ("\n" + " " * indent).join(lines)


def _shortcut(label: str, value: Any) -> str | None:
    """y/n for Yes and No, d/s/w/r/b for the actions (ACTION_KEYS); None numbers the rest (a choice between two
    sentences, such as "A new design", is 1 and 2, not y and n)."""
    if isinstance(value, bool) and label.split(",")[0].split()[0] in ("Yes", "No"):
        return "y" if value else "n"
    return ACTION_KEYS.get(value) if isinstance(value, Action) else None


def menu_items(options: tuple[tuple[str, Any], ...], columns: int, indent: int,
               descriptions: dict[Any, str | None] | None = None) -> list[Any]:
    """The options as menu items, a separator before the actions; an action's key answers at
    once (one key: no arrows, no Enter)."""
    from advisor.interactive.menus import SEPARATOR, Item

    items: list[Any] = []
    for label, value in options:
        action = isinstance(value, Action)
        if action and SEPARATOR not in items:
            items.append(SEPARATOR)
        items.append(Item(fit_label(label, columns, indent), value, key=_shortcut(label, value), instant=action,
                          description=(descriptions or {}).get(value)))
    return items


class Prompter:
    """Asks the questions (advisor.interactive.menus); raises KeyboardInterrupt on Ctrl-C, EOFError on end of input."""

    def __init__(self, terminal: Terminal | None = None) -> None:
        self.terminal = terminal or RealTerminal()

    def ask_fact(self, fact: FactSpec, *, can_go_back: bool, default: Any = None,
                 asked_why: bool = False, topic: str | None = None) -> Reply:
        message = fact.question
        if fact.type == "number":
            return self._number(fact, message, can_go_back, default)
        options = fact_options(fact, can_go_back, asked_why, topic)
        if fact.type == "list":
            return self._checkbox(fact.name, message, options, default, lambda ticked: fact.check(list(ticked)))
        prompt = Prompt(fact.name, message, "select", options, default)
        chosen = self.select(prompt)
        return Reply(action=chosen) if isinstance(chosen, Action) else Reply(chosen)

    def select(self, prompt: Prompt) -> Any:
        from advisor.interactive import menus

        values = [value for _, value in prompt.options]
        default = prompt.default if prompt.default in values else None
        with self.terminal.streams(prompt) as (inp, out):
            items = menu_items(prompt.options, screen_columns(out), POINTER_WIDTH + SHORTCUT_WIDTH)
            return menus.select(prompt.message, items, default=default, input=inp, output=out)

    def ask_checklist(self, facts: list[FactSpec], *, can_go_back: bool, ticked: tuple[str, ...] = (),
                      asked_why: bool = False) -> Reply:
        """Yes-only facts in one checkbox: the names ticked (a tuple), or an action."""
        options = tuple((f.question, f.name) for f in facts) + action_options(can_go_back, asked_why)
        # Each question's help shows while it is highlighted, with what earlier answers add.
        helps = {f.name: " ".join([f.help, *f.notes]).strip() or None for f in facts}
        return self._checkbox(CHECKLIST_KEY, CHECKLIST_MESSAGE, options, ticked, tuple, helps)

    def ask_topics(self, topics: list[tuple[str, str]], *, ticked: tuple[str, ...] = (),
                   asked_why: bool = False) -> Reply:
        """The opening checklist of topics (label, area): the areas ticked (a tuple), or an action."""
        options = tuple(topics) + action_options(False, asked_why)
        return self._checkbox(TOPICS_KEY, TOPICS_MESSAGE, options, ticked, tuple)

    def ask_survey(self, facts: list[FactSpec], *, can_go_back: bool, ticked: tuple[str, ...] = (),
                   asked_why: bool = False) -> Reply:
        """Which of these questions the user can answer: the names ticked (a tuple), or an action."""
        options = tuple((f.question, f.name) for f in facts) + action_options(can_go_back, asked_why)
        helps = {f.name: " ".join([f.help, *f.notes]).strip() or None for f in facts}
        return self._checkbox(SURVEY_KEY, SURVEY_MESSAGE, options, ticked, tuple, helps)

    def _checkbox(self, key: str, message: str, options: tuple[tuple[str, Any], ...],
                  default: Any, finish: Callable[[list[Any]], Any],
                  descriptions: dict[Any, str | None] | None = None) -> Reply:
        from advisor.interactive import menus

        checked = tuple(default) if isinstance(default, tuple | list) else ()

        def validate(selected: list[Any]) -> bool | str:
            actions = [v for v in selected if isinstance(v, Action)]
            if actions and len(selected) > 1:
                return "tick either values or one of: don't know, why, back"
            return True

        prompt = Prompt(key, message, "checkbox", options, checked)
        keys = "".join(ACTION_KEYS[v] for _, v in options if isinstance(v, Action))
        while True:
            with self.terminal.streams(prompt) as (inp, out):
                items = menu_items(options, screen_columns(out), POINTER_WIDTH + INDICATOR_WIDTH, descriptions)
                selected = menus.checkbox(
                    message, items, ticked=checked, validate=validate, erase_when_done=True,
                    hint=f"(space ticks, enter confirms; {', '.join(keys)}: the actions below)",
                    input=inp, output=out)
            if len(selected) == 1 and isinstance(selected[0], Action):
                return Reply(action=selected[0])
            if selected or self.none_of_these(key, message):
                return Reply(finish(selected))

    def none_of_these(self, key: str, message: str) -> bool:
        """Enter with nothing ticked: make sure "none of these" is meant, not a missed space bar."""
        prompt = Prompt(key + ":none", f"Nothing ticked. None of these? ({message})", "select",
                        (("Yes, none of these", True), ("No, let me tick them", False)))
        return bool(self.select(prompt))

    def _number(self, fact: FactSpec, message: str, can_go_back: bool, default: Any) -> Reply:
        from advisor.interactive import menus

        prefilled = "" if default is None else str(default)
        prompt = Prompt(fact.name, message, "text", default=prefilled)
        back = ", < back" if can_go_back else ""
        hint = f"({number_hint(fact)}; ? why, r report so far, - don't know{back})"

        def validate(text: str) -> bool | str:
            result = parse_number(fact, text, can_go_back)
            return result if isinstance(result, str) else True

        with self.terminal.streams(prompt) as (inp, out):
            text = menus.text(message, default=prefilled, validate=validate, hint=hint,
                              back_key="<" if can_go_back else None, input=inp, output=out)
        result = parse_number(fact, text, can_go_back)
        assert isinstance(result, Reply)  # the validator accepted it
        return result

    def text(self, key: str, message: str, default: str, validate: Callable[[str], bool | str]) -> str:
        from advisor.interactive import menus

        prompt = Prompt(key, message, "text", default=default)
        with self.terminal.streams(prompt) as (inp, out):
            return menus.text(message, default=default, validate=validate, input=inp, output=out)
