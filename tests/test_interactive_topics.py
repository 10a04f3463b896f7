"""The topic checklist that opens a consultation, and "don't know, nor anything else about it":
what the user cannot speak to is asked last, and they may stop before it (real prompts, key presses)."""

from __future__ import annotations

import json
from pathlib import Path

from test_interactive import (
    BACK,
    DONT_KNOW,
    IMAGE_CLASSIFIER,
    KeyTerminal,
    Queue,
    dont_know_consultation,
    image_classifier_consultation,
    run,
)

from advisor.interactive import Action, DraftStore
from advisor.interactive.answers import EXISTING, Answers
from advisor.interactive.interview import CHOICE_ITEM
from advisor.interactive.planner import Planner

SKIP_TOPIC = Action.SKIP_TOPIC


def stated_topics(planner: Planner, facts: dict) -> tuple[str, ...]:
    known = {planner.topics.get(name) for name in facts}
    return tuple(t for t in planner.topics_of(planner.plan({})) if t in known)


_TICKED_RUN: list = []


def ticked_consultation(tmp_path_factory, advisor) -> tuple[KeyTerminal, dict, Answers, str, Path]:
    """The image classifier's topics ticked, its facts answered, the rest don't know, declining
    to go on to the skipped topics: run once per process, read by both tests below (the draft it
    leaves is resumed by the first)."""
    if not _TICKED_RUN:
        where = tmp_path_factory.mktemp("ticked")
        ticked = stated_topics(Planner(advisor), IMAGE_CLASSIFIER)
        terminal = KeyTerminal({**IMAGE_CLASSIFIER, "topics": ticked, "skipped_offer": False}, default=DONT_KNOW)
        report, answers, screen = run(where, terminal)
        _TICKED_RUN.append((terminal, report, answers, screen, where))
    return _TICKED_RUN[0]


def test_unticked_topics_are_asked_last_and_stopping_there_leaves_their_decisions_open(tmp_path_factory, advisor):
    planner = Planner(advisor)
    shown = planner.topics_of(planner.plan({}))
    ticked = stated_topics(planner, IMAGE_CLASSIFIER)
    skipped = set(shown) - set(ticked)
    assert skipped, "the image classifier says nothing about some topics"
    stop, report, answers, screen, tmp_path = ticked_consultation(tmp_path_factory, advisor)
    keys = [p.key for p in stop.prompts]
    assert keys[0] == "topics" and "existing" not in keys, "the checklist opens the consultation"
    checklist = stop.prompts[0]
    offered = [value for _, value in checklist.options if not isinstance(value, Action)]
    assert [v for v in offered if v == EXISTING or v in shown] == [EXISTING, *shown], "a setup to review, the topics"
    goal = [CHOICE_ITEM + "predictive_model", CHOICE_ITEM + "language_model_app"]
    assert offered[1:3] == goal, "what is being built, after the review item"
    first_survey = [q.fact.name for q in planner.plan({}, surveyed=()).survey]
    assert [v for v in offered if v not in shown and v != EXISTING and v not in goal] == \
        [n for t in shown for n in first_survey if planner.topics[n] == t], "the best questions under their topics"
    assert answers.existing is False and answers.mode_in_topics
    assert "skipped_offer" in keys  # (after the offer to stop with long shots, which this user declines)
    assert not [n for n in stop.asked if planner.topics.get(n) in skipped], "no skipped topic was asked"
    # Stopped at the offer: what is left is only the skipped topics', and the report lists it open.
    plan = planner.plan(answers.values, answers.skipped_topics())
    assert plan.only_skipped and set(answers.skipped) == skipped
    flat = " ".join(screen.split())
    assert "Only questions on topics you skipped are left" in flat and "Not asked: the questions on the topics" in flat
    assert set(plan.still_open().undecided) <= {o["decision"] for o in report["open"]}
    draft = DraftStore(tmp_path / "data")
    saved = json.loads(draft.path.read_text(encoding="utf-8"))
    assert set(saved["skipped_topics"]) == skipped

    # --resume goes back to them: the offer comes first, and going on asks them.
    again = KeyTerminal({"skipped_offer": True}, default=DONT_KNOW)
    _, resumed, _ = run(tmp_path, again, resume=True)
    assert [p.key for p in again.prompts][0] == "skipped_offer"
    assert again.asked and all(planner.topics.get(n) in skipped or n not in planner.topics for n in again.asked)
    assert any(planner.topics.get(n) in skipped for n in again.asked)
    assert resumed.skipped == () and Planner(advisor).plan(resumed.values).next is None


def test_without_the_checklist_the_same_answers_ask_a_skipped_topic_early(tmp_path_factory, advisor):
    """The checklist's effect, measured: "don't know" to it asks every topic in the planner's order.
    Both consultations are the ones other tests run (read here, not run again): the image
    classifier with "don't know" to the checklist (test_interactive.py), and with its topics ticked."""
    planner_free = image_classifier_consultation(tmp_path_factory)[0]  # the harness says "don't know"
    assert planner_free.script.get("topics", DONT_KNOW) is DONT_KNOW and planner_free.default is DONT_KNOW
    planner = Planner(advisor)
    skipped = set(planner.topics_of(planner.plan({}))) - set(stated_topics(planner, IMAGE_CLASSIFIER))
    first_skipped = next(i for i, n in enumerate(planner_free.asked) if planner.topics.get(n) in skipped)
    ticking = ticked_consultation(tmp_path_factory, advisor)[0]
    assert first_skipped < len(ticking.asked), "without the checklist, a skipped topic's question comes early"


