"""`advisor drill`: real prompts driven by key presses, scripted answers, --stats, errors."""

from __future__ import annotations

import itertools
import re
import sqlite3
from io import StringIO

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from advisor.cli.commands.drill import INTERRUPTED_EXIT, drill_command
from advisor.drill.questions import MULTIPLE, ORDERING, canonical_answer
from advisor.drill.session import DrillOptions, DrillSession
from advisor.drill.store import ProgressStore
from advisor.presentation.drill import answer_words

DOWN = "\x1b[B"
ENTER = "\r"
CTRL_C = "\x03"

LIBRARY_SCENARIO = """\
name: Nightly photo scoring
description: Product photos are classified every night.
facts:
  ml_task: computer_vision
  data_format: unstructured
  prediction_timing: at_set_times
  trained_with_mlflow: true
"""


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "photos.yaml").write_text(LIBRARY_SCENARIO)
    return folder


def planned(advisor, tmp_path, seed, count, library):
    """The questions a session with this seed asks on a fresh database."""
    with ProgressStore(tmp_path / f"plan-{seed}.sqlite3") as store:
        session = DrillSession(advisor, store, DrillOptions(count=count, seed=seed, library=library))
        return list(itertools.islice(session.questions(), count))


def keys_for(question, answer):
    """Key presses giving `answer` (an option name, or a tuple of them): arrows and Enter for one
    answer, arrows and space for "choose two", the option numbers typed for an ordering."""
    answer = (answer,) if isinstance(answer, str) else tuple(answer)
    if question.kind == ORDERING:
        return " ".join(str(question.options.index(a) + 1) for a in answer) + ENTER
    if question.kind == MULTIPLE:
        keys, at = "", 0
        for index in sorted(question.options.index(a) for a in answer):
            keys += DOWN * (index - at) + " "
            at = index
        return keys + ENTER
    return DOWN * question.options.index(answer[0]) + ENTER


def right(question):
    return question.answer_keys


def wrong(question):
    """A wrong answer of the question's kind."""
    if question.kind == ORDERING:
        return tuple(reversed(question.answer_keys))
    if question.kind == MULTIPLE:
        return (question.distractors[0], *question.answer_keys[1:])
    return (question.distractors[0],)


def as_stored(question, answer):
    return canonical_answer(question, list(answer))


def typed(question, answer):
    """An --answers line: option numbers."""
    return " ".join(str(question.options.index(a) + 1) for a in answer)


def answers_in(db):
    connection = sqlite3.connect(db)
    rows = connection.execute("SELECT question_id, choice, correct FROM answers ORDER BY id").fetchall()
    connection.close()
    return rows


def run_with_keys(keys, *, db, seed, count, library):
    out = StringIO()
    console = Console(file=out, width=120, no_color=True, highlight=False)
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        code = drill_command(count=count, seed=seed, db=db, library=library, console=console,
                             prompt_input=pipe, prompt_output=DummyOutput())
    return code, out.getvalue()


def test_interactive_drill_right_and_wrong_answers(advisor, tmp_path, library):
    questions = planned(advisor, tmp_path, 21, 3, library)
    first, second, third = questions
    keys = keys_for(first, right(first)) + keys_for(second, wrong(second)) + keys_for(third, right(third))
    db = tmp_path / "progress.sqlite3"
    code, text = run_with_keys(keys, db=db, seed=21, count=3, library=library)
    assert code == 0
    flat = " ".join(re.sub("[│├└─]", " ", text).split())  # without the tree's guide lines
    assert text.count("✔ Right") == 2 and text.count("✘ Wrong") == 1
    chosen, key = as_stored(second, wrong(second)), second.key_text
    assert " ".join(f"✘ Wrong: you chose {answer_words(second, chosen)}; the right answer is "
                    f"{answer_words(second, key)}".split()) in flat
    assert flat.count("Each option") == 3  # why each option is right or wrong, after every answer
    for option in second.options:
        assert " ".join(f"{second.label(option)}: {second.note(option)}".split()) in flat
    if second.consultation is not None:
        for rule_id in second.consultation.recommendation(second.decision).rules:
            rule = advisor.knowledge.rule(rule_id)
            assert f"{rule_id}: {rule.title}" in text and rule.source in text.replace("\n", "")
    assert "Score: 2/3" in text and "Session complete" in text
    assert "Weakest topics to re-read:" in text
    assert answers_in(db) == [(first.id, first.key_text, 1), (second.id, chosen, 0), (third.id, third.key_text, 1)]


