"""What a prompt costs beyond drawing it (advisor/interactive/menus.py): each prompt is one
Application of a few windows, never a PromptSession (questionary made two throw-away ones per
select or checkbox, and a text prompt is one); prompt_toolkit's default key bindings (less those
that can never act here: vi's, and in a menu the editing ones) are built once for every prompt
of the process, and left as they were once the prompt is made; one style is made once (no
Pygments style: no prompt here uses a lexer that needs it). The prompts still work by key
presses: Ctrl-U and Backspace come from those default bindings."""

from __future__ import annotations

from prompt_toolkit.application import application
from prompt_toolkit.shortcuts.prompt import PromptSession
from test_interactive import BACKSPACE, CTRL_U, DOWN, ENTER, Keys, KeyTerminal

from advisor.interactive import menus
from advisor.interactive.prompts import Action, Prompt, Prompter


def test_the_default_key_bindings_are_built_once_and_still_edit(monkeypatch, knowledge):
    built, apps = [], []
    real_build, real_application = application.load_key_bindings, menus._application

    def counted():
        built.append(real_build())
        return built[-1]

    def keep(*args, **kwargs):
        apps.append(real_application(*args, **kwargs))
        return apps[-1]

    monkeypatch.setattr(application, "load_key_bindings", counted)
    monkeypatch.setattr(menus, "_application", keep)
    monkeypatch.setattr(menus, "_SHARED", {})
    fact = knowledge.vocabulary.require_fact("max_total_trials")
    terminal = KeyTerminal({
        # typed over the prefilled 5: Ctrl-U clears it, Backspace takes back the 9
        "max_total_trials": Keys(CTRL_U + "409" + BACKSPACE + ENTER),
        "pick": "b",
        "name": Keys("x" + BACKSPACE + "ok" + ENTER),
    })
    prompter = Prompter(terminal)
    assert prompter.select(Prompt("go_on", "Go on?", "select", (("Go on", True), ("Stop", False)))) is True
    assert prompter.ask_fact(fact, can_go_back=False, default=5).value == 40
    assert prompter.select(Prompt("pick", "Which?", "select", (("A", "a"), ("B", "b")))) == "b"
    assert prompter.text("name", "Name?", "", lambda typed: True) == "ok"

    assert built == [], "prompt_toolkit's full default set is never built"
    menu_defaults, text_defaults = {id(apps[0]._default_bindings), id(apps[2]._default_bindings)}, \
        {id(apps[1]._default_bindings), id(apps[3]._default_bindings)}
    assert len(menu_defaults) == 1 and len(text_defaults) == 1, "one shared set for menus, one for text"
    assert len({id(app.renderer.style) for app in apps}) == 1, "one shared style"
    assert application.load_key_bindings is counted, "restored once the prompt is made"


def test_no_prompt_makes_a_prompt_session_or_takes_the_pygments_style(monkeypatch, knowledge):
    sessions, apps = [], []
    real_session, real_application = PromptSession.__init__, menus._application

    def session(self, *args, **kwargs):
        sessions.append(self)
        real_session(self, *args, **kwargs)

    def keep(*args, **kwargs):
        apps.append(real_application(*args, **kwargs))
        return apps[-1]

    monkeypatch.setattr(PromptSession, "__init__", session)
    monkeypatch.setattr(menus, "_application", keep)
    vocabulary = knowledge.vocabulary
    listed = next(f for f in vocabulary.input_facts if f.type == "list")
    terminal = KeyTerminal({"pick": Keys(DOWN + ENTER), "max_total_trials": 7, listed.name: DONT_KNOW_KEY})
    prompter = Prompter(terminal)
    options = (("A", "a"), ("B", "b"), ("Don't know", Action.DONT_KNOW))
    assert prompter.select(Prompt("pick", "Which?", "select", options)) == "b"
    assert prompter.ask_fact(vocabulary.require_fact("max_total_trials"), can_go_back=False).value == 7
    assert prompter.ask_fact(listed, can_go_back=False).action is Action.DONT_KNOW

    assert sessions == [], "no PromptSession, not even a throw-away one"
    assert len(apps) == 3, "one Application a prompt"
    for app in apps:
        rules = app.renderer.style.style_rules
        assert ("answer", "fg:#FF9D00 bold") in rules, "questionary's look is there"
        assert not [name for name, _ in rules if "pygments" in name]


DONT_KNOW_KEY = Keys("d")