def test_back_from_the_first_question_returns_to_the_checklist_with_its_ticks(tmp_path, advisor):
    planner = Planner(advisor)
    ticked = stated_topics(planner, IMAGE_CLASSIFIER)
    # With topics ticked, a survey ("which of these can you answer?") comes before the first question:
    # Back there returns to the checklist (Back from the question after it: test_interactive_surveys.py).
    terminal = KeyTerminal({**IMAGE_CLASSIFIER, "topics": ticked, "skipped_offer": False,
                            "survey": Queue(BACK, DONT_KNOW)}, default=DONT_KNOW)
    _, answers, _ = run(tmp_path, terminal)
    checklists = [p for p in terminal.prompts if p.key == "topics"]
    assert len(checklists) == 2 and set(checklists[1].default) == set(ticked), "asked again, its ticks kept"
    assert terminal.prompts[1].key == "survey" and terminal.prompts[2].key == "topics"
    shown = planner.topics_of(planner.plan({}))
    assert answers.skipped is not None and set(answers.skipped) == set(shown) - set(ticked)


def test_dont_know_nor_anything_else_about_a_topic_asks_the_rest_of_it_last(tmp_path, advisor):
    planner = Planner(advisor)
    first = planner.plan({}).next.fact
    topic = planner.topics[first.name]
    terminal = KeyTerminal({first.name: SKIP_TOPIC, "skipped_offer": False}, default=DONT_KNOW)
    _, answers, screen = run(tmp_path, terminal)
    prompt = next(p for p in terminal.prompts if p.key == first.name)
    label = next(label for label, value in prompt.options if value is SKIP_TOPIC)
    name = advisor.knowledge.areas[topic].partition(" - ")[0]
    assert label.startswith(f"Don't know, nor anything else about {name}")
    assert answers.values[first.name] is None and answers.retired == {first.name: topic}
    assert not [n for n in terminal.asked[1:] if planner.topics.get(n) == topic], "the topic was retired"
    assert "skipped_offer" in [p.key for p in terminal.prompts]
    assert f"Asked last, if you go on: {name}" in " ".join(screen.split())
    # No such item once the topic is retired, nor for a framing question (no topic).
    assert not [p for p in terminal.prompts if p.key == "solution_goal"
                and any(v is SKIP_TOPIC for _, v in p.options)]


def test_back_over_a_retired_topic_brings_it_back_and_the_draft_keeps_both(tmp_path, knowledge):
    answers = Answers(skipped=("sweep",))
    answers.record("prediction_timing", None)
    answers.retired["prediction_timing"] = "deployment"
    assert answers.skipped_topics() == ("sweep", "deployment")
    store = DraftStore(tmp_path)
    store.save(answers)
    loaded = store.load(knowledge)
    assert loaded.skipped == ("sweep",) and loaded.retired == {"prediction_timing": "deployment"}
    assert loaded.go_back() == {"prediction_timing": None}
    assert loaded.skipped_topics() == ("sweep",) and not loaded.retired
    assert loaded.can_go_back(), "the checklist itself is next"
    assert loaded.go_back() == {"(topics)": ("sweep",)} and loaded.skipped is None and not loaded.can_go_back()


def test_the_checklist_says_design_or_review_in_the_same_question(tmp_path, tmp_path_factory, knowledge):
    """Ticking "I have a setup to review" makes it a review (its questions are asked); Back to the
    checklist forgets it with the topics, and it comes ticked again."""
    setup = {f.name for f in knowledge.vocabulary.facts if f.existing_setup}
    review = KeyTerminal({"existing": True, "topics": ("review",), "skipped_offer": False,
                          "solution_goal": Queue(BACK, DONT_KNOW)},
                         default=DONT_KNOW)
    _, answers, _ = run(tmp_path / "review", review)
    keys = [p.key for p in review.prompts]
    assert "existing" not in keys and keys[:3] == ["topics", "solution_goal", "topics"]
    assert EXISTING in review.prompts[2].default, "Back: the review item is ticked again"
    assert answers.existing is True and setup & set(review.asked)
    design, _, answers, _, _ = dont_know_consultation(tmp_path_factory)  # nothing skipped: no skipped_offer
    assert answers.existing is False and not setup & set(design.asked)
    # --focus asks design or review on its own, as before (no topic checklist for one area).
    focused = KeyTerminal(default=DONT_KNOW)
    run(tmp_path / "focus", focused, focus="sweep")
    assert [p.key for p in focused.prompts][0] == "existing" and "topics" not in [p.key for p in focused.prompts]


def test_with_existing_or_answers_given_the_checklist_asks_only_topics_and_ticks_the_answered_ones(tmp_path, advisor):
    flag = KeyTerminal({"skipped_offer": False}, default=DONT_KNOW)  # --existing: a review, no need to ask
    run(tmp_path / "flag", flag, existing=True)
    first = flag.prompts[0]
    assert first.key == "topics" and EXISTING not in [value for _, value in first.options]
    from conftest import SCENARIOS

    planner = Planner(advisor)
    given = KeyTerminal({"skipped_offer": False}, default=DONT_KNOW)
    run(tmp_path / "given", given, answers_file=SCENARIOS / "image-classifier.yaml")
    checklist = given.prompts[0]
    assert checklist.key == "topics"
    answered = {planner.topics.get(n) for n in IMAGE_CLASSIFIER} - {None}
    assert set(checklist.default) == answered & {v for _, v in checklist.options}, "answered topics start ticked"