def test_scenario_is_a_case_study_in_the_vocabulary_or_the_outlines_words(advisor, tmp_path, library):
    from advisor.drill.outline import load_outline

    questions = [q for q in planned(advisor, tmp_path, 22, 6, library) if q.facts and q.kind != ORDERING]
    question = questions[0]
    index = [q.id for q in planned(advisor, tmp_path, 22, 6, library)].index(question.id)
    keys = "".join(keys_for(q, right(q)) for q in planned(advisor, tmp_path, 22, index + 1, library))
    code, text = run_with_keys(keys, db=tmp_path / "p.sqlite3", seed=22, count=index + 1, library=library)
    assert code == 0
    wording = load_outline().wording
    vocabulary = advisor.knowledge.vocabulary
    flat = " ".join(text.split())
    assert "You are advising " in flat
    for name in question.facts:
        fact = vocabulary.fact(name)
        asked = wording[name].question if name in wording and wording[name].question else fact.question
        assert " ".join(asked.split()) in flat
        assert f"{name}:" not in text  # never "key: value"
    assert "advisor recommend" not in flat  # the stem asks about Azure, not about the advisor


def test_ctrl_c_mid_session_keeps_the_answers_given(advisor, tmp_path, library):
    questions = planned(advisor, tmp_path, 23, 5, library)
    keys = keys_for(questions[0], right(questions[0])) + keys_for(questions[1], wrong(questions[1]))
    db = tmp_path / "progress.sqlite3"
    code, text = run_with_keys(keys + CTRL_C, db=db, seed=23, count=5, library=library)
    assert code == INTERRUPTED_EXIT
    assert "Session ended early" in text and "Score: 1/2" in text
    assert "Question 3 of 5" in text and "Question 4 of 5" not in text
    assert answers_in(db) == [(questions[0].id, questions[0].key_text, 1),
                              (questions[1].id, as_stored(questions[1], wrong(questions[1])), 0)]
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT finished_at IS NOT NULL FROM sessions").fetchall() == [(1,)]
    connection.close()


def test_missed_question_opens_the_next_session(advisor, tmp_path, library):
    questions = planned(advisor, tmp_path, 24, 2, library)
    db = tmp_path / "progress.sqlite3"
    keys = keys_for(questions[0], right(questions[0])) + keys_for(questions[1], wrong(questions[1]))
    assert run_with_keys(keys, db=db, seed=24, count=2, library=library)[0] == 0
    code, text = run_with_keys(CTRL_C, db=db, seed=25, count=2, library=library)
    assert code == INTERRUPTED_EXIT
    first_block = " ".join(text.split("Question 1 of 2")[1].split("Session ended early")[0].split())
    assert "review, box 1 of 5" in first_block
    assert " ".join(questions[1].scenario.split()) in first_block
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT count(*) FROM answers").fetchone() == (2,)
    connection.close()


# --- the real console script -----------------------------------------------------------


def test_scripted_answers_by_number_and_name(advisor, tmp_path, library, cli):
    questions = planned(advisor, tmp_path, 31, 3, library)
    lines = [typed(questions[0], right(questions[0])), "", typed(questions[1], wrong(questions[1])),
             " ".join(right(questions[2]))]
    answers = tmp_path / "answers.txt"
    answers.write_text("\n".join(lines) + "\n")
    db = tmp_path / "progress.sqlite3"
    result = cli("drill", "--count", "3", "--seed", "31", "--db", str(db), "--library", str(library),
                 "--answers", str(answers))
    assert result.returncode == 0, result.stderr
    assert "Score: 2/3" in result.stdout
    assert f"answer: {questions[0].key_text}" in " ".join(result.stdout.split())
    assert [row[2] for row in answers_in(db)] == [1, 0, 1]


