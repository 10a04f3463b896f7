"""The interactive consultation, driven through the real prompts (advisor/interactive/menus.py) with key presses.

Each prompt gets a prompt_toolkit pipe input holding the keys a user would press, and a
DummyOutput (the pattern of questionary's own tests); the prompt layer asks a `Terminal`
for those streams, so nothing below the key presses is replaced.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from conftest import DEEP, SCENARIOS
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from advisor.cli.commands.consult import consult_interactively
from advisor.cli.framework import Exit
from advisor.errors import AdvisorError
from advisor.interactive import Action, DraftStore, InteractiveConsultation, Prompt, Prompter
from advisor.interactive.answers import EXISTING
from advisor.interactive.interview import Interrupted
from advisor.interactive.prompts import CHECKLIST_KEY, Reply, parse_number
from advisor.scenarios import load_scenario

ENTER = "\r"
DOWN = "\x1b[B"
UP = "\x1b[A"
CTRL_C = "\x03"
CTRL_U = "\x15"   # clear the line in a text prompt
BACKSPACE = "\x7f"
DONT_KNOW, WHY, BACK, REPORT = Action.DONT_KNOW, Action.WHY, Action.BACK, Action.REPORT


def keys_for(prompt: Prompt, answer: Any) -> str:
    """The key presses that give `answer` at `prompt` (a fact value, an Action, or raw keys)."""
    if isinstance(answer, Keys):
        return answer.text
    if prompt.kind == "text":
        words = {DONT_KNOW: "-", WHY: "?", BACK: "<", REPORT: "r"}
        return CTRL_U + words.get(answer, str(answer)) + ENTER
    values = [value for _, value in prompt.options]
    if prompt.kind == "select":
        start = values.index(prompt.default) if prompt.default in values else 0
        moves = values.index(answer) - start
        return (DOWN if moves > 0 else UP) * abs(moves) + ENTER
    wanted = {answer} if isinstance(answer, Action) else set(answer)
    ticked = set(prompt.default or ())
    keys, at = "", 0
    for index, value in enumerate(values):
        if (value in wanted) != (value in ticked):
            keys += DOWN * (index - at) + " "
            at = index
    return keys + ENTER


OWN_PROMPTS = ("resume", "save", "save_path", "save_title", "existing", "topics", "go_on", "stop_offer",
               "skipped_offer", "survey")
# Unless scripted: a new design, "don't know" to a survey (nothing asked last), and go on.
OWN_ANSWERS = {"existing": False, "survey": DONT_KNOW, "go_on": True, "stop_offer": True, "skipped_offer": True}


def checklist_facts(prompt: Prompt) -> list[str]:
    return [value for _, value in prompt.options if not isinstance(value, Action)]


class Keys:
    """Raw key presses, for when the test types rather than picks."""

    def __init__(self, text: str) -> None:
        self.text = text


class Step:
    def __init__(self, answer: Any) -> None:
        self.answer = answer


def Queue(*answers: Any) -> list[Step]:  # noqa: N802 - reads like a constructor in scripts
    """Successive answers to the same question (after Why? or Back it is asked again)."""
    return [Step(a) for a in answers]


class KeyTerminal:
    """Feeds every prompt the keys for the scripted answer to it, and records what was asked.

    script: fact -> answer (or a Queue of answers); other facts get `default`. The
    consultation's own prompts answer "a new design" (`existing`), "don't know" to the topic
    checklist (`topics`: every topic is asked, in the planner's order) and to a survey (`survey`:
    none is asked last), "go on" after an area
    (`go_on`), at the offer to stop (`stop_offer`) and at the skipped topics' offer
    (`skipped_offer`), and "yes, none of these" to an empty checkbox, unless the script says otherwise.
    stop_at: press Ctrl-C at that prompt (1-based; the first prompt asks design or review).
    back_after: press Back at the prompt that follows the first time this fact is asked.
    save: a path to save the scenario to.
    """

    def __init__(self, script: dict[str, Any] | None = None, default: Any = DONT_KNOW,
                 save: str | None = None, stop_at: int | None = None, back_after: str | None = None) -> None:
        self.script = {k: list(v) if isinstance(v, list) else v for k, v in (script or {}).items()}
        self.default = default
        self.save = save
        self.stop_at = stop_at
        self.back_after = back_after
        self.went_back = False
        self.prompts: list[Prompt] = []
        self.given: dict[str, Any] = {}

    @property
    def asked(self) -> list[str]:
        """The facts asked, in order (not the consultation's own prompts); a checklist's each."""
        names: list[str] = []
        for p in self.prompts:
            if p.key == CHECKLIST_KEY:
                names.extend(checklist_facts(p))
            elif p.key not in OWN_PROMPTS and not p.key.endswith(":none"):
                names.append(p.key)
        return names

    def by_value(self, key: str) -> bool:
        """A fact's "don't know" left to the default: answered by value while developing
        (KeysThenValues); never in CI, nor where the test stops (Ctrl-C) or goes back by count."""
        return (not DEEP and self.default is DONT_KNOW and key not in self.script and self.stop_at is None
                and self.back_after is None and key not in OWN_PROMPTS and key != CHECKLIST_KEY
                and not key.endswith(":none"))

    def answer(self, prompt: Prompt) -> Any:
        if self.stop_at == len(self.prompts):
            return Keys(CTRL_C)
        if prompt.key == "save":
            return self.save is not None
        if prompt.key == "save_path":
            return Keys(CTRL_U + str(self.save) + ENTER)
        if prompt.key == "save_title":
            return Keys(CTRL_U + self.script["save_title"] + ENTER) if "save_title" in self.script else Keys(ENTER)
        if prompt.key == "topics":  # with "design or review" as its first item while that is to say
            return self.topics(prompt)
        if prompt.key in self.script and (prompt.key in OWN_PROMPTS or prompt.key.endswith(":none")):
            planned = self.script[prompt.key]  # a Queue's last answer stays for the prompts after it
            return (planned.pop(0) if len(planned) > 1 else planned[0]).answer if isinstance(planned, list) else planned
        if prompt.key in OWN_ANSWERS:
            return OWN_ANSWERS[prompt.key]
        if prompt.key.endswith(":none"):
            return True
        if self.back_after and not self.went_back and len(self.prompts) >= 2 \
                and self.prompts[-2].key == self.back_after:
            self.went_back = True
            return BACK
        if prompt.key == CHECKLIST_KEY and CHECKLIST_KEY not in self.script:
            return self.tick(prompt)
        planned = self.script.get(prompt.key, self.default)
        if isinstance(planned, list):
            planned = planned.pop(0).answer if len(planned) > 1 else planned[0].answer
        if planned is DONT_KNOW:
            self.given[prompt.key] = None
        elif not isinstance(planned, Keys | Action):
            self.given[prompt.key] = planned
        return planned

    def topics(self, prompt: Prompt) -> Any:
        """The topic checklist: the scripted topics (or "don't know"), and the review item ticked
        when the script says `existing: True`."""
        planned = self.script.get("topics", DONT_KNOW)
        if isinstance(planned, list):
            planned = planned.pop(0).answer if len(planned) > 1 else planned[0].answer
        offered = [value for _, value in prompt.options]
        if self.script.get("existing") is True and EXISTING in offered:
            return (EXISTING, *(() if isinstance(planned, Action) else planned))
        return planned

    @property
    def questions(self) -> list[Prompt]:
        """The question prompts in order, a checklist as one (not the consultation's own prompts)."""
        return [p for p in self.prompts if p.key not in OWN_PROMPTS and not p.key.endswith(":none")]

    def tick(self, prompt: Prompt) -> tuple[str, ...]:
        """A checklist: tick the facts the script says yes to; the rest are no."""
        names = checklist_facts(prompt)
        self.given.update({name: self.script.get(name) is True for name in names})
        return tuple(name for name in names if self.script.get(name) is True)

    @contextmanager
    def streams(self, prompt: Prompt):
        self.prompts.append(prompt)
        keys = keys_for(prompt, self.answer(prompt))
        with create_pipe_input() as pipe:
            pipe.send_text(keys)
            yield pipe, DummyOutput()


class ValuePrompter(Prompter):
    """The real prompter's prompts, answered by the terminal's script with the value (or action)
    its key presses would select, type or tick: no prompt_toolkit application runs."""

    terminal: KeyTerminal

    def ask(self, prompt: Prompt) -> Any:
        self.terminal.prompts.append(prompt)
        return self.terminal.answer(prompt)

    def select(self, prompt: Prompt) -> Any:
        answer = self.ask(prompt)
        assert answer in [value for _, value in prompt.options], (prompt.key, answer)
        return answer

    def _checkbox(self, key: str, message: str, options: tuple[tuple[str, Any], ...], default: Any,
                  finish: Any, descriptions: Any = None) -> Reply:
        checked = tuple(set(default)) if isinstance(default, tuple | list) else ()
        while True:
            answer = self.ask(Prompt(key, message, "checkbox", options, checked))
            wanted = {answer} if isinstance(answer, Action) else set(answer)
            selected = [value for _, value in options if value in wanted]  # in the menu's order, as ticked
            assert len(selected) == len(wanted), (key, answer)
            if len(selected) == 1 and isinstance(selected[0], Action):
                return Reply(action=selected[0])
            if selected or self.none_of_these(key, message):
                return Reply(finish(selected))

    def _number(self, fact: Any, message: str, can_go_back: bool, default: Any) -> Reply:
        prefilled = "" if default is None else str(default)
        answer = self.ask(Prompt(fact.name, message, "text", default=prefilled))
        words = {DONT_KNOW: "-", WHY: "?", BACK: "<", REPORT: "r"}
        result = parse_number(fact, words.get(answer, str(answer)), can_go_back)
        assert isinstance(result, Reply), (fact.name, answer, result)
        return result

    def text(self, key: str, message: str, default: str, validate: Any) -> str:
        answer = self.ask(Prompt(key, message, "text", default=default))
        assert isinstance(answer, Keys) and answer.text.endswith(ENTER), (key, answer)
        typed = answer.text[:-len(ENTER)]
        text = typed[len(CTRL_U):] if typed.startswith(CTRL_U) else default + typed
        assert validate(text) is True, (key, text)
        return text


class KeysThenValues(Prompter):
    """The real prompts driven by key presses for every prompt a test scripts, and in CI (DEEP)
    for all; while developing, a fact the script leaves to the terminal's "don't know" default
    is answered by value (ValuePrompter: the same Prompt, the answer its keys would give, no
    prompt_toolkit application). Most of a test's interview is such a tail, and a prompt run
    by keys costs ~10 ms against ~0.1 by value. "Don't know" by key presses is still pressed
    at every kind of prompt while developing: wherever a test scripts it, in the key-press
    replays (test_interactive_replay.py, which also checks both ways ask the same prompts and
    give the same report) and in tests that stop or go back (they keep keys throughout)."""

    terminal: KeyTerminal

    def ask(self, prompt: Prompt) -> Any:
        return ValuePrompter.ask(self, prompt)  # type: ignore[arg-type]

    def select(self, prompt: Prompt) -> Any:
        if self.terminal.by_value(prompt.key):
            return ValuePrompter.select(self, prompt)  # type: ignore[arg-type]
        return super().select(prompt)

    def _checkbox(self, key: str, message: str, options: tuple[tuple[str, Any], ...], default: Any,
                  finish: Any, descriptions: Any = None) -> Reply:
        if self.terminal.by_value(key):
            return ValuePrompter._checkbox(self, key, message, options, default, finish)  # type: ignore[arg-type]
        return super()._checkbox(key, message, options, default, finish, descriptions)

    def _number(self, fact: Any, message: str, can_go_back: bool, default: Any) -> Reply:
        if self.terminal.by_value(fact.name):
            return ValuePrompter._number(self, fact, message, can_go_back, default)  # type: ignore[arg-type]
        return super()._number(fact, message, can_go_back, default)


def as_report(reports: list[dict]):
    """A render callable that keeps each report (the JSON form the CLI prints)."""
    from advisor.engine import get_advisor
    from advisor.presentation.consultation.data import build_report

    knowledge = get_advisor().knowledge
    return lambda consultation, meta: reports.append(build_report(consultation, knowledge, meta).to_dict())


def session(tmp_path: Path, terminal: KeyTerminal, previews: list[dict] | None = None,
            prompter: Prompter | None = None) -> tuple[InteractiveConsultation, StringIO]:
    from advisor.engine import get_advisor

    screen = StringIO()
    # A file shows no styles, so rich's highlighter (numbers, quotes, URLs: spans of style) can't
    # change a character of what is printed; it cost ~1.5% of an interview's CPU.
    console = Console(file=screen, width=120, highlight=False)
    consultation = InteractiveConsultation(
        get_advisor(), prompter=prompter or KeysThenValues(terminal), console=console,
        drafts=DraftStore(tmp_path / "data"),
        preview=as_report(previews) if previews is not None else None)
    return consultation, screen


def run(tmp_path: Path, terminal: KeyTerminal, previews: list[dict] | None = None,
        **options: Any) -> tuple[dict, Any, str]:
    consultation, screen = session(tmp_path, terminal, previews, options.get("prompter"))
    reports: list[dict] = []
    answers = consultation.run(focus=options.get("focus"), answers_file=options.get("answers_file"),
                               resume=options.get("resume", False), render=as_report(reports),
                               existing=options.get("existing", False))
    assert len(reports) == 1
    return reports[0], answers, screen.getvalue()


IMAGE_CLASSIFIER = load_scenario(SCENARIOS / "image-classifier.yaml").facts


# --- a full consultation -----------------------------------------------------

_IMAGE_CLASSIFIER_RUN: list = []


def image_classifier_consultation(tmp_path_factory) -> tuple[KeyTerminal, dict, Any, str, Path]:
    """The image classifier's facts answered and the rest don't know, to the end: run once per
    process and read by the full-consultation test here and the offer-to-stop test
    (test_interactive_report.py), which ran the same consultation each."""
    if not _IMAGE_CLASSIFIER_RUN:
        where = tmp_path_factory.mktemp("image-classifier")
        terminal = KeyTerminal(dict(IMAGE_CLASSIFIER))
        report, answers, screen = run(where, terminal)
        _IMAGE_CLASSIFIER_RUN.append((terminal, report, answers, screen, where))
    return _IMAGE_CLASSIFIER_RUN[0]


_DONT_KNOW_RUN: list = []


def dont_know_consultation(tmp_path_factory) -> tuple[KeyTerminal, dict, Any, str, Path]:
    """A new design answered "don't know" throughout, the topic checklist included (so no topic is
    skipped and no offer to go on to skipped topics comes): run once per process and read by
    test_interactive_report.py, test_interactive_topics.py and test_interactive_goal.py, which ran
    the same consultation each."""
    if not _DONT_KNOW_RUN:
        where = tmp_path_factory.mktemp("dont-know")
        terminal = KeyTerminal(default=DONT_KNOW)
        report, answers, screen = run(where, terminal)
        _DONT_KNOW_RUN.append((terminal, report, answers, screen, where))
    return _DONT_KNOW_RUN[0]


def test_full_consultation_asks_each_fact_once_with_the_right_prompt(tmp_path_factory, knowledge):
    terminal, report, answers, screen, tmp_path = image_classifier_consultation(tmp_path_factory)

    vocabulary = knowledge.vocabulary
    assert len(terminal.asked) == len(set(terminal.asked)), "no question twice"
    assert terminal.prompts[0].key == "topics", "design or review is asked first, with the topics"
    assert terminal.prompts[0].options[0][1] == EXISTING
    kinds = {"bool": "select", "choice": "select", "list": "checkbox", "number": "text"}
    for prompt in terminal.prompts:
        if prompt.key not in terminal.asked:
            continue
        spec = vocabulary.fact(prompt.key)
        assert spec is not None and not spec.derived and not spec.existing_setup
        assert prompt.kind == kinds[spec.type]
        if prompt.kind != "text":
            menu = dict(prompt.options).values()
            assert DONT_KNOW in menu and WHY in menu and REPORT in menu
    assert terminal.prompts[-1].key == "save"
    # Yes-only facts come as checklists: checkboxes of yes/no questions no rule tests for "no".
    checklisted = [name for p in terminal.questions if p.key == CHECKLIST_KEY for name in checklist_facts(p)]
    assert checklisted, "the image classifier's consultation has a checklist"
    for name in checklisted:
        spec = vocabulary.fact(name)
        assert spec.type == "bool" and not spec.existing_setup
    # Every scripted fact that was asked got its value; everything else is "don't know",
    # except in a checklist, where unticked is "no".
    for name in terminal.asked:
        expected = IMAGE_CLASSIFIER.get(name) is True if name in checklisted else IMAGE_CLASSIFIER.get(name)
        assert answers.values[name] == expected, name
    decided = {r["decision"]: r["choice"] for r in report["recommendations"]}
    assert decided["processor"] == "gpu" and decided["endpoint_type"] == "batch"
    assert report["scenario"]["interactive"] is True
    # Each area under its heading; a tally when an area has nothing left to ask.
    assert "1. Design a machine learning solution" in screen
    assert "So far, after 1. Design a machine learning solution" in screen
    # Questions never asked are those no rule could use any more: none is left open now.
    from advisor.engine import get_advisor
    from advisor.interactive import Planner

    assert Planner(get_advisor()).plan(answers.values).next is None
    assert not DraftStore(tmp_path / "data").exists(), "a finished consultation leaves no draft"


def test_the_most_valuable_question_comes_first(tmp_path, advisor):
    from advisor.interactive import Planner

    plan = Planner(advisor).plan({})
    first = plan.next
    assert first is not None and first.worth == max(q.worth for q in plan.questions)
    terminal = KeyTerminal(stop_at=2)  # Ctrl-C at the first fact question (after design or review with the topics)
    with pytest.raises(Interrupted):
        run(tmp_path, terminal)
    assert terminal.asked == [first.fact.name]


# --- WHY, Don't know, Back ---------------------------------------------------

def why_text(screen: str) -> str:
    return screen.split("Why ask this?")[1].split("\n\n")[0]


def test_short_why_says_in_plain_words_which_decision_the_answer_settles(tmp_path, knowledge):
    terminal = KeyTerminal({"dataset_size": Queue(WHY, "large")})
    report, answers, screen = run(tmp_path, terminal)

    assert terminal.asked.count("dataset_size") == 2 and answers.values["dataset_size"] == "large"
    short = "Why ask this?" + why_text(screen)
    lines = short.strip().splitlines()
    assert len(lines) <= 6
    # Which decision an answer settles, in the vocabulary's words, with the guide unit's title.
    assert "If Large, the guide recommends" in short
    spark = knowledge.vocabulary.decision("distributed_processing")
    assert spark.title in short
    large = next(line for line in lines if "If Large" in line)
    assert any(large.endswith(f"({unit.title})") for unit in knowledge.guide.units), large
    # Plain words: no fact or decision names, no operators, no URLs.
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", short), short
    assert not re.search(r"[≠≥≤]|contains_|https?://", short), short
    assert "Press w again" in short
    # Asking again changed the menu: the second Why? is the long form.
    second = [p for p in terminal.prompts if p.key == "dataset_size"][1]
    assert dict((v, k) for k, v in second.options)[WHY] == "Why? Every rule waiting on this answer"


def test_short_why_keeps_its_hint_when_an_answer_settles_many_things(tmp_path):
    """framework, asked in this story, can settle 4+ things and bears on others: the hint still shows."""
    facts = dict(load_scenario(SCENARIOS / "deploy" / "triton-model-online-endpoint.yaml").facts)
    facts["framework"] = Queue(WHY, facts.get("framework", DONT_KNOW))
    terminal = KeyTerminal(facts)
    _, _, screen = run(tmp_path, terminal)
    assert terminal.asked.count("framework") == 2
    lines = ("Why ask this?" + why_text(screen)).strip().splitlines()
    assert "Other answers settle other things" in " ".join(lines) and "also bears on" in " ".join(lines)
    assert len(lines) <= 6
    assert "Press w again for the" in lines[-1], lines


def test_second_why_lists_every_waiting_rule_with_condition_and_source(tmp_path, knowledge):
    terminal = KeyTerminal({"hyperparameter_expressions": Queue(WHY, WHY, ("choice",))})
    report, answers, screen = run(tmp_path, terminal, focus="sweep")

    assert terminal.asked[:3] == ["hyperparameter_expressions"] * 3
    assert answers.values["hyperparameter_expressions"] == ("choice",)
    assert screen.count("Why ask this?") == 1
    long = screen.split("Every rule waiting on this answer")[1]
    listed = re.findall(r"• (\S+) ", long)
    readers = {r.id for r in knowledge.rules if "hyperparameter_expressions" in r.reads}
    assert listed and set(listed) <= readers
    for rule_id in listed:
        rule = knowledge.rule(rule_id)
        assert rule.source in long  # the whole URL on one line, never broken
        assert f"source: {knowledge.guide.unit(rule.source).title}" in long
    assert "then recommend Sweep sampling method: Grid sampling" in long


def test_dont_know_stops_the_rules_that_need_the_fact(tmp_path, knowledge):
    from advisor.knowledge.conditions import All, Leaf

    def requires_expressions(condition) -> bool:
        """True when the condition can't be true while hyperparameter_expressions is unknown."""
        if isinstance(condition, Leaf):
            return condition.subject == "hyperparameter_expressions"
        parts = [requires_expressions(p) for p in condition.parts]
        return any(parts) if isinstance(condition, All) else all(parts)

    pruned = ["try_every_combination", "learn_from_previous_trials"]
    for name in pruned:  # the premise, read from the rules: each rule using them also needs the expressions
        readers = [r for r in knowledge.rules if name in r.reads]
        assert readers and all(requires_expressions(r.condition) for r in readers)
    terminal = KeyTerminal({"hyperparameter_expressions": DONT_KNOW, "reproducible_results": True})
    report, answers, _ = run(tmp_path, terminal, focus="sweep")

    assert answers.values["hyperparameter_expressions"] is None
    assert not set(pruned) & set(terminal.asked)
    assert {r["decision"]: r["choice"] for r in report["recommendations"]} == {"sampling": "sobol"}
    assert not [f for f in report["fired"] if "hyperparameter_expressions" in knowledge.rule(f["rule"]).reads]


def test_dont_know_is_reported_with_the_facts_that_would_settle(tmp_path):
    # Don't know to everything, a checklist of yes-only questions included (its own don't know).
    terminal = KeyTerminal({CHECKLIST_KEY: DONT_KNOW}, default=DONT_KNOW)
    report, answers, _ = run(tmp_path, terminal, focus="deployment")
    assert terminal.asked and all(answers.values[n] is None for n in terminal.asked)
    assert report["recommendations"] == []
    endpoint = next(o for o in report["open"] if o["decision"] == "endpoint_type")
    assert "prediction_timing" in endpoint["settled_by"]


def test_back_changes_the_previous_answer(tmp_path):
    terminal = KeyTerminal({"hyperparameter_expressions": Queue(("choice",), ("uniform",))},
                           back_after="hyperparameter_expressions")
    report, answers, _ = run(tmp_path, terminal, focus="sweep")

    keys = [p.key for p in terminal.questions]
    assert keys[0] == keys[2] == "hyperparameter_expressions"
    assert answers.values["hyperparameter_expressions"] == ("uniform",)
    # Going back re-plans from the changed answer: the next question is the one the new answer calls for.
    from advisor.engine import get_advisor
    from advisor.interactive import Planner

    replanned = Planner(get_advisor(), focus="sweep").plan({"hyperparameter_expressions": ("uniform",)})
    after = terminal.questions[3]
    assert (checklist_facts(after) if after.key == CHECKLIST_KEY else [after.key]) == \
        [q.fact.name for q in replanned.batch]
    # The changed answer counts: a continuous space, not the discrete one first given.
    assert {"name": "search_space", "value": "continuous", "rule": "sweep.continuous-space"} in report["derived"]
    # Back is offered from the second question on, never on the first.
    first = next(p for p in terminal.prompts if p.key == terminal.asked[0])
    later_menu = next(p for p in terminal.prompts if p.key in terminal.asked[1:] and p.options
                      and p.key != first.key)  # numbers take "<"
    assert BACK not in dict(first.options).values() and BACK in dict(later_menu.options).values()


def test_back_preselects_the_previous_answer(tmp_path):
    # After Back the previous answer is preselected: Enter alone keeps it.
    terminal = KeyTerminal({"hyperparameter_expressions": Queue(("choice", "randint"), Keys(ENTER))},
                           back_after="hyperparameter_expressions")
    report, answers, _ = run(tmp_path, terminal, focus="sweep")
    assert terminal.asked.count("hyperparameter_expressions") == 2
    assert answers.values["hyperparameter_expressions"] == ("choice", "randint")


# --- prompt types --------------------------------------------------------------

def test_number_prompt_shows_the_unit_and_rejects_bad_numbers(tmp_path):
    terminal = KeyTerminal({
        "hyperparameter_expressions": ("choice", "uniform"),
        "learn_from_previous_trials": True,
        "tuned_hyperparameter_count": Keys("abc" + ENTER + BACKSPACE * 3 + "0" + ENTER + BACKSPACE + "3" + ENTER),
        "max_total_trials": 40,
    })
    report, answers, _ = run(tmp_path, terminal, focus="sweep")
    assert answers.values["tuned_hyperparameter_count"] == 3
    assert answers.values["max_total_trials"] == 40
    # 40 trials for 3 hyperparameters is under 20 per hyperparameter: the budget warning fires.
    assert "sweep.bayesian-trial-budget" in {w["rule"] for w in report["warnings"]}


def test_number_parser_accepts_words_and_refuses_out_of_range(knowledge):
    from advisor.interactive.prompts import parse_number

    trials = knowledge.vocabulary.fact("max_total_trials")
    assert parse_number(trials, "60", True).value == 60
    assert parse_number(trials, " 2.5 ", True).value == 2.5
    assert parse_number(trials, "-", True).action is DONT_KNOW
    assert parse_number(trials, "?", False).action is WHY
    assert parse_number(trials, "<", True).action is BACK
    assert "no previous answer" in parse_number(trials, "<", False)
    assert "out of range" in parse_number(trials, "0", True)
    assert "trials" in parse_number(trials, "lots", True)
    assert "finite" in parse_number(trials, "nan", True)


def test_checkbox_refuses_values_ticked_together_with_an_action(tmp_path):
    # Ticking "choice" and "Don't know" is refused; unticking "choice" then confirms "don't know".
    values = 10  # the ten expression kinds come before the separator
    keys = " " + DOWN * values + " " + ENTER + (UP * values) + " " + ENTER
    terminal = KeyTerminal({"hyperparameter_expressions": Keys(keys)})
    report, answers, _ = run(tmp_path, terminal, focus="sweep")
    assert answers.values["hyperparameter_expressions"] is None


# --- focus -----------------------------------------------------------------------

def sweep_closure(knowledge) -> set[str]:
    """Input facts the sweep rules read, plus inputs of producers of what they read (to a fixpoint)."""
    vocabulary = knowledge.vocabulary
    facts, seen = set(), set()
    todo = [r for r in knowledge.rules if r.file == "sweep.yaml"]
    while todo:
        rule = todo.pop()
        if rule.id in seen:
            continue
        seen.add(rule.id)
        for name in rule.reads:
            spec = vocabulary.fact(name)
            if spec is not None and not spec.derived:
                facts.add(name)
            else:
                todo.extend(r for r in knowledge.rules if r.conclusion.name == name)
    return facts


@pytest.mark.parametrize("policy", ["dont_know", "first", "last"])
def test_focus_sweep_asks_at_most_what_the_sweep_rules_need(tmp_path, knowledge, policy):
    needed = sweep_closure(knowledge)
    vocabulary = knowledge.vocabulary
    script = {}
    for name in needed:
        spec = vocabulary.fact(name)
        if policy == "dont_know":
            script[name] = DONT_KNOW
        elif spec.type == "bool":
            script[name] = policy == "first"
        elif spec.type == "choice":
            script[name] = list(spec.values)[0 if policy == "first" else -1]
        elif spec.type == "list":
            script[name] = tuple(spec.values)[:2] if policy == "first" else (list(spec.values)[0],)
        else:
            script[name] = int(spec.min or 1) + (1 if policy == "first" else 0)
    terminal = KeyTerminal(script, default=Keys(CTRL_C))  # any other question would stop the test
    report, answers, _ = run(tmp_path, terminal, focus="sweep")

    assert set(terminal.asked) <= needed
    assert len(terminal.asked) <= len(needed) < len(vocabulary.input_facts)


def test_answers_file_prefills_and_asks_only_the_rest(tmp_path):
    facts = tmp_path / "known.yaml"
    facts.write_text("name: known\nfacts:\n  hyperparameter_expressions: [choice]\n"
                     "  reproducible_results: null\n  try_every_combination: true\n", encoding="utf-8")
    terminal = KeyTerminal(default=DONT_KNOW)
    report, answers, screen = run(tmp_path, terminal, focus="sweep", answers_file=facts)

    asked = set(terminal.asked)
    assert not asked & {"hyperparameter_expressions", "reproducible_results", "try_every_combination"}
    assert answers.values["reproducible_results"] is None
    assert report["scenario"]["answers"] == str(facts)
    assert {r["decision"]: r["choice"] for r in report["recommendations"]}["sampling"] == "grid"
    assert "3 facts taken from the answers file" in screen


def test_answers_file_errors_are_user_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nfacts:\n  ml_taks: regression\n", encoding="utf-8")
    consultation, _ = session(tmp_path, KeyTerminal())
    with pytest.raises(AdvisorError, match="did you mean ml_task"):
        consultation.run(focus=None, answers_file=bad, resume=False, render=lambda c, m: None)


# --- nothing lost: Ctrl-C and --resume ------------------------------------------

def test_ctrl_c_keeps_every_answer_and_resume_continues_there(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    first = KeyTerminal({"hyperparameter_expressions": ("choice", "uniform"), "planned_sampling": "random"},
                        default=DONT_KNOW, stop_at=5)
    with pytest.raises(Exit) as stopped:
        consult_interactively(focus="sweep", answers=None, resume=False, fmt="json",
                              output=tmp_path / "r.json", terminal=first, console=Console(file=StringIO()))
    assert stopped.value.exit_code == 130
    assert "advisor consult --resume" in capsys.readouterr().err
    given = {k: list(v) if isinstance(v, tuple) else v for k, v in first.given.items()}
    assert len(given) >= 3  # the expressions, the sampling and a checklist at least
    draft = json.loads((tmp_path / "data" / "consultation-draft.json").read_text(encoding="utf-8"))
    assert draft["answers"] == given and draft["focus"] == "sweep"
    assert not (tmp_path / "r.json").exists()

    second = KeyTerminal({"learn_from_previous_trials": True}, default=DONT_KNOW)
    consult_interactively(focus=None, answers=None, resume=True, fmt="json", output=tmp_path / "r.json",
                          terminal=second, console=Console(file=StringIO()))
    stopped_on, resumed_at = first.questions[-1], second.questions[0]
    assert (resumed_at.key, resumed_at.options) == (stopped_on.key, stopped_on.options), \
        "resumes at the question it stopped on"
    assert not set(second.asked) & set(given)
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    for name, value in given.items():
        assert report["facts"].get(name) == value  # "don't know" (None) is not a stated fact
    assert report["scenario"]["focus"] == "sweep"
    assert not (tmp_path / "data" / "consultation-draft.json").exists()


def test_back_still_works_after_resume(tmp_path):
    from advisor.interactive import Interrupted

    first = KeyTerminal({"hyperparameter_expressions": ("choice",)}, stop_at=3)
    consultation, _ = session(tmp_path, first)
    with pytest.raises(Interrupted) as stop:
        consultation.run(focus="sweep", answers_file=None, resume=False, render=lambda c, m: None)
    assert stop.value.answered == 1
    interrupted = first.questions[1].key
    second = KeyTerminal({interrupted: Queue(BACK, DONT_KNOW), "hyperparameter_expressions": ("uniform",)})
    report, answers, _ = run(tmp_path, second, resume=True)
    assert [p.key for p in second.questions[:2]] == [interrupted, "hyperparameter_expressions"]
    assert answers.values["hyperparameter_expressions"] == ("uniform",)


def test_starting_again_offers_to_continue_the_unfinished_one(tmp_path):
    first = KeyTerminal({"hyperparameter_expressions": ("choice",)}, stop_at=3)
    consultation, _ = session(tmp_path, first)
    from advisor.interactive import Interrupted

    with pytest.raises(Interrupted):
        consultation.run(focus="sweep", answers_file=None, resume=False, render=lambda c, m: None)

    class Continue(KeyTerminal):
        def answer(self, prompt):
            return True if prompt.key == "resume" else super().answer(prompt)

    again = Continue(default=DONT_KNOW)
    report, answers, _ = run(tmp_path, again)
    assert again.prompts[0].key == "resume"
    assert "hyperparameter_expressions" not in again.asked
    assert answers.values["hyperparameter_expressions"] == ("choice",)


def test_resume_without_a_draft_is_a_clear_error(tmp_path):
    consultation, _ = session(tmp_path, KeyTerminal())
    with pytest.raises(AdvisorError, match="no unfinished consultation"):
        consultation.run(focus=None, answers_file=None, resume=True, render=lambda c, m: None)


def test_a_damaged_draft_is_a_clear_error(tmp_path, knowledge):
    store = DraftStore(tmp_path)
    store.path.write_text('{"version": 1, "answers": {"ml_task": "poetry"}, "asked": []}', encoding="utf-8")
    with pytest.raises(AdvisorError, match="saved answer ml_task"):
        store.load(knowledge)


# --- the saved scenario reproduces the report ----------------------------------

def test_saved_scenario_reproduces_the_json_report(tmp_path, monkeypatch, cli):
    """Compares the whole JSON report except the `scenario` meta block, as serialised text."""
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    saved = tmp_path / "mine.yaml"
    script = dict(IMAGE_CLASSIFIER)
    script.update({"hyperparameter_expressions": ("choice", "uniform"), "learn_from_previous_trials": True,
                   "tuned_hyperparameter_count": 2, "max_total_trials": 30, "dataset_size": DONT_KNOW,
                   "save_title": "Nightly photo scoring"})
    terminal = KeyTerminal(script, default=DONT_KNOW, save=str(saved))
    consult_interactively(focus=None, answers=None, resume=False, fmt="json", output=tmp_path / "live.json",
                          terminal=terminal, console=Console(file=StringIO()))
    assert [p.key for p in terminal.prompts[-3:]] == ["save", "save_path", "save_title"]

    text = saved.read_text(encoding="utf-8")
    assert "\nname: Nightly photo scoring\n" in text  # the title asked for, not a fixed one
    assert "dataset_size: null" in text
    replay = cli("consult", str(saved), "--format", "json")
    assert replay.returncode == 0, replay.stderr
    live = json.loads((tmp_path / "live.json").read_text(encoding="utf-8"))
    again = json.loads(replay.stdout)
    assert live.pop("scenario")["interactive"] is True
    assert again.pop("scenario")["file"] == str(saved)
    assert json.dumps(live, indent=2, ensure_ascii=False) == json.dumps(again, indent=2, ensure_ascii=False)
    assert live["recommendations"] and live["fired"]


def test_save_path_is_checked(tmp_path):
    from advisor.interactive.session import check_save_path, suggested_file

    (tmp_path / "consultation.yaml").write_text("x", encoding="utf-8")
    assert suggested_file(None, tmp_path) == "consultation-2.yaml"
    assert suggested_file("sweep", tmp_path) == "consultation-sweep.yaml"
    assert "exists" in check_save_path(str(tmp_path / "consultation.yaml"))
    assert "folder" in check_save_path(str(tmp_path))
    assert "does not exist" in check_save_path(str(tmp_path / "nope" / "x.yaml"))
    assert check_save_path(str(tmp_path / "new.yaml")) is True


# --- the command line ------------------------------------------------------------

def test_without_a_terminal_consult_needs_a_file_and_exits_2(cli):
    result = cli("consult")
    assert result.returncode == 2
    assert "no terminal" in result.stderr and "advisor consult SCENARIO.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_interactive_options_with_a_scenario_file_are_refused(cli):
    result = cli("consult", str(SCENARIOS / "image-classifier.yaml"), "--focus", "sweep")
    assert result.returncode == 2 and "--focus" in result.stderr


def test_unknown_focus_area_is_refused(cli):
    result = cli("consult", "--focus", "sweeps")
    assert result.returncode == 2
    assert "unknown area 'sweeps'" in result.stderr and "sweep" in result.stderr


def test_an_unreadable_draft_is_kept_aside_when_starting_afresh(tmp_path):
    store = DraftStore(tmp_path / "data")
    store.path.parent.mkdir()
    store.path.write_text('{"version": 1, "answers": {"no_such_fact": true}, "asked": []}', encoding="utf-8")
    terminal = KeyTerminal(default=DONT_KNOW)
    report, answers, screen = run(tmp_path, terminal, focus="sweep")
    assert "can't be continued" in screen and "no_such_fact" in screen
    kept = tmp_path / "data" / "consultation-draft.json.unreadable"
    assert "no_such_fact" in kept.read_text(encoding="utf-8")
    assert terminal.asked and terminal.prompts[0].key != "resume"
