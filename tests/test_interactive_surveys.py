"""Surveys: once the user has ticked topics, "which of these can you answer?" over the questions to
come; the unticked are asked last, and the user may stop before them (planner, real prompts, drafts)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_interactive import DONT_KNOW, IMAGE_CLASSIFIER, WHY, KeyTerminal, Queue, run
from test_interactive_planner import answer_strategy, assert_no_unasked_fact_changes_the_outcome
from test_interactive_topics import stated_topics

from advisor.interactive import DraftStore
from advisor.interactive import planner as planner_module
from advisor.interactive.answers import SURVEY, Answers, Survey
from advisor.interactive.planner import Planner
from advisor.interactive.prompts import SURVEY_MESSAGE


def test_a_survey_lists_the_next_questions_and_the_unticked_come_last(advisor):
    planner = Planner(advisor)
    assert not planner.plan({}).survey, "no survey unless the user ticked topics"
    plan = planner.plan({}, surveyed=())
    survey = [q.fact.name for q in plan.survey]
    assert survey and survey[0] == plan.next.fact.name, "the next question first"
    assert len(survey) <= planner_module.SURVEY_SIZE
    assert not set(survey) & planner.yes_only and all(planner.topics.get(n) for n in survey)
    # Left unticked: asked after every other question, and the plan says when only they are left.
    unknown = survey[1:]
    later = planner.plan({}, unknown=unknown, surveyed=survey)
    names = [q.fact.name for q in later.questions]
    assert names[-len(unknown):] == [n for n in names if n in unknown] and not later.only_skipped
    assert not later.survey or later.survey[0].fact.name not in survey, "a fact is surveyed once"
    # Fewer than SURVEY_MIN questions left to survey: none.
    left = len([q for q in plan.questions if q.fact.name not in planner.yes_only and planner.topics.get(q.fact.name)])
    try:
        planner_module.SURVEY_MIN = left + 1
        assert not planner.plan({}, surveyed=()).survey
    finally:
        planner_module.SURVEY_MIN = 3


def test_unticked_questions_are_asked_last_and_stopping_there_leaves_their_decisions_open(tmp_path, advisor):
    planner = Planner(advisor)
    ticked = stated_topics(planner, IMAGE_CLASSIFIER)
    stated = tuple(IMAGE_CLASSIFIER)
    terminal = KeyTerminal({**IMAGE_CLASSIFIER, "topics": ticked, "survey": stated, "skipped_offer": False,
                            "stop_offer": True}, default=DONT_KNOW)
    report, answers, screen = run(tmp_path, terminal)
    surveys = [p for p in terminal.prompts if p.key == "survey"]
    assert surveys and surveys[0].message == SURVEY_MESSAGE
    listed = [v for p in surveys for _, v in p.options if isinstance(v, str)]
    unticked = {n for n in listed if n not in IMAGE_CLASSIFIER}
    assert unticked and set(answers.unknown_facts()) == unticked
    assert not unticked & set(terminal.asked), "no question left unticked was asked before the stop"
    assert {n for n in listed if n in IMAGE_CLASSIFIER} <= set(terminal.asked) | set(answers.values)
    assert "skipped_offer" in [p.key for p in terminal.prompts]
    plan = planner.plan(answers.values, answers.skipped_topics(), answers.unknown_facts())
    assert plan.only_skipped and set(plan.still_open().undecided) <= {o["decision"] for o in report["open"]}
    assert "question" in " ".join(screen.split()).split("Not asked:")[1].split(";")[0]
    saved = json.loads(DraftStore(tmp_path / "data").path.read_text(encoding="utf-8"))
    assert saved["surveying"] is True and {n for s in saved["surveys"] for n in s["unknown"]} == unticked

    # --resume: the offer first; going on asks what was left unticked, with no survey any more.
    again = KeyTerminal({"skipped_offer": True}, default=DONT_KNOW)
    _, resumed, _ = run(tmp_path, again, resume=True)
    keys = [p.key for p in again.prompts]
    assert keys[0] == "skipped_offer" and "survey" not in keys
    assert unticked & set(again.asked) and not resumed.surveying and not resumed.unknown_facts()


def test_why_and_dont_know_at_a_survey_leave_nothing_for_last(tmp_path, advisor):
    planner = Planner(advisor)
    ticked = stated_topics(planner, IMAGE_CLASSIFIER)
    terminal = KeyTerminal({**IMAGE_CLASSIFIER, "topics": ticked, "survey": Queue(WHY, DONT_KNOW),
                            "stop_offer": True}, default=DONT_KNOW)
    _, answers, screen = run(tmp_path, terminal)
    assert answers.surveys and not answers.unknown_facts()
    assert "These are the next questions whose answers can still change" in " ".join(screen.split()), "Why?"
    keys = [p.key for p in terminal.prompts]
    for at, prompt in enumerate(terminal.prompts):
        if prompt.key == "survey" and keys[at + 1] != "survey":  # (after Why? it is asked again)
            assert keys[at + 1] == prompt.options[0][1], "the survey's first question next, as without it"


def test_back_right_after_a_survey_asks_it_again_with_its_ticks(tmp_path, advisor):
    planner = Planner(advisor)
    ticked = stated_topics(planner, IMAGE_CLASSIFIER)
    terminal = KeyTerminal({**IMAGE_CLASSIFIER, "topics": ticked, "survey": tuple(IMAGE_CLASSIFIER),
                            "skipped_offer": False, "stop_offer": True}, default=DONT_KNOW, back_after="survey")
    run(tmp_path, terminal)
    keys = [p.key for p in terminal.prompts]
    first = keys.index("survey")
    assert keys[first + 2] == "survey", "Back from the question after a survey returns to it"
    again = terminal.prompts[first + 2]
    assert again.options == terminal.prompts[first].options
    assert set(again.default) == {v for _, v in again.options if v in IMAGE_CLASSIFIER}, "its ticks kept"


def test_the_draft_keeps_the_surveys_and_back_undoes_the_last_one(tmp_path, knowledge):
    answers = Answers(skipped=(), surveying=True)
    answers.record("prediction_timing", "as_data_arrives")
    answers.surveys.append(Survey(1, ("dataset_size", "framework", "storage_service"), ("framework",)))
    store = DraftStore(tmp_path)
    store.save(answers)
    loaded = store.load(knowledge)
    assert loaded.surveying and loaded.surveys == answers.surveys
    assert loaded.unknown_facts() == ("framework",)
    assert loaded.surveyed_facts() == ("dataset_size", "framework", "storage_service")
    assert loaded.go_back() == {SURVEY: ("dataset_size", "storage_service")} and not loaded.surveys
    assert loaded.go_back() == {"prediction_timing": "as_data_arrives"}
    loaded.surveys.append(Survey(0, ("dataset_size",), ("dataset_size",)))
    loaded.go_on_with_skipped()
    assert loaded.surveyed_facts() is None and not loaded.unknown_facts(), "going on: to the end"


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_with_surveys_answered_then_gone_on_with_nothing_unasked_changes_the_outcome(data, advisor):
    """The planner's first property when surveys defer questions and the user goes on at the offer."""
    planner = Planner(advisor)
    answers: dict[str, Any] = {}
    unknown: set[str] = set()
    surveyed: set[str] | None = set()
    went_on = False
    while (plan := planner.plan(answers, (), unknown, surveyed)).next is not None:
        if plan.only_skipped:
            assert not went_on
            unknown, surveyed, went_on = set(), None, True
            continue
        if plan.survey:
            listed = [q.fact.name for q in plan.survey]
            surveyed |= set(listed)  # type: ignore[operator]
            unknown |= {n for n in listed if not data.draw(st.booleans(), label=f"ticked {n}")}
            continue
        for question in plan.batch:
            answers[question.fact.name] = data.draw(answer_strategy(question.fact), label=question.fact.name)
    assert_no_unasked_fact_changes_the_outcome(advisor, planner, answers)