def test_answers_from_stdin_and_running_out_of_answers(advisor, tmp_path, library, cli):
    questions = planned(advisor, tmp_path, 32, 4, library)
    db = tmp_path / "progress.sqlite3"
    result = cli("drill", "--count", "4", "--seed", "32", "--db", str(db), "--library", str(library),
                 "--answers", "-", input=typed(questions[0], right(questions[0])) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Session ended early" in result.stdout and "Score: 1/1" in result.stdout
    assert answers_in(db) == [(questions[0].id, questions[0].key_text, 1)]


def test_invalid_scripted_answer_is_one_line_error_and_keeps_earlier_answers(advisor, tmp_path, library, cli):
    questions = planned(advisor, tmp_path, 33, 3, library)
    answers = tmp_path / "answers.txt"
    answers.write_text(f"{typed(questions[0], right(questions[0]))}\nmaybe\n")
    db = tmp_path / "progress.sqlite3"
    result = cli("drill", "--count", "3", "--seed", "33", "--db", str(db), "--library", str(library),
                 "--answers", str(answers))
    assert result.returncode == 2
    assert result.stderr.startswith(f"advisor: error: {answers}:2: 'maybe' is not one of the offered choices")
    assert len(result.stderr.strip().splitlines()) == 1
    assert answers_in(db) == [(questions[0].id, questions[0].key_text, 1)]


def test_same_seed_same_session_through_the_cli(tmp_path, library, cli):
    outputs = []
    for name in ("a", "b"):
        result = cli("drill", "--count", "3", "--seed", "34", "--db", str(tmp_path / f"{name}.sqlite3"),
                     "--library", str(library), "--decision", "processor", "--answers", "-", input="1\n1\n1\n")
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout.split("Session complete")[0])
    assert outputs[0] == outputs[1]


