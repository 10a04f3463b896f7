"""An answer at any time, design or review, questions people can answer: real prompts, key presses.

The key-press terminal and helpers are those of test_interactive.py.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from rich.console import Console
from test_interactive import (
    DONT_KNOW,
    ENTER,
    REPORT,
    Keys,
    KeyTerminal,
    Queue,
    checklist_facts,
    dont_know_consultation,
    run,
    session,
)

from advisor.cli.commands.consult import consult_interactively
from advisor.interactive import Answers, DraftStore, Planner
from advisor.interactive.prompts import CHECKLIST_KEY


def decided(report: dict) -> set[tuple[str, str]]:
    return {(r["decision"], r["choice"]) for r in report["recommendations"]}


# --- the report so far, at any prompt ------------------------------------------

_REAL_TIME: list = []  # the one consultation two tests below read


def real_time_consultation(tmp_path_factory):
    """Predictions as data arrives, the report key pressed at the dataset size, then Large, the
    rest don't know: run once and read by the report-key test and the help test (they ran the
    same consultation each, one without pressing r)."""
    if not _REAL_TIME:
        previews: list[dict] = []
        terminal = KeyTerminal({"prediction_timing": "as_data_arrives", "dataset_size": Queue(REPORT, "large")})
        report, answers, screen = run(tmp_path_factory.mktemp("real-time"), terminal, previews)
        _REAL_TIME.append((terminal, previews, report, answers, screen))
    return _REAL_TIME[0]


def test_the_report_key_shows_the_report_so_far_and_the_questions_go_on(tmp_path_factory, advisor):
    terminal, previews, report, answers, _ = real_time_consultation(tmp_path_factory)

    assert len(previews) == 1
    so_far = previews[0]
    assert so_far["scenario"]["name"] == "Interactive consultation (so far)"
    # The report so far holds what was answered before the key was pressed, and nothing after.
    asked_before = terminal.asked[:terminal.asked.index("dataset_size")]
    assert set(so_far["facts"]) == {n for n in asked_before if answers.values[n] is not None}
    assert ("scoring_mode", "real_time") in decided(so_far)
    assert "dataset_size" not in so_far["facts"]
    # Then the same question again, and the consultation goes on to its end.
    assert terminal.asked.count("dataset_size") == 2
    assert report["facts"]["dataset_size"] == "large"
    assert decided(so_far) < decided(report)
    assert Planner(advisor).plan(answers.values).next is None


def test_the_report_key_works_at_number_and_checkbox_prompts(tmp_path):
    previews: list[dict] = []
    terminal = KeyTerminal({
        "tune_hyperparameters": True,
        "hyperparameter_expressions": Queue(REPORT, ("choice", "uniform")),
        "learn_from_previous_trials": True,
        "tuned_hyperparameter_count": Queue(REPORT, 3),
        "max_total_trials": 100,
    })
    report, answers, _ = run(tmp_path, terminal, previews, focus="sweep")
    assert len(previews) == 2
    assert "hyperparameter_expressions" not in previews[0]["facts"]
    assert previews[1]["facts"]["hyperparameter_expressions"] == ["choice", "uniform"]
    assert answers.values["tuned_hyperparameter_count"] == 3


# --- stop after an area, report a saved draft without asking ---------------------

def test_stopping_after_an_area_gives_the_report_and_keeps_the_answers(tmp_path, advisor):
    terminal = KeyTerminal({"go_on": False, "prediction_timing": "as_data_arrives", "dataset_size": "large"},
                           default=DONT_KNOW)
    report, answers, screen = run(tmp_path, terminal)

    go_on = [p for p in terminal.prompts if p.key == "go_on"]
    assert len(go_on) == 1 and go_on[0].message.endswith("Go on?")
    sections = advisor.knowledge.guide.sections
    finished = next(s for s in sections if f"about {s.heading}." in go_on[0].message)
    assert f"So far, after {finished.heading}" in screen
    # The report covers the answers given; questions are left, none of them in the finished area.
    ticked_or_not = {name for p in terminal.questions if p.key == CHECKLIST_KEY for name in checklist_facts(p)}
    assert {k: v for k, v in report["facts"].items() if k not in ticked_or_not} == \
        {"prediction_timing": "as_data_arrives", "dataset_size": "large"}
    assert all(report["facts"][name] is False for name in ticked_or_not)  # unticked: no
    assert ("scoring_mode", "real_time") in decided(report)
    left = Planner(advisor).plan(answers.values).questions
    assert left and all(q.fact.section != finished.id for q in left)
    draft = DraftStore(tmp_path / "data")
    assert draft.exists() and draft.load(advisor.knowledge).values == answers.values
    assert "advisor consult --resume" in screen


def test_at_the_offer_to_stop_the_user_is_told_what_is_open_and_may_stop_or_go_on(tmp_path, tmp_path_factory, advisor):
    from test_interactive import IMAGE_CLASSIFIER, image_classifier_consultation

    stop = KeyTerminal({**IMAGE_CLASSIFIER, "stop_offer": False}, default=DONT_KNOW)
    report, answers, screen = run(tmp_path / "stop", stop)
    offers = [p for p in stop.prompts if p.key == "stop_offer"]
    assert len(offers) == 1 and offers[0].message == "Only long shots are left. Go on?"
    assert [label for label, _ in offers[0].options][1].startswith("Stop here and show the report")
    # Questions are left; what they could still settle was shown, and the report lists it as open.
    plan = Planner(advisor).plan(answers.values)
    assert plan.next is not None and plan.can_stop
    still = plan.still_open()
    titles = [advisor.knowledge.vocabulary.decision(d).title for d in still.undecided]
    assert still.undecided and f"Still open ({len(titles)}): " in screen
    assert all(title in " ".join(screen.split()) for title in titles)
    assert set(still.undecided) <= {o["decision"] for o in report["open"]}
    draft = DraftStore(tmp_path / "stop" / "data")
    assert draft.exists() and draft.load(advisor.knowledge).values == answers.values
    assert "advisor consult --resume" in screen

    # Going on asks to the end, with no second offer; the recommendations of the stop still stand.
    on, full, all_answers, _, went_on = image_classifier_consultation(tmp_path_factory)
    assert [p.key for p in on.prompts].count("stop_offer") == 1
    assert len(on.questions) > len(stop.questions)
    assert Planner(advisor).plan(all_answers.values).next is None
    assert decided(report) <= decided(full)
    assert not DraftStore(went_on / "data").exists()


def test_stopped_with_questions_left_the_recommendations_that_could_still_change_are_named(tmp_path, advisor):
    consultation, screen = session(tmp_path, KeyTerminal())
    plan = Planner(advisor).plan({"prediction_timing": "as_data_arrives", "dataset_size": "large"})
    changeable = plan.still_open().could_change
    assert "scoring_mode" in changeable  # a rule of higher (or equal) priority could still fire
    consultation.show_left_open(plan)
    said = " ".join(screen.getvalue().split())
    assert f"a later answer could still change {len(changeable)} of these recommendations" in said
    assert all(advisor.knowledge.vocabulary.decision(d).title in said for d in changeable)
    # Nothing left to ask: nothing to name.
    quiet, quiet_screen = session(tmp_path / "quiet", KeyTerminal())
    quiet.show_left_open(plan.__class__(plan.consultation, (), plan.open_rules, plan.values, (), False, plan._planning))
    assert quiet_screen.getvalue() == ""


def test_resume_report_renders_the_saved_draft_without_asking(tmp_path, monkeypatch, advisor):
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    stop = KeyTerminal({"go_on": False, "prediction_timing": "at_set_times", "dataset_size": "small"},
                       default=DONT_KNOW)
    consult_interactively(focus=None, answers=None, resume=False, fmt="json", output=tmp_path / "stopped.json",
                          terminal=stop, console=Console(file=StringIO()))
    stopped = json.loads((tmp_path / "stopped.json").read_text(encoding="utf-8"))

    from advisor.cli.app import main

    with pytest.raises(SystemExit) as done:  # the real command line, in-process, with no terminal
        main(["consult", "--resume", "--report", "--format", "json", "--output", str(tmp_path / "saved.json")])
    assert done.value.code == 0
    saved = json.loads((tmp_path / "saved.json").read_text(encoding="utf-8"))
    assert saved["scenario"]["name"] == "Interactive consultation (so far)"
    assert {k: v for k, v in saved.items() if k != "scenario"} == \
           {k: v for k, v in stopped.items() if k != "scenario"}
    assert DraftStore(tmp_path / "data").exists(), "looking at the report keeps the draft"


def test_report_needs_resume(capsys):
    from advisor.cli.app import main

    with pytest.raises(SystemExit) as done:
        main(["consult", "--report"])
    assert done.value.code == 2
    assert "--resume" in capsys.readouterr().err


# --- design or review ------------------------------------------------------------

def test_a_design_consultation_never_asks_about_an_existing_setup(tmp_path_factory, knowledge):
    terminal = dont_know_consultation(tmp_path_factory)[0]
    assert terminal.prompts[0].key == "topics", "design or review: the topic checklist's first item"
    existing = {f.name for f in knowledge.vocabulary.facts if f.existing_setup}
    assert terminal.asked and not existing & set(terminal.asked)


def test_a_review_asks_about_the_existing_setup(tmp_path, knowledge):
    existing = {f.name for f in knowledge.vocabulary.facts if f.existing_setup}
    said = KeyTerminal({"existing": True}, default=DONT_KNOW)
    run(tmp_path, said, focus="sweep")
    assert existing & set(said.asked)

    flag = KeyTerminal(default=DONT_KNOW)  # --existing: no need to ask
    run(tmp_path, flag, focus="sweep", existing=True)
    assert "existing" not in [p.key for p in flag.prompts]
    assert existing & set(flag.asked)


@pytest.mark.parametrize("existing", [True, False])
def test_a_saved_draft_keeps_design_or_review(tmp_path, knowledge, existing):
    store = DraftStore(tmp_path)
    store.save(Answers(values={"dataset_size": "large"}, asked=["dataset_size"], existing=existing))
    assert store.load(knowledge).existing is existing


def test_after_recommending_scale_to_zero_it_never_asks_the_current_minimum(tmp_path):
    terminal = KeyTerminal({"stage": "experimentation", "algorithm_selection": "own_script"}, default=DONT_KNOW)
    report, answers, _ = run(tmp_path, terminal)
    assert ("cluster_scaling", "scale_to_zero") in decided(report)
    assert "cluster_min_instances" not in terminal.asked


# --- questions people can answer ---------------------------------------------------

def test_an_empty_checkbox_asks_none_of_these_before_recording_it(tmp_path):
    # Enter with nothing ticked: "none of these?" -> No -> tick choice after all.
    terminal = KeyTerminal({"hyperparameter_expressions": Queue(Keys(ENTER), ("choice",)),
                            "hyperparameter_expressions:none": False})
    report, answers, screen = run(tmp_path, terminal, focus="sweep")
    keys = [p.key for p in terminal.prompts]
    first = keys.index("hyperparameter_expressions")
    assert keys[first:first + 3] == ["hyperparameter_expressions", "hyperparameter_expressions:none",
                                     "hyperparameter_expressions"]
    assert answers.values["hyperparameter_expressions"] == ("choice",)
    # Echoed by value, not as a count of selections.
    assert "Which parameter expressions does the search space use? choice (a list of discrete values)" in screen


def test_confirmed_none_of_these_is_an_empty_list_and_no_sampling_advice(tmp_path):
    terminal = KeyTerminal({"hyperparameter_expressions": Keys(ENTER), "hyperparameter_expressions:none": True},
                           default=DONT_KNOW)
    report, answers, screen = run(tmp_path, terminal, focus="sweep")
    assert answers.values["hyperparameter_expressions"] == ()
    assert not any(r["decision"] == "sampling" for r in report["recommendations"])
    assert "use? None of these" in screen


def test_each_question_shows_its_help_so_relative_answers_can_be_decided(tmp_path_factory, knowledge):
    terminal, _, _, _, screen = real_time_consultation(tmp_path_factory)
    size = knowledge.vocabulary.fact("dataset_size")
    assert size.help in " ".join(screen.split())  # however the terminal wrapped it
    menu = next(p for p in terminal.prompts if p.key == "dataset_size").options
    assert any("one machine" in label for label, _ in menu)  # the labels say what small and large mean


def test_the_intro_title_reads_naturally(tmp_path):
    consultation, screen = session(tmp_path, KeyTerminal(default=DONT_KNOW))
    consultation.run(focus="sweep", answers_file=None, resume=False, render=lambda c, m: None)
    first_line = screen.getvalue().splitlines()[0]
    assert first_line == ("Azure Machine Learning consultation on one area: "
                          "Hyperparameter sweeps (search space, sampling and early termination)")
    assert "design on your" not in screen.getvalue()


def test_checkbox_answers_are_echoed_by_their_labels(tmp_path, knowledge):
    terminal = KeyTerminal({"tune_hyperparameters": True, "hyperparameter_expressions": ("choice", "uniform")},
                           default=DONT_KNOW)
    _, answers, screen = run(tmp_path, terminal, focus="sweep")
    assert answers.values["hyperparameter_expressions"] == ("choice", "uniform")
    question = knowledge.vocabulary.fact("hyperparameter_expressions").question
    assert f"? {question} choice (a list of discrete values), uniform" in screen


def test_a_checkbox_answered_dont_know_is_echoed_so(tmp_path, knowledge):
    terminal = KeyTerminal({"hyperparameter_expressions": DONT_KNOW}, default=DONT_KNOW)
    _, answers, screen = run(tmp_path, terminal, focus="sweep")
    assert answers.values["hyperparameter_expressions"] is None
    question = knowledge.vocabulary.fact("hyperparameter_expressions").question
    assert f"? {question} Don't know" in screen


def test_keys_for_a_report_press_pick_the_report_item(knowledge):
    """The keys the test terminal sends for REPORT, through the real prompt, give the report action."""
    from advisor.interactive import Action, Prompter
    from advisor.interactive.prompts import REPORT_LABEL, fact_options

    fact = knowledge.vocabulary.fact("prediction_timing")
    assert (REPORT_LABEL, REPORT) in fact_options(fact, can_go_back=True)
    terminal = KeyTerminal({fact.name: REPORT})
    reply = Prompter(terminal).ask_fact(fact, can_go_back=True)
    assert [p.key for p in terminal.prompts] == [fact.name]
    assert reply.action is Action.REPORT


# --- options and help that follow earlier answers (the vocabulary's `given`) ------

def _answers_file(tmp_path, facts: str):
    path = tmp_path / "known.yaml"
    path.write_text(f"name: known\nfacts:\n{facts}", encoding="utf-8")
    return path


def test_after_a_relational_database_the_storage_question_explains_itself(tmp_path, knowledge):
    terminal = KeyTerminal({"storage_service": "blob"}, default=DONT_KNOW)
    _, _, screen = run(tmp_path, terminal, focus="data",
                       answers_file=_answers_file(tmp_path, "  data_source: relational_database\n"))
    assert "storage_service" in terminal.asked
    text = " ".join(screen.split())
    [note] = knowledge.vocabulary.fact("storage_service").as_asked(
        {"data_source": "relational_database"}).notes
    assert f"Given your answers: {note}" in text
    assert "Azure SQL Database" in note and "don't connect to databases" in note


def test_without_that_answer_the_note_is_not_shown(tmp_path):
    terminal = KeyTerminal({"storage_service": "blob"}, default=DONT_KNOW)
    _, _, screen = run(tmp_path, terminal, focus="data",
                       answers_file=_answers_file(tmp_path, "  data_source: files\n"))
    assert "storage_service" in terminal.asked
    assert "don't connect to databases" not in " ".join(screen.split())


def test_options_are_annotated_by_earlier_answers_and_the_answer_is_the_same_value(tmp_path):
    terminal = KeyTerminal({"data_location": "blob_storage"}, default=DONT_KNOW)
    report, answers, _ = run(tmp_path, terminal, focus="assets",
                             answers_file=_answers_file(tmp_path, "  storage_service: blob\n"))
    menu = dict((value, label) for label, value in
                next(p for p in terminal.prompts if p.key == "data_location").options)
    assert menu["blob_storage"] == "Azure Blob Storage (the storage service you named)"
    assert menu["adls_gen2"] == "Azure Data Lake Storage Gen2"  # the others keep their labels
    assert answers.values["data_location"] == "blob_storage"
    assert report["facts"]["data_location"] == "blob_storage"
