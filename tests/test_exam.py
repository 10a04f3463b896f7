"""Exam preparation (issue 23): the outline's weights, honest questions of every exam type,
the timed mock exam with an injected clock, export formats and the per-domain stats."""

from __future__ import annotations

import csv
import importlib.util
import io
import itertools
import json
import random
import sqlite3
from io import StringIO

import pytest
from conftest import ROOT
from rich.console import Console

from advisor.drill.exam import ExamOptions, MockExam, scaled_score
from advisor.drill.export import export_questions
from advisor.drill.feedback import grade
from advisor.drill.honesty import contained, giveaways
from advisor.drill.kinds import BLANK, blank_field
from advisor.drill.outline import load_outline
from advisor.drill.questions import COMPLETION, MULTIPLE, ORDERING, SINGLE, canonical_answer, resolve_answer
from advisor.drill.session import DrillOptions, DrillSession
from advisor.drill.stats import compute_stats
from advisor.drill.store import ProgressStore
from advisor.paths import scenarios_dir
from advisor.presentation.drill import export_text

T0 = 1_700_000_000.0


def bench_module():
    spec = importlib.util.spec_from_file_location("exam_questions", ROOT / "bench" / "exam_questions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def exported(advisor):
    return [q.as_dict() for q in export_questions(advisor, 200, 7, None)]


# --- the outline ----------------------------------------------------------------------------

def test_outline_weights_and_every_shipped_decision_mapped(knowledge):
    outline = load_outline()
    assert [d.weight for d in outline.domains] == [(20, 25), (20, 25), (25, 30), (25, 30)]
    assert pytest.approx(sum(outline.weights().values())) == 1.0
    for spec in knowledge.vocabulary.decisions:
        if spec.section in ("design", "workspace", "experiment", "optimize", "manage", "deploy"):
            assert outline.domain_of_skill(outline.skill_of(spec.name, spec.section)) in (1, 2, 3), spec.name
    named = {d for s in outline.skills for d in s.decisions}
    assert named <= {d.name for d in knowledge.vocabulary.decisions}


def test_ordering_stems_share_no_word_with_their_steps():
    from advisor.drill.honesty import words

    for _, ordering in load_outline().orderings():
        assert not words(ordering.stem) & set().union(*(words(step) for step in ordering.steps)), ordering.id


def test_a_bad_outline_is_one_clear_error(tmp_path):
    from advisor.drill.outline import load_outline_file
    from advisor.errors import AdvisorError

    bad = tmp_path / "exam-x.yaml"
    bad.write_text("exam: X\ntitle: T\nsource: s\ndomains:\n  - number: 1\n    title: D\n    weight: [30, 20]\n"
                   "    skills: []\n")
    with pytest.raises(AdvisorError, match="invalid exam outline: domains.0.weight"):
        load_outline_file(bad)


# --- honest questions ------------------------------------------------------------------------

def test_giveaway_and_containment_checks():
    assert giveaways("Do you want to try every grid combination?", ["Grid sampling", "Random sampling"]) \
        == {0: frozenset({"grid"})}
    assert giveaways("Which sampling method?", ["Grid sampling", "Random sampling"]) == {}
    assert contained(["Random sampling", "Sobol (random sampling with a seed)"]) == [(0, 1)]
    assert contained(["Azure Machine Learning", "Azure Databricks"]) == []


def test_word_overlap_guesser_scores_chance_on_exported_questions(exported):
    bench = bench_module()
    result = bench.measure(exported, {d.number: d.midpoint / 100 for d in load_outline().domains})
    assert abs(result["guesser"] - result["chance"]) <= 0.05, result
    assert result["contained"] == 0


def test_nine_in_ten_exported_questions_offer_four_or_more_options(exported):
    """The issue's figure: wrong options beside the key come from the decision's other choices
    and the outline's distractors, so almost every question has four options or more."""
    bench = bench_module()
    result = bench.measure(exported, {d.number: d.midpoint / 100 for d in load_outline().domains})
    assert result["four_or_more_options"] >= 0.9, result


def test_a_borrowed_distractor_the_engine_recommends_here_is_not_offered(advisor, knowledge):
    """development_compute borrows training_compute's compute cluster as a wrong option; a
    scenario whose training should run on a compute cluster never shows it as wrong."""
    from advisor.drill.questions import OTHER, build_question

    borrowed = OTHER + "training_compute.compute_cluster"
    facts = {"works_in_notebooks": True, "spark_code_in_notebooks": False}
    experimenting = advisor.consult({**facts, "stage": "experimentation"})
    producing = advisor.consult({**facts, "stage": "production"})
    assert "compute_cluster" in producing.chosen("training_compute")
    assert "compute_cluster" not in experimenting.chosen("training_compute")
    offered = {seed: build_question(experimenting, "development_compute", knowledge, random.Random(seed))
               for seed in range(3)}
    assert all(q is not None and borrowed in q.options for q in offered.values())
    for seed in range(3):
        question = build_question(producing, "development_compute", knowledge, random.Random(seed))
        assert question is not None and borrowed not in question.options


def test_a_distractor_explains_itself_with_its_own_source(knowledge):
    """A declared distractor's note is plain words, and names its source when the question's
    Learn unit does not state it."""
    from advisor.drill.explain import distractor_note
    from advisor.drill.outline import Distractor

    outline = load_outline()
    with_source = [d for s in outline.skills for item in s.decisions.values() for d in item.distractors if d.source]
    assert with_source
    for distractor in with_source:
        assert distractor_note(distractor, "https://elsewhere").endswith(f"(Source: {distractor.source})")
        assert distractor_note(distractor, distractor.source) == distractor.why
    plain = Distractor(label="Azure Functions", why="Not a deployment target.")
    assert distractor_note(plain, "https://unit") == "Not a deployment target."


def test_every_decision_has_four_options_to_offer(knowledge):
    """Its own choices plus the outline's distractors: a single-answer question on any
    decision can show four options."""
    outline = load_outline()
    for spec in knowledge.vocabulary.decisions:
        if not any(r.conclusion.kind == "recommend" for r in knowledge.producers(spec.name)):
            continue
        item = outline.item(spec.name)
        assert len(spec.choices) + len(item.distractors if item else ()) >= 4, spec.name


def test_why_wrong_names_the_stated_fact_that_rules_an_option_out(advisor, knowledge):
    """Grid and Bayesian sampling fail on the search space the scenario states, so that is the
    reason given (not an unstated preference), and list answers are read as their labels."""
    from advisor.drill.questions import build_question

    consultation = advisor.consult({"hyperparameter_expressions": ("uniform", "qnormal"),
                                    "reproducible_results": False})
    assert consultation.chosen("sampling") == ("random",)
    question = build_question(consultation, "sampling", knowledge, random.Random(0))
    notes = dict(zip(question.options, question.notes, strict=True))
    assert notes["grid"].endswith("includes only choice (a list of discrete values); here: uniform, qnormal.")
    assert "or uniform or quniform; here: uniform, qnormal." not in notes["bayesian"]
    assert notes["bayesian"].endswith("choice (a list of discrete values), uniform or quniform; "
                                      "here: uniform, qnormal.")
    assert not any("does not say" in note for note in question.notes)


def test_feedback_states_facts_as_the_scenario_did(advisor, knowledge):
    """The outline words a fact its own way where the vocabulary's would name an option; the
    explanations quote the scenario's words, and list values their labels (not characters)."""
    from advisor.drill.questions import build_question

    consultation = advisor.consult({"algorithm_selection": "automated", "ml_task": "classification",
                                    "automl_changes": ("custom_featurization",)})
    question = build_question(consultation, "automl_featurization", knowledge, random.Random(0))
    said = load_outline().wording["automl_changes"].values["custom_featurization"]
    assert said in question.scenario
    notes = dict(zip(question.options, question.notes, strict=True))
    assert f"includes none of {said}; here: {said}." in notes["auto"]
    assert notes["custom"].endswith(f"Here: Which of AutoML's defaults must change for this model? {said}.")


def test_explanations_do_not_depend_on_set_order(advisor, knowledge):
    """The keys' reasons follow the options' order, not a set's (which changes with
    PYTHONHASHSEED, so the same --seed exported different text in another process)."""
    from dataclasses import replace

    from advisor.drill.explain import why_right
    from advisor.drill.questions import build_question

    class Sorted(frozenset):
        reverse = False

        def __iter__(self):
            return iter(sorted(super().__iter__(), reverse=self.reverse))

    class Reversed(Sorted):
        reverse = True

    consultation = advisor.consult({"access_needs": ("view_only", "manage_compute")})
    question = build_question(consultation, "rbac_role", knowledge, random.Random(0))
    assert question.kind == MULTIPLE and len(question.answer_keys) == 2
    forward = replace(question, recommended=Sorted(question.recommended))
    backward = replace(question, recommended=Reversed(question.recommended))
    assert why_right(forward, knowledge) == why_right(backward, knowledge)


def test_guesser_catches_a_giveaway():
    """The guesser is not blind: a question that repeats its key's words is solved by it."""
    bench = bench_module()
    record = {"question": "The team needs Bayesian optimization of the trials.",
              "options": ["Grid sampling", "Bayesian sampling", "Random sampling"], "answers": [1]}
    assert bench.guess(record) == [1] and bench.is_right(record, bench.guess(record))


def test_every_exported_question_is_honest(exported):
    for record in exported:
        assert not giveaways(record["question"], record["options"]), record
        assert not contained(record["options"]), record
        assert len(set(record["options"])) == len(record["options"]) >= 2
        assert "advisor" not in record["question"].lower()


def test_each_question_type_is_exported(exported):
    kinds = {r["kind"] for r in exported}
    assert {SINGLE, MULTIPLE, ORDERING, COMPLETION} <= kinds
    for record in exported:
        if record["kind"] == MULTIPLE:
            assert len(record["answers"]) >= 2 and "Choose " in record["question"]
        if record["kind"] == ORDERING:
            assert sorted(record["answers"]) == list(range(len(record["options"])))
        if record["kind"] == COMPLETION:
            assert BLANK in record["question"]


def test_completion_snippet_is_emits_yaml_with_one_blank(advisor, knowledge):
    import yaml

    from advisor.azureml import emit

    consultation = advisor.consult({"try_every_combination": True, "hyperparameter_expressions": ("choice",),
                                    "reproducible_results": False, "learn_from_previous_trials": False})
    assert consultation.chosen("sampling") == ("grid",)
    [sweep] = [f for f in emit.plan(consultation, knowledge, "exam").files if f.kind == "sweep_job"]
    snippet = blank_field(sweep.text, "sampling_algorithm", "grid")
    assert snippet is not None and "#" not in snippet
    assert yaml.safe_load(snippet.replace(BLANK, "grid"))["sampling_algorithm"] == "grid"
    assert yaml.safe_load(snippet)["sampling_algorithm"] == BLANK
    assert blank_field(sweep.text, "sampling_algorithm", "random") is None  # never a blank over another value


def test_ordering_question_graded_on_the_whole_order(advisor, tmp_path):
    outline = load_outline()
    skill, ordering = outline.orderings()[0]
    from advisor.drill.kinds import ordering_question

    q = ordering_question(skill, ordering, outline, random.Random(1))
    assert q.kind == ORDERING and q.options != q.keys
    right = resolve_answer(" ".join(str(q.options.index(k) + 1) for k in q.keys), q)
    assert grade(q, right, advisor.knowledge).correct
    swapped = list(q.keys)
    swapped[0], swapped[1] = swapped[1], swapped[0]
    feedback = grade(q, canonical_answer(q, swapped), advisor.knowledge)
    assert not feedback.correct and feedback.why_not[0].startswith("The right order is: ")
    partial = resolve_answer("1 2", q)  # an incomplete order is a wrong answer, not an error
    assert not grade(q, partial, advisor.knowledge).correct


def test_multiple_answer_needs_every_key(advisor, tmp_path):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        session = DrillSession(advisor, store, DrillOptions(count=60, seed=3))
        q = next(q for q in session.questions() if q.kind == MULTIPLE)
    keys = list(q.answer_keys)
    assert grade(q, canonical_answer(q, keys), advisor.knowledge).correct
    half = [keys[0], q.distractors[0], *keys[2:]]
    assert not grade(q, canonical_answer(q, half), advisor.knowledge).correct
    numbers = ",".join(str(q.options.index(k) + 1) for k in keys)
    assert resolve_answer(numbers, q) == q.key_text
    one = resolve_answer("1", q)  # one option of "choose two" is a wrong answer, not an error
    assert not grade(q, one, advisor.knowledge).correct
    with pytest.raises(ValueError, match="names an option twice"):
        resolve_answer("1,1", q)


# --- weights -----------------------------------------------------------------------------------

def test_new_questions_follow_the_domain_weights_where_domains_have_questions(exported):
    outline = load_outline()
    counts = {d.number: sum(r["domain"] == d.number for r in exported) for d in outline.domains}
    rich = [d for d in outline.domains if counts[d.number] > 10]  # domains with enough distinct questions
    total_weight = sum(d.midpoint for d in rich)
    total = sum(counts[d.number] for d in rich)
    for domain in rich:
        assert abs(counts[domain.number] / total - domain.midpoint / total_weight) <= 0.08, counts


def test_each_question_goes_to_the_domain_furthest_below_its_share(exported):
    """Not a random draw per question: 200 questions split 45/45/55/55 as the weights'
    midpoints say (a draw strays by several points at this size)."""
    outline = load_outline()
    counts = {d.number: sum(r["domain"] == d.number for r in exported) for d in outline.domains}
    for domain in outline.domains:
        assert abs(counts[domain.number] - len(exported) * domain.midpoint / 100) <= 1, counts


# --- the mock exam ------------------------------------------------------------------------------

def wrong(question) -> list[str]:
    if question.kind == ORDERING:
        return list(reversed(question.answer_keys))
    return [question.distractors[0], *question.answer_keys[1:]]


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_scaled_score():
    assert scaled_score(35, 50) == 700 and scaled_score(34, 50) == 680 and scaled_score(0, 50) == 0
    assert scaled_score(50, 50) == 1000


def test_mock_exam_scoring_timing_and_storage(advisor, tmp_path):
    clock = Clock(T0)
    db = tmp_path / "p.sqlite3"
    with ProgressStore(db) as store:
        exam = MockExam(advisor, store, ExamOptions(questions=10, minutes=5, seed=4), clock=clock)
        answered = 0
        for number, question in enumerate(exam.questions()):
            clock.now += 40  # 40 s a question: the 8th starts at 280 s, the 9th would start at 320 s
            answer = question.key_text if number % 2 == 0 else canonical_answer(question, wrong(question))
            if exam.answer(question, answer) is not None:
                answered += 1
        result = exam.finish()
    assert exam.timed_out and answered == result.answered == 7  # the 8th answer came at 320 s: not scored
    assert result.correct == 4 and result.score == scaled_score(4, 10) == 400 and not result.passed
    assert sum(d.asked for d in result.domains) == 8
    assert len(result.wrong) == 3
    connection = sqlite3.connect(db)
    row = connection.execute("SELECT questions, answered, correct, score, passed, timed_out FROM exams").fetchone()
    assert row == (10, 7, 4, 400, 0, 1)
    assert connection.execute("SELECT count(*) FROM answers").fetchone() == (7,)
    connection.close()


def test_exam_command_reports_domains_and_reviews_wrong_answers(advisor, tmp_path):
    from advisor.cli.commands.exam import exam_command

    with ProgressStore(tmp_path / "plan.sqlite3") as store:
        options = ExamOptions(questions=3, seed=9, library=scenarios_dir())  # as the command has them
        planned = list(itertools.islice(MockExam(advisor, store, options).questions(), 3))
    answers = tmp_path / "answers.txt"
    lines = [" ".join(str(q.options.index(k) + 1) for k in (q.answer_keys if i == 0 else wrong(q)))
             for i, q in enumerate(planned)]
    answers.write_text("\n".join(lines) + "\n")
    out = StringIO()
    code = exam_command(questions=3, seed=9, db=tmp_path / "p.sqlite3", answers=str(answers),
                        console=Console(file=out, width=120, no_color=True, highlight=False))
    text = " ".join(out.getvalue().split())
    assert code == 0
    assert "Exam complete" in text and "of 1000 (700 to pass)" in text and "By exam domain" in text
    assert "Review of wrong answers" in text and "FAIL" in text


# --- export ------------------------------------------------------------------------------------

def test_export_jsonl_and_anki_csv_without_touching_progress(tmp_path, cli):
    data = tmp_path / "data"
    data.mkdir()
    out = tmp_path / "q.jsonl"
    result = cli("drill", "--export", str(out), "-n", "12", "--seed", "7", env={"ADVISOR_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 12
    for r in records:
        assert set(r) >= {"question", "options", "answers", "domain", "skill", "explanation", "source"}
        assert r["domain"] in (1, 2, 3, 4) and all(0 <= i < len(r["options"]) for i in r["answers"])
        assert r["explanation"] and r["source"].startswith("https://")
    again = tmp_path / "again.jsonl"
    cli("drill", "--export", str(again), "-n", "12", "--seed", "7", env={"ADVISOR_DATA_DIR": str(data)})
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")  # same seed, same questions
    cards = tmp_path / "q.csv"
    result = cli("drill", "--export", str(cards), "-n", "5", "--seed", "7", env={"ADVISOR_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    lines = cards.read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["#separator:Comma", "#html:true", "#columns:Front,Back"]
    rows = list(csv.reader(io.StringIO("\n".join(lines[3:]))))
    assert len(rows) == 5 and all(len(row) == 2 for row in rows)
    assert list(data.iterdir()) == []  # no progress database made
    bad = cli("drill", "--export", str(tmp_path / "q.txt"), env={"ADVISOR_DATA_DIR": str(data)})
    assert bad.returncode == 2 and "a .jsonl or .csv file" in bad.stderr


def test_csv_export_escapes_html_and_formulas():
    from advisor.drill.export import ExportedQuestion

    record = ExportedQuestion("=1+1 <b>", ("<script>", "b"), (0,), 1, "1.1", SINGLE, "-x", "https://x")
    text = export_text([record], "csv")
    row = next(csv.reader(io.StringIO(text.split("\n", 3)[3])))
    assert row[0].startswith("'=1+1 &lt;b&gt;") and "&lt;script&gt;" in row[0]


# --- stats -------------------------------------------------------------------------------------

def test_stats_by_domain_with_due_today_boxes_and_mastered(advisor, tmp_path, knowledge):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        session = store.start_session(started_at=T0, seed=1, planned=3, section=None, decision=None)
        rows = [("q1", "processor", "design", False), ("q2", "sampling", "optimize", True),
                ("q3", "order:mlops-architecture", "order", True)]
        for qid, decision, section, right in rows:
            store.record_answer(session_id=session, question_id=qid, decision=decision, section=section, facts={},
                                origin="generated", description=None, choice="a" if right else "b",
                                correct_choice="a", answered_at=T0, seconds=1.0)
        for _ in range(4):  # q2 up to the top box
            store.record_answer(session_id=session, question_id="q2", decision="sampling", section="optimize",
                                facts={}, origin="generated", description=None, choice="a", correct_choice="a",
                                answered_at=T0, seconds=1.0)
        stats = compute_stats(store.answers(), knowledge, store.due_questions(float("inf")), now=T0 + 60)
    domains = {row.key: row for row in stats.domains}
    assert domains["1"].answered == 2 and domains["1"].correct == 1  # processor and the MLOps ordering
    assert domains["2"].answered == 5 and domains["2"].correct == 5
    queues = {q.domain: q for q in stats.queues}
    assert queues[1].due_today == 1 and queues[1].boxes == (1, 1, 0, 0, 0)  # q1 missed (due now); q3 in a day
    assert queues[2].mastered == 1 and queues[2].due_today == 0
    assert {s.key for s in stats.skills} == {"1.1", "2.3"}


# --- relearning within a session ------------------------------------------------------------------

def test_a_missed_question_comes_back_later_in_the_same_session(advisor, tmp_path):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        session = DrillSession(advisor, store, DrillOptions(count=7, seed=3))
        asked = []
        for question in session.questions():
            asked.append(question.id)
            right = len(asked) not in (1, 5)  # the first question missed, and missed again when it returns
            session.answer(question, question.key_text if right else canonical_answer(question, wrong(question)))
    assert len(asked) == 7
    assert asked[4] == asked[0] and asked.count(asked[0]) == 2  # back 3 questions later, only once
    assert len(set(asked)) == 6
