"""One key for each action, everywhere (issue 25): at a checklist, b, w, r and d act at once
(no arrows, no Enter; b then Enter once submitted an empty checklist); at a select, b goes
back with one key press; at a number prompt, `<` does; the design-or-review question is
answered 1 or 2, not y/n. Driven through the real prompts by key presses."""

from __future__ import annotations

from test_interactive import DONT_KNOW, Keys, KeyTerminal, Queue, run
from test_interactive_checklist import EXPRESSIONS

from advisor.interactive.interview import MODE_PROMPT
from advisor.interactive.prompts import CHECKLIST_KEY, Prompt, Prompter


def test_checklist_letters_act_at_once(tmp_path):
    previews: list[dict] = []
    terminal = KeyTerminal({"hyperparameter_expressions": EXPRESSIONS,
                            CHECKLIST_KEY: Queue(Keys("w"), Keys("r"), Keys("d")),
                            "tuned_hyperparameter_count": 3, "max_total_trials": 100}, default=DONT_KNOW)
    _, answers, screen = run(tmp_path, terminal, previews, focus="sweep")
    keys = [p.key for p in terminal.questions]
    assert keys[1:4] == [CHECKLIST_KEY] * 3  # w: why, then asked again; r: the report so far, again; d
    assert "Why ask these?" in screen
    assert len(previews) == 1 and previews[0]["scenario"]["name"].endswith("(so far)")
    checklist = [name for _, name in terminal.questions[1].options if isinstance(name, str)]
    assert all(answers.values[name] is None for name in checklist)  # d: don't know, not "no" to each
    assert "checklist:none" not in [p.key for p in terminal.prompts]  # never an empty checklist


def test_b_at_a_checklist_goes_back_at_once(tmp_path):
    terminal = KeyTerminal({"hyperparameter_expressions": Queue(EXPRESSIONS, EXPRESSIONS),
                            CHECKLIST_KEY: Queue(Keys("b"), ("reproducible_results",)),
                            "tuned_hyperparameter_count": 3, "max_total_trials": 100})
    _, answers, _ = run(tmp_path, terminal, focus="sweep")
    keys = [p.key for p in terminal.questions]
    assert keys[:4] == ["hyperparameter_expressions", CHECKLIST_KEY, "hyperparameter_expressions", CHECKLIST_KEY]
    assert answers.values["reproducible_results"] is True


def test_b_at_a_select_and_lt_at_a_number_go_back_with_one_key(tmp_path):
    terminal = KeyTerminal({"hyperparameter_expressions": EXPRESSIONS,
                            CHECKLIST_KEY: Queue(("learn_from_previous_trials",), ("learn_from_previous_trials",)),
                            "tuned_hyperparameter_count": Queue(Keys("<"), 3), "max_total_trials": 100})
    _, answers, _ = run(tmp_path, terminal, focus="sweep")
    keys = [p.key for p in terminal.questions]
    assert keys[1:4] == [CHECKLIST_KEY, "tuned_hyperparameter_count", CHECKLIST_KEY]  # `<`, no Enter
    assert answers.values["tuned_hyperparameter_count"] == 3


class OneKey:
    """A terminal that presses `keys` at the one prompt asked."""

    def __init__(self, keys: str) -> None:
        self.keys = keys

    def streams(self, prompt: Prompt):
        from contextlib import contextmanager

        from prompt_toolkit.input import create_pipe_input
        from prompt_toolkit.output import DummyOutput

        @contextmanager
        def opened():
            with create_pipe_input() as pipe:
                pipe.send_text(self.keys)
                yield pipe, DummyOutput()

        return opened()


def test_b_at_a_yes_no_question_is_back_without_enter(knowledge):
    fact = knowledge.vocabulary.fact("reproducible_results")
    reply = Prompter(OneKey("b")).ask_fact(fact, can_go_back=True)
    assert reply.action is not None and reply.action.name == "BACK"


def test_the_first_question_is_answered_1_or_2():
    assert Prompter(OneKey("2\r")).select(MODE_PROMPT) is True
    assert Prompter(OneKey("1\r")).select(MODE_PROMPT) is False
    assert Prompter(OneKey("y\r")).select(MODE_PROMPT) is False  # y no longer means "review"
