"""The goal in the topic checklist: what is being built is ticked in the opening prompt (one kind, or
both), and then never asked on its own; unticked says nothing (real prompts, key presses)."""

from __future__ import annotations

import json

import pytest
from test_interactive import BACK, DONT_KNOW, IMAGE_CLASSIFIER, KeyTerminal, Queue, dont_know_consultation, run

from advisor.interactive import DraftStore, Interrupted
from advisor.interactive.answers import Answers
from advisor.interactive.interview import CHOICE_ITEM
from advisor.interactive.planner import Planner, opening_choice, opening_value

TRAIN = CHOICE_ITEM + "predictive_model"
LANGUAGE = CHOICE_ITEM + "language_model_app"


def ticked_topics(planner: Planner) -> tuple[str, ...]:
    known = {planner.topics.get(name) for name in IMAGE_CLASSIFIER}
    return tuple(t for t in planner.topics_of(planner.plan({})) if t in known)


def test_the_goal_ticked_in_the_checklist_is_answered_there_and_never_asked_on_its_own(tmp_path, advisor):
    planner = Planner(advisor)
    spec, items = opening_choice(advisor.knowledge, planner.plan({}))
    assert spec.name == "solution_goal" and items == ("predictive_model", "language_model_app")
    ticked = (TRAIN, *ticked_topics(planner))
    terminal = KeyTerminal({**IMAGE_CLASSIFIER, "topics": ticked, "skipped_offer": False, "stop_offer": True},
                           default=DONT_KNOW)
    report, answers, _ = run(tmp_path, terminal)
    checklist = terminal.prompts[0]
    labels = dict((value, label) for label, value in checklist.options)
    assert labels[TRAIN] == spec.values["predictive_model"] and labels[LANGUAGE] == spec.values["language_model_app"]
    assert answers.values["solution_goal"] == "predictive_model" and answers.in_topics == ("solution_goal",)
    assert "solution_goal" not in [p.key for p in terminal.prompts], "answered in the checklist: not asked again"
    assert "solution_goal" not in answers.asked
    assert report["facts"]["solution_goal"] == "predictive_model", "the report has the answer"
    saved = json.loads(DraftStore(tmp_path / "data").path.read_text(encoding="utf-8"))
    assert saved["answers"]["solution_goal"] == "predictive_model" and saved["in_topics"] == ["solution_goal"]


def test_resumed_after_ticking_the_goal_it_counts_as_given_not_taken_from_a_file(tmp_path, advisor):
    planner = Planner(advisor)
    first = KeyTerminal({**IMAGE_CLASSIFIER, "topics": (TRAIN, *ticked_topics(planner))}, default=DONT_KNOW,
                        stop_at=3)
    with pytest.raises(Interrupted):  # Ctrl-C: the draft keeps the answers
        run(tmp_path, first)
    again = KeyTerminal({"skipped_offer": False, "stop_offer": True}, default=DONT_KNOW)
    _, answers, screen = run(tmp_path, again, resume=True)
    flat = " ".join(screen.split())
    assert answers.values["solution_goal"] == "predictive_model" and answers.in_topics == ("solution_goal",)
    assert "taken from the answers file" not in flat and "Resuming with" in flat
    assert "solution_goal" not in [p.key for p in again.prompts]


def test_nothing_ticked_for_the_goal_asks_it_as_before(tmp_path, tmp_path_factory, advisor):
    planner = Planner(advisor)
    terminal = KeyTerminal({**IMAGE_CLASSIFIER, "topics": ticked_topics(planner), "skipped_offer": False,
                            "stop_offer": True}, default=DONT_KNOW)
    _, answers, _ = run(tmp_path, terminal)
    assert "solution_goal" in [p.key for p in terminal.prompts] and answers.in_topics == ()
    assert answers.values["solution_goal"] == "predictive_model"
    # "Don't know" at the checklist says nothing about the goal either.
    unsure = dont_know_consultation(tmp_path_factory)[0]  # (test_interactive.py: run once, read by several)
    assert "solution_goal" in [p.key for p in unsure.prompts]


def test_both_kinds_ticked_is_both_and_back_to_the_checklist_ticks_them_again(tmp_path, advisor):
    planner = Planner(advisor)
    ticked = (TRAIN, LANGUAGE, *ticked_topics(planner))
    # Back at the first prompt after the checklist (the first question, or a survey) returns to it.
    terminal = KeyTerminal({**IMAGE_CLASSIFIER, "topics": ticked, "skipped_offer": False, "stop_offer": True,
                            "survey": Queue(BACK, DONT_KNOW)}, default=DONT_KNOW, back_after="topics")
    _, answers, _ = run(tmp_path, terminal)
    checklists = [p for p in terminal.prompts if p.key == "topics"]
    assert len(checklists) == 2, "Back returned to the checklist"
    assert {TRAIN, LANGUAGE} <= set(checklists[1].default), "both ticked again"
    assert answers.values["solution_goal"] == "both" and "solution_goal" not in [p.key for p in terminal.prompts]


def test_the_draft_keeps_the_goal_answered_in_the_checklist_and_back_undoes_it(tmp_path, knowledge):
    answers = Answers(skipped=("sweep",))
    answers.values["solution_goal"] = "language_model_app"
    answers.in_topics = ("solution_goal",)
    store = DraftStore(tmp_path)
    store.save(answers)
    loaded = store.load(knowledge)
    assert loaded.values == {"solution_goal": "language_model_app"} and loaded.in_topics == ("solution_goal",)
    undone = loaded.go_back()
    assert undone["solution_goal"] == "language_model_app" and "solution_goal" not in loaded.values
    assert loaded.in_topics == () and loaded.skipped is None


def test_the_goal_from_its_items():
    items = ("predictive_model", "language_model_app")
    assert opening_value(items, ()) is None
    assert opening_value(items, ("language_model_app",)) == "language_model_app"
    assert opening_value(items, ("predictive_model",)) == "predictive_model"
    assert opening_value(items, items) == "both"