def test_data_dir_override_and_user_errors(tmp_path, cli):
    data = tmp_path / "data"
    data.mkdir()
    result = cli("drill", "--count", "1", "--seed", "1", "--decision", "processor", "--answers", "-",
                 input="1\n", env={"ADVISOR_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    assert (data / "drill.sqlite3").is_file()
    assert len(answers_in(data / "drill.sqlite3")) == 1

    no_terminal = cli("drill", "--db", str(tmp_path / "x.sqlite3"))
    assert no_terminal.returncode == 2 and "--answers" in no_terminal.stderr
    bad_section = cli("drill", "--section", "deployment", "--answers", "-", input="1\n",
                      env={"ADVISOR_DATA_DIR": str(data)})
    assert bad_section.returncode == 2
    assert bad_section.stderr.strip() == ("advisor: error: unknown section 'deployment' (allowed: design, "
                                          "workspace, experiment, optimize, manage, deploy, language-models)")
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello " * 500)
    broken = cli("drill", "--db", str(not_a_db), "--answers", "-", input="1\n")
    assert broken.returncode == 2 and "not a usable drill database" in broken.stderr
    assert "Traceback" not in broken.stderr + bad_section.stderr + no_terminal.stderr


def seed_database(path):
    day = 86_400.0
    start = 1_750_000_000.0
    with ProgressStore(path) as store:
        session = store.start_session(started_at=start, seed=1, planned=10, section=None, decision=None)
        rows = ([("design", "processor", "gpu", "cpu")] * 3 + [("design", "processor", "gpu", "gpu")]
                + [("deploy", "endpoint_type", "batch", "batch")] * 3
                + [("optimize", "sampling", "grid", "grid"), ("optimize", "sampling", "grid", "random")])
        for i, (section, decision, correct, chosen) in enumerate(rows):
            store.record_answer(session_id=session, question_id=f"q{i}", decision=decision, section=section,
                                facts={}, origin="generated", description=None, choice=chosen,
                                correct_choice=correct, answered_at=start + i * day / 2, seconds=3.0)
        store.finish_session(session, start + 5 * day)


def test_stats_on_a_seeded_database(tmp_path, cli):
    db = tmp_path / "progress.sqlite3"
    seed_database(db)
    result = cli("drill", "--stats", "--db", str(db))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "9 answers in 1 session, 56% right" in text  # "1 session", not "1 sessions"
    by_section = text.split("By section, weakest first")[1].split("By decision")[0]
    lines = [line for line in by_section.splitlines() if line.strip().startswith(("1.", "4.", "6."))]
    assert [line.split()[0] + line.split()[1] for line in lines] == ["1.design", "4.optimize", "6.deploy"]
    assert "25%" in lines[0] and "50%" in lines[1] and "100%" in lines[2]
    assert "██████████" in lines[2] and "░" in lines[0]
    by_decision = text.split("By decision, weakest first")[1].split("Over time")[0]
    assert by_decision.index("CPU or GPU") < by_decision.index("Sweep sampling method") \
        < by_decision.index("Endpoint type")
    assert "Over time" in text and text.count("2025-") >= 3


def test_stats_on_an_empty_database(tmp_path, cli):
    result = cli("drill", "--stats", "--db", str(tmp_path / "new.sqlite3"))
    assert result.returncode == 0 and "No drill answers yet" in result.stdout


# The terminal tests' environment. pexpect's terminal never answers prompt_toolkit's cursor
# position request, so without PROMPT_TOOLKIT_NO_CPR each prompt waits out the request (~1 s of
# an idle test worker per question); a real terminal answers it at once.
PTY_ENV = {"PATH": "/usr/bin:/bin", "TERM": "xterm", "NO_COLOR": "1", "PROMPT_TOOLKIT_NO_CPR": "1"}

def test_real_terminal_session_with_key_presses(advisor, tmp_path, library):
    """The console script in a pseudo-terminal: arrow keys and Enter answer, Ctrl-C ends cleanly."""
    pexpect = pytest.importorskip("pexpect")
    from conftest import CONSOLE_SCRIPT

    first = planned(advisor, tmp_path, 41, 3, library)[0]
    db = tmp_path / "progress.sqlite3"
    child = pexpect.spawn(CONSOLE_SCRIPT, ["drill", "--count", "3", "--seed", "41", "--db", str(db),
                                           "--library", str(library)],
                          env=PTY_ENV,
                          encoding="utf-8", timeout=60, dimensions=(50, 120))
    try:
        child.expect("Question 1 of 3")
        child.expect(r"Use shortcuts or arrow keys|Order \(the option numbers")  # the seed decides the kind
        child.send(keys_for(first, right(first)))
        child.expect("✔ Right")
        child.expect("Question 2 of 3")
        child.expect(r"Use shortcuts or arrow keys|Order \(the option numbers")  # seed 41 asks an ordering
        child.send(CTRL_C)
        child.expect("Session ended early")
        child.expect(r"Score: \S*1/1")  # bold survives NO_COLOR
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == INTERRUPTED_EXIT
    assert answers_in(db) == [(first.id, first.key_text, 1)]


def test_a_sigint_at_a_menu_question_ends_the_session_as_ctrl_c_does(advisor, tmp_path, library):
    """A Ctrl-C typed in the instant before the terminal goes raw (or `kill -INT`) arrives as a
    SIGINT, which a select or checkbox ignored: the question stayed on screen. Once the question
    is on screen its prompt runs, so the signal sent then is deterministic."""
    import signal

    pexpect = pytest.importorskip("pexpect")
    from conftest import CONSOLE_SCRIPT

    seed = next(s for s in range(1, 200) if planned(advisor, tmp_path, s, 1, library)[0].kind != ORDERING)
    db = tmp_path / "progress.sqlite3"
    child = pexpect.spawn(CONSOLE_SCRIPT, ["drill", "--count", "3", "--seed", str(seed), "--db", str(db),
                                           "--library", str(library)],
                          env=PTY_ENV,
                          encoding="utf-8", timeout=60, dimensions=(50, 120))
    try:
        child.expect("Question 1 of 3")
        child.expect(r"Use shortcuts or arrow keys|○")  # a select, or a checkbox's empty box
        child.kill(signal.SIGINT)
        child.expect("Session ended early")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == INTERRUPTED_EXIT
    assert answers_in(db) == []


@pytest.mark.parametrize("kind", ["single", MULTIPLE])
def test_a_long_option_is_drawn_whole_on_a_narrow_screen(advisor, tmp_path, library, kind):
    """Long options wrap between words beside the pointer (as the questionnaire's do) instead of
    being cut at the screen's edge."""
    from dataclasses import replace

    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.output.vt100 import Vt100_Output

    from advisor.cli.commands.drill import PromptAnswers

    question = next(q for seed in range(1, 60) for q in planned(advisor, tmp_path, seed, 6, library)
                    if (q.kind == MULTIPLE) == (kind == MULTIPLE) and q.kind != ORDERING and q.labels)
    long = ("A managed online endpoint with a blue-green deployment, traffic mirrored to the new model "
            "before any live traffic is switched over to it")
    labels = (long, *question.labels[1:])
    question = replace(question, labels=labels)
    screen = StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys_for(question, right(question)))
        output = Vt100_Output(screen, lambda: Size(rows=40, columns=60), term="xterm")
        chosen = PromptAnswers(advisor.knowledge, input=pipe, output=output)(question)
    assert chosen == question.key_text
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "", screen.getvalue())
    for word in long.split():
        assert re.search(rf"(^|\s){re.escape(word)}(\s|$)", drawn), word
