"""The prompts themselves, on prompt_toolkit: a menu (pick one), a checkbox (tick several) and a
line of text, each one small Application.

They look and answer as questionary's select, checkbox and text do ("? question (hint)", the »
pointer, "1) " shortcuts, ○/● boxes, the answer in orange once given, the error under the
prompt), but questionary builds a select or checkbox around two throw-away PromptSessions (only
a piece of each one's layout is used) and a text prompt is a whole PromptSession (completion
menus, search, system and argument toolbars): three windows do here, at a fraction of the CPU a
prompt costs (the commit that made this module has the figures; tests/test_prompt_cost.py).

prompt_toolkit's default key bindings (emacs, vi, mouse, terminal replies: several hundred)
are built once per process and shared by every prompt: they are stateless, their filters read
the running app. Every prompt takes its input and output streams from the caller, so tests
drive them by key presses through prompt_toolkit's pipe input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

QMARK = "?"
POINTER = "»"
TICKED, UNTICKED = "●", "○"
SEPARATOR_LINE = "-" * 15
SHORTCUT_KEYS = "1234567890abcdefghijklmnopqrstuvwxyz"
INVALID_INPUT = "Invalid input"
SELECT_HINT = "(Use shortcuts or arrow keys)"
CHECKBOX_HINT = "(Use arrow keys to move, <space> to select, <a> to toggle, <i> to invert)"

# questionary's default look, class for class.
STYLE_RULES = [
    ("qmark", "fg:#5f819d"),
    ("question", "bold"),
    ("answer", "fg:#FF9D00 bold"),
    ("pointer", ""),
    ("selected", ""),
    ("separator", ""),
    ("instruction", ""),
    ("text", ""),
]


@dataclass(frozen=True)
class Item:
    """One line of a menu or checkbox. `key`: its shortcut (a select shows it as "k) "; None: the
    next free one of 1-9, 0, a-z); `instant`: pressing the key answers with this item at once."""

    label: str
    value: Any
    key: str | None = None
    instant: bool = False
    description: str | None = None


SEPARATOR = Item(SEPARATOR_LINE, None)


# --- what every prompt shares ---------------------------------------------------------------

_SHARED: dict[str, Any] = {}


def _default_bindings(editing: bool) -> Any:
    """prompt_toolkit's default key bindings less those that can never act here, built once.

    An Application builds its defaults afresh (several hundred bindings: basic, emacs, vi, mouse,
    terminal replies) and looks each key press up in all of them. The editing ones act only
    while a buffer has the focus, which no menu has, and the vi ones only in vi mode, which
    no prompt here enters; so a menu keeps the mouse and terminal-reply bindings, and a text
    prompt those plus the basic and emacs editing ones (Backspace, Ctrl-U, the arrows, ...).
    """
    key = "editing" if editing else "menu"
    if key not in _SHARED:
        from prompt_toolkit.filters import buffer_has_focus
        from prompt_toolkit.key_binding import ConditionalKeyBindings, merge_key_bindings
        from prompt_toolkit.key_binding.bindings import basic, cpr, emacs, mouse

        parts = [mouse.load_mouse_bindings(), cpr.load_cpr_bindings()]
        if editing:
            editors = [basic.load_basic_bindings(), emacs.load_emacs_bindings(), emacs.load_emacs_search_bindings(),
                       emacs.load_emacs_shift_selection_bindings()]
            parts.insert(0, ConditionalKeyBindings(merge_key_bindings(editors), buffer_has_focus))
        _SHARED[key] = merge_key_bindings(parts)
    return _SHARED[key]


@contextmanager
def shared_defaults(editing: bool) -> Iterator[None]:
    """While an Application is made, it takes the shared default key bindings (and page
    navigation bindings, which act only full screen) instead of building its own."""
    from prompt_toolkit.application import application

    if "pages" not in _SHARED:
        _SHARED["pages"] = application.load_page_navigation_bindings()
    defaults = _default_bindings(editing)
    build, pages = application.load_key_bindings, application.load_page_navigation_bindings
    application.load_key_bindings = lambda: defaults
    application.load_page_navigation_bindings = lambda: _SHARED["pages"]
    try:
        yield
    finally:
        application.load_key_bindings, application.load_page_navigation_bindings = build, pages


def _style() -> Any:
    """prompt_toolkit's own style with questionary's look on top, made once; it remembers what
    each style string comes to, as every prompt draws the same few (an Application would merge
    and parse a few hundred style rules afresh for each prompt)."""
    if "style" not in _SHARED:
        from prompt_toolkit.styles import BaseStyle, Style, default_ui_style, merge_styles
        from prompt_toolkit.styles.base import DEFAULT_ATTRS, Attrs

        class Remembered(BaseStyle):
            def __init__(self, style: BaseStyle) -> None:
                self.style = style
                self.attrs: dict[tuple[str, Attrs], Attrs] = {}

            def get_attrs_for_style_str(self, style_str: str, default: Attrs = DEFAULT_ATTRS) -> Attrs:
                key = (style_str, default)
                if key not in self.attrs:
                    self.attrs[key] = self.style.get_attrs_for_style_str(style_str, default)
                return self.attrs[key]

            @property
            def style_rules(self) -> list[tuple[str, str]]:
                return self.style.style_rules

            def invalidation_hash(self) -> Any:
                return self.style.invalidation_hash()

        _SHARED["style"] = Remembered(merge_styles([default_ui_style(), Style(STYLE_RULES)]))
    return _SHARED["style"]


def _prompt_class() -> Any:
    if "class" not in _SHARED:
        from prompt_toolkit.application import Application

        class Prompt(Application[Any]):
            """An Application drawn in the one shared style (no Pygments style: no prompt here
            uses a lexer that needs it)."""

            def _create_merged_style(self, include_default_pygments_style: Any) -> Any:
                return _style()

        _SHARED["class"] = Prompt
    return _SHARED["class"]


def _application(children: list[Any], bindings: Any, *, input: Any, output: Any,
                 erase_when_done: bool = False, editing: bool = False) -> Any:
    from prompt_toolkit.layout import HSplit, Layout

    with shared_defaults(editing):
        app = _prompt_class()(layout=Layout(HSplit(children)), key_bindings=bindings,
                              erase_when_done=erase_when_done, input=input, output=output)
    _paste_ends_when_quiet(app.input)
    return app


def _paste_ends_when_quiet(source: Any) -> None:
    """A bracketed paste the terminal never ends (its end marker lost: typed into the line that
    Ctrl-U then erased before the prompt took the terminal, or cut off) made prompt_toolkit's input
    parser take every later key as pasted text, Ctrl-C included: the prompt could be neither
    answered nor stopped (the second fuzzing pass, an exam question). A terminal sends a paste at
    once, so once input has gone quiet (prompt_toolkit's flush, ttimeoutlen after the last read)
    the paste so far ends there and what follows is keys again. The input, and so its parser, is
    shared by every prompt of the process: it is hooked once."""
    parser = getattr(source, "vt100_parser", None)
    if parser is None or not hasattr(parser, "_in_bracketed_paste") or getattr(parser, "ends_quiet_pastes", False):
        return
    from prompt_toolkit.key_binding import KeyPress
    from prompt_toolkit.keys import Keys

    flush = parser.flush

    def end_paste_then_flush() -> None:
        if parser._in_bracketed_paste:
            pasted, parser._paste_buffer, parser._in_bracketed_paste = parser._paste_buffer, "", False
            parser.feed_key_callback(KeyPress(Keys.BracketedPaste, pasted))
        flush()

    parser.flush = end_paste_then_flush
    parser.ends_quiet_pastes = True


def _run(build: Callable[[], Any]) -> Any:
    """Run the prompt `build` makes. A SIGINT (Ctrl-C typed in the instant before the terminal
    goes raw, or `kill -INT`) or a closed terminal's SIGHUP, at any moment of the prompt's life,
    ends it with KeyboardInterrupt as Ctrl-C does (advisor.interactive.prompt_loop)."""
    from advisor.interactive.prompt_loop import run

    return run(build)


def _stop_keys(bindings: Any) -> None:
    """Ctrl-C and Ctrl-Q stop the prompt with KeyboardInterrupt (in raw mode Ctrl-C arrives as a
    key; a SIGINT is _run's)."""
    def stop(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    for key in ("c-c", "c-q"):
        bindings.add(key, eager=True)(stop)


def _question_line(message: str, answer: Callable[[], str | None], hint: str) -> Any:
    from prompt_toolkit.layout import FormattedTextControl, Window

    def tokens() -> list[tuple[str, str]]:
        given = answer()
        last = ("class:answer", given) if given is not None else ("class:instruction", hint)
        return [("class:qmark", QMARK), ("class:question", f" {message} "), last]

    return Window(FormattedTextControl(tokens), wrap_lines=True, dont_extend_height=True, always_hide_cursor=True)


def _error_line(error: Callable[[], str | None]) -> Any:
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.layout import ConditionalContainer, FormattedTextControl, Window

    return ConditionalContainer(
        Window(FormattedTextControl(lambda: [("class:validation-toolbar", error() or "")]), wrap_lines=True,
               dont_extend_height=True),
        filter=Condition(lambda: error() is not None))


# --- select and checkbox --------------------------------------------------------------------

class _Menu:
    """The items, where the pointer is and what is ticked; draws them as questionary does."""

    def __init__(self, items: Sequence[Item], pointed: int, ticked: list[Any], *, shortcuts: bool,
                 boxes: bool) -> None:
        self.items = list(items)
        self.pointed = pointed
        self.ticked = ticked
        self.shortcuts = shortcuts
        self.boxes = boxes
        self.answered = False
        self.error: str | None = None
        taken = {item.key for item in self.items if item.key is not None}
        free = iter(k for k in SHORTCUT_KEYS if k not in taken)
        self.keys = [None if item is SEPARATOR else item.key or next(free, None) for item in self.items]

    def move(self, step: int) -> None:
        self.pointed = (self.pointed + step) % len(self.items)
        while self.items[self.pointed] is SEPARATOR:
            self.pointed = (self.pointed + step) % len(self.items)

    @property
    def current(self) -> Item:
        return self.items[self.pointed]

    def tokens(self) -> list[tuple[str, str]]:
        tokens: list[tuple[str, str]] = []
        for index, item in enumerate(self.items):
            if index == self.pointed:
                tokens += [("class:pointer", f" {POINTER} "), ("[SetCursorPosition]", "")]
            else:
                tokens.append(("class:text", "   "))
            if item is SEPARATOR:
                tokens.append(("class:separator", item.label))
            else:
                key = self.keys[index]
                shortcut = (f"{key}) " if key is not None else "-) ") if self.shortcuts else ""
                if item.value in self.ticked:
                    tokens += [("class:selected", TICKED + " " if self.boxes else ""),
                               ("class:selected", shortcut + item.label)]
                else:
                    tokens += [("class:text", UNTICKED + " " if self.boxes else ""),
                               ("class:highlighted" if index == self.pointed else "class:text",
                                shortcut + item.label)]
            tokens.append(("", "\n"))
        if self.current.description is not None:
            tokens.append(("class:text", f"  Description: {self.current.description}"))
        else:
            tokens.pop()  # no newline after the last item
        return tokens

    def window(self) -> Any:
        from prompt_toolkit.filters import is_done
        from prompt_toolkit.layout import ConditionalContainer, FormattedTextControl, Window

        return ConditionalContainer(Window(FormattedTextControl(self.tokens), dont_extend_height=True), filter=~is_done)

    def bindings(self, jk_keys: bool, finish: Callable[[Any, Any], None]) -> Any:
        """Arrow keys (and Ctrl-N/P, j/k if asked) move; an instant item's key calls `finish`."""
        from prompt_toolkit.key_binding import KeyBindings

        bindings = KeyBindings()
        _stop_keys(bindings)
        moves = [("down", 1), ("up", -1), ("c-n", 1), ("c-p", -1)] + ([("j", 1), ("k", -1)] if jk_keys else [])
        for key, step in moves:
            bindings.add(key, eager=True)(lambda event, step=step: self.move(step))
        bindings.add("<any>")(lambda event: None)  # nothing is typed into a menu
        for item, key in zip(self.items, self.keys, strict=True):
            if item.instant and key is not None:
                bindings.add(key, eager=True)(lambda event, item=item: finish(event, item.value))
        return bindings


def _first(items: Sequence[Item], value: Any = None) -> int:
    for index, item in enumerate(items):
        if item is not SEPARATOR and (value is None or item.value == value):
            return index
    return _first(items) if value is not None else 0


def select(message: str, items: Sequence[Item], *, default: Any = None, hint: str = SELECT_HINT,
           jk_keys: bool = False, input: Any = None, output: Any = None) -> Any:
    """The value of the item picked (Enter on the pointed item, or an instant item's key)."""
    menu = _Menu(items, _first(items, default), [default] if default is not None else [], shortcuts=True,
                 boxes=False)
    answer: list[str] = []

    def finish(event: Any, value: Any) -> None:
        menu.answered = True
        label = next(i.label for i in menu.items if i is not SEPARATOR and i.value == value)
        answer.append(" ".join(label.split()))  # a label wrapped to fit, on one line
        event.app.exit(result=value)

    bindings = menu.bindings(jk_keys, finish)
    for index, key in enumerate(menu.keys):
        if key is not None and not menu.items[index].instant:
            bindings.add(key, eager=True)(lambda event, index=index: setattr(menu, "pointed", index))
    bindings.add("enter", eager=True)(lambda event: finish(event, menu.current.value))
    return _run(lambda: _application([_question_line(message, lambda: answer[0] if answer else None, hint),
                                       menu.window()], bindings, input=input, output=output))


def checkbox(message: str, items: Sequence[Item], *, ticked: Sequence[Any] = (), hint: str = CHECKBOX_HINT,
             validate: Callable[[list[Any]], bool | str] | None = None, jk_keys: bool = False,
             erase_when_done: bool = False, input: Any = None, output: Any = None) -> list[Any]:
    """The values ticked, in the items' order, once `validate` accepts them (its message shows
    under the items after a first Enter); an instant item's key answers [its value] at once."""
    values = [item for item in items if item is not SEPARATOR]
    menu = _Menu(items, _first(items), [item.value for item in values if item.value in ticked], shortcuts=False,
                 boxes=True)
    tried = [False]

    def chosen() -> list[Any]:
        return [item.value for item in values if item.value in menu.ticked]

    def check() -> bool:
        verdict = validate(chosen()) if validate is not None else True
        menu.error = None if verdict is True or not tried[0] else (verdict or INVALID_INPUT)
        return verdict is True

    def finish(event: Any, value: Any) -> None:
        menu.answered = True
        event.app.exit(result=[value])

    def toggle(event: Any) -> None:
        value = menu.current.value
        menu.ticked.remove(value) if value in menu.ticked else menu.ticked.append(value)
        check()

    def tick_all(event: Any) -> None:
        missing = [item.value for item in values if item.value not in menu.ticked and not item.instant]
        menu.ticked[:] = [] if not missing else menu.ticked + missing
        check()

    def invert(event: Any) -> None:
        menu.ticked[:] = [item.value for item in values if item.value not in menu.ticked and not item.instant]
        check()

    def confirm(event: Any) -> None:
        tried[0] = True
        if check():
            menu.answered = True
            event.app.exit(result=chosen())

    def summary() -> str | None:
        if not menu.answered:
            return None
        picked = [item.label for item in values if item.value in menu.ticked]
        return "done" if not picked else f"[{picked[0]}]" if len(picked) == 1 else f"done ({len(picked)} selections)"

    bindings = menu.bindings(jk_keys, finish)
    bindings.add(" ", eager=True)(toggle)
    bindings.add("a", eager=True)(tick_all)
    bindings.add("i", eager=True)(invert)
    bindings.add("enter", eager=True)(confirm)
    return _run(lambda: _application([_question_line(message, summary, hint), menu.window(),
                                       _error_line(lambda: menu.error)],
                                      bindings, input=input, output=output, erase_when_done=erase_when_done))


# --- a line of text -------------------------------------------------------------------------

def _Checker(check: Callable[[Any], None]) -> Any:  # noqa: N802 - a class, made on first use
    if "checker" not in _SHARED:
        from prompt_toolkit.validation import Validator

        class Checker(Validator):
            def __init__(self, check: Callable[[Any], None]) -> None:
                self.check = check

            def validate(self, document: Any) -> None:
                self.check(document)

        _SHARED["checker"] = Checker
    return _SHARED["checker"](check)


def text(message: str, *, default: str = "", hint: str = "", validate: Callable[[str], bool | str] | None = None,
         back_key: str | None = None, input: Any = None, output: Any = None) -> str:
    """The line typed, once `validate` accepts it on Enter (its message shows under the line).
    The default bindings edit the line (Backspace, Ctrl-U, arrows, ...); Ctrl-D on an empty line
    raises EOFError; `back_key` typed on an empty line answers with itself at once."""
    from prompt_toolkit.application import get_app
    from prompt_toolkit.buffer import Buffer
    from prompt_toolkit.document import Document
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.layout import BufferControl, Window
    from prompt_toolkit.layout.processors import BeforeInput
    from prompt_toolkit.lexers import SimpleLexer
    from prompt_toolkit.validation import ValidationError

    def check(document: Document) -> None:
        verdict = validate(document.text) if validate is not None else True
        if verdict is not True:
            raise ValidationError(message=verdict or INVALID_INPUT, cursor_position=len(document.text))

    def accept(buffer: Buffer) -> bool:
        get_app().exit(result=buffer.text)
        return True  # keep the text on screen

    buffer = Buffer(document=Document(default), validator=_Checker(check), validate_while_typing=True,
                    accept_handler=accept, multiline=False)
    prompt = [("class:qmark", QMARK), ("class:question", f" {message} ")]
    if hint:
        prompt.append(("class:instruction", f" {hint} "))
    line = Window(BufferControl(buffer, input_processors=[BeforeInput(prompt)], lexer=SimpleLexer("class:answer")),
                  wrap_lines=True, dont_extend_height=True)
    empty = Condition(lambda: not buffer.text)
    bindings = KeyBindings()
    _stop_keys(bindings)
    bindings.add("c-d", filter=empty, eager=True)(
        lambda event: event.app.exit(exception=EOFError, style="class:exiting"))
    bindings.add("enter", eager=True)(lambda event: buffer.validate_and_handle())
    if back_key is not None:
        bindings.add(back_key, filter=empty, eager=True)(lambda event: event.app.exit(result=back_key))
    error = _error_line(lambda: buffer.validation_error.message if buffer.validation_error else None)
    return _run(lambda: _application([line, error], bindings, input=input, output=output, editing=True))
