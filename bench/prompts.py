"""CPU time per prompt of the questionnaire, by kind, against prompt_toolkit's own floor.

    uv run python bench/prompts.py [--repeat 40] [--rounds 5] [--markdown]

Each prompt is the real Prompter's (advisor/interactive/prompts.py -> menus.py) on the shipped
vocabulary, answered by key presses through prompt_toolkit's pipe input and drawn on a
DummyOutput (80 columns), as the tests drive them: a choice fact (a select), a list fact (a
checkbox), five yes-only facts (a checklist) and a number fact (a text prompt, prefilled and
typed over). The reference is a stock prompt_toolkit Application of one one-line window that
Enter ends, on the same streams: what the plainest prompt costs when made the default way
(default key bindings and style built for it). Every round runs each kind `--repeat` times
after one warm-up, kinds and reference taking turns, so the machine's load falls on all alike;
the figures are medians of per-prompt thread CPU time (time.thread_time), and the ratio is the
kind's median over the reference's. A script, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import table  # noqa: E402


class PipeTerminal:
    """Each prompt reads `keys` from a fresh pipe and draws on a DummyOutput."""

    keys = ""

    @contextmanager
    def streams(self, prompt: Any):
        from prompt_toolkit.input import create_pipe_input
        from prompt_toolkit.output import DummyOutput

        with create_pipe_input() as pipe:
            pipe.send_text(self.keys)
            yield pipe, DummyOutput()


def kinds(terminal: PipeTerminal) -> dict[str, tuple[Callable[[], Any], str]]:
    from advisor.engine import get_advisor
    from advisor.interactive.prompts import Prompter

    vocabulary = get_advisor().knowledge.vocabulary
    facts = vocabulary.input_facts
    prompter = Prompter(terminal)
    choice = next(f for f in facts if f.type == "choice" and len(f.values) >= 4)
    listed = next(f for f in facts if f.type == "list")
    yes_only = [f for f in facts if f.type == "bool"][:5]
    number = vocabulary.require_fact("max_total_trials")
    return {
        f"select ({choice.name}, {len(choice.values)} values)":
            (lambda: prompter.ask_fact(choice, can_go_back=True), "\x1b[B\r"),
        f"checkbox ({listed.name}, {len(listed.values)} values)":
            (lambda: prompter.ask_fact(listed, can_go_back=True), " \r"),
        "checklist (5 yes-only facts)": (lambda: prompter.ask_checklist(yes_only, can_go_back=True), " \r"),
        "text (a number, prefilled)":
            (lambda: prompter.ask_fact(number, can_go_back=True, default=5), "\x1512\r"),
    }


def stock(terminal: PipeTerminal) -> Any:
    from prompt_toolkit.application import Application
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.layout import FormattedTextControl, Layout, Window

    bindings = KeyBindings()
    bindings.add("enter")(lambda event: event.app.exit(result=True))
    with terminal.streams(None) as (pipe, output):
        app = Application(layout=Layout(Window(FormattedTextControl("? Go on?"), height=1)), key_bindings=bindings,
                          input=pipe, output=output)
        return app.run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=40, help="prompts of each kind per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--markdown", action="store_true")
    options = parser.parse_args()

    terminal = PipeTerminal()
    reference = "stock one-window Application"
    measured = {reference: (lambda: stock(terminal), "\r"), **kinds(terminal)}
    samples: dict[str, list[float]] = {name: [] for name in measured}
    load_at_start = os.getloadavg()[0]
    for _ in range(options.rounds):
        for name, (ask, keys) in measured.items():
            terminal.keys = keys
            ask()  # warm-up: the first prompt of a process builds the shared key bindings and style
            for _ in range(options.repeat):
                before = time.thread_time()
                ask()
                samples[name].append(time.thread_time() - before)
    medians = {name: statistics.median(times) for name, times in samples.items()}
    rows = [(name, table.ms(value), f"{value / medians[reference]:.2f}x") for name, value in medians.items()]
    title = (f"CPU per prompt, median of {options.rounds} x {options.repeat} "
             f"({table.machine()}; {table.load(load_at_start)})")
    render = table.markdown if options.markdown else table.plain
    print(render(title, ("prompt", "CPU", "÷ stock Application"), rows))


if __name__ == "__main__":
    main()