def test_the_topic_checklist_lists_the_first_questions_and_back_keeps_their_ticks(tmp_path, advisor):
    """The first survey is in the topic checklist: a question ticked ticks its topic, the unticked
    questions of a topic with one ticked are asked last, and a topic with none ticked is asked as usual."""
    planner = Planner(advisor)
    first = [q.fact.name for q in planner.plan({}, surveyed=()).survey]
    stated = [n for n in first if n in IMAGE_CLASSIFIER]
    said = {planner.topics[n] for n in stated}
    assert stated and said and len(stated) < len(first)
    # Only questions ticked, no topic: their topics count as ticked.
    terminal = KeyTerminal({**IMAGE_CLASSIFIER, "topics": Queue(tuple(stated), tuple(stated)), "skipped_offer": False,
                            "stop_offer": True}, default=DONT_KNOW, back_after="topics")
    _, answers, _ = run(tmp_path, terminal)
    checklists = [p for p in terminal.prompts if p.key == "topics"]
    assert len(checklists) == 2 and set(stated) <= set(checklists[1].default), "Back: the questions ticked again"
    assert not said & set(answers.skipped)
    opening = answers.surveys[0]
    assert opening.opening and opening.at == 0
    assert set(opening.listed) == {n for n in first if planner.topics[n] in said}
    assert set(opening.unknown) == set(opening.listed) - set(stated)
    assert not set(opening.unknown) & set(terminal.asked), "left unticked: not asked before the stop"
    assert terminal.asked[0] == stated[0] or terminal.asked[0] not in first, "a ticked question, or a framing one"


def test_dont_know_at_the_topic_checklist_means_no_surveys(tmp_path_factory):
    """The full consultation of test_interactive.py answers the topic checklist "don't know"."""
    from test_interactive import image_classifier_consultation

    terminal, _, answers, _, _ = image_classifier_consultation(tmp_path_factory)
    assert terminal.prompts[0].key == "topics" and "survey" not in [p.key for p in terminal.prompts]
    assert not answers.surveying and not answers.surveys
