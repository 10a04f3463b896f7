"""What a prompt costs beyond drawing it (advisor/interactive/prompts.py): prompt_toolkit's
default key bindings are built once for every prompt of the process, not for each of the three
Applications a questionary prompt makes, and left as they were once the prompt is made; the
default Pygments style (no prompt here uses a lexer) is not merged into each prompt's style.
The prompts still work by key presses: Ctrl-U and Backspace come from those default bindings."""

from __future__ import annotations

from prompt_toolkit.application import application
from test_interactive import BACKSPACE, CTRL_U, DOWN, ENTER, Keys, KeyTerminal

from advisor.interactive import prompts
from advisor.interactive.prompts import Action, Prompt, Prompter


def test_the_default_key_bindings_are_built_once_and_still_edit(monkeypatch, knowledge):
    built: list[object] = []
    real = application.load_key_bindings

    def counted():
        built.append(real())
        return built[-1]

    monkeypatch.setattr(application, "load_key_bindings", counted)
    monkeypatch.setattr(prompts, "_DEFAULT_BINDINGS", [])
    fact = knowledge.vocabulary.require_fact("max_total_trials")
    terminal = KeyTerminal({
        # typed over the prefilled 5: Ctrl-U clears it, Backspace takes back the 9
        "max_total_trials": Keys(CTRL_U + "409" + BACKSPACE + ENTER),
        "pick": "b",
    })
    prompter = Prompter(terminal)
    assert prompter.select(Prompt("go_on", "Go on?", "select", (("Go on", True), ("Stop", False)))) is True
    assert prompter.ask_fact(fact, can_go_back=False, default=5).value == 40
    assert prompter.select(Prompt("pick", "Which?", "select", (("A", "a"), ("B", "b")))) == "b"

    assert len(built) == 1, "one set of default key bindings for every prompt"
    assert application.load_key_bindings is counted, "restored once the prompt is made"


def test_a_prompt_s_style_leaves_out_the_pygments_rules(monkeypatch):
    import questionary

    made = []
    select = questionary.select

    def keep(*args, **kwargs):
        made.append(select(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(questionary, "select", keep)
    terminal = KeyTerminal({"pick": Keys(DOWN + ENTER)})
    options = (("A", "a"), ("B", "b"), ("Don't know", Action.DONT_KNOW))
    assert Prompter(terminal).select(Prompt("pick", "Which?", "select", options)) == "b"
    rules = made[0].application.renderer.style.style_rules
    assert any(name.startswith("pointer") or "pointer" in name for name, _ in rules), "questionary's style is there"
    assert not [name for name, _ in rules if "pygments" in name]
