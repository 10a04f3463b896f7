"""Drill progress: Leitner boxes, review order, the SQLite store under two writers at once."""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from advisor.drill.questions import canonical_answer
from advisor.drill.schedule import DAY, TOP_BOX, next_box
from advisor.drill.session import DrillOptions, DrillSession
from advisor.drill.store import ProgressStore
from advisor.errors import AdvisorError

T0 = 1_700_000_000.0


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def answer(session, question, right: bool):
    if right:
        choice = question.key_text
    elif question.kind == "ordering":
        choice = canonical_answer(question, list(reversed(question.answer_keys)))
    else:
        choice = canonical_answer(question, [question.distractors[0], *question.answer_keys[1:]])
    return session.answer(question, choice)


def test_leitner_boxes():
    assert next_box(0, False) == 1
    assert next_box(0, True) == 2
    assert next_box(3, True) == 4
    assert next_box(TOP_BOX, True) == TOP_BOX
    assert next_box(TOP_BOX, False) == 1


def test_missed_question_comes_back_before_mastered_ones(advisor, tmp_path):
    clock = Clock(T0)
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        first = DrillSession(advisor, store, DrillOptions(count=3, seed=11), clock=clock)
        missed, mastered, learning = list(itertools.islice(first.questions(), 3))
        answer(first, mastered, right=True)
        for _ in range(3):  # box 2 -> 5, each time once it is due again
            clock.now += 30 * DAY
            store.record_answer(session_id=first.session_id, question_id=mastered.id,
                                decision=mastered.decision, section=mastered.section, facts={},
                                origin=mastered.origin, description=None, choice=mastered.key_text,
                                correct_choice=mastered.key_text, answered_at=clock.now, seconds=None)
        answer(first, learning, right=True)
        answer(first, missed, right=False)
        first.finish()
        assert store.question(mastered.id).box == TOP_BOX
        assert store.question(learning.id).box == 2
        assert store.question(missed.id).box == 1

        # An hour later only the missed question is due: it opens the next session.
        clock.now += 3600
        assert [q.id for q in store.due_questions(clock.now)] == [missed.id]
        second = DrillSession(advisor, store, DrillOptions(count=4, seed=12), clock=clock)
        asked = list(itertools.islice(second.questions(), 4))
        assert asked[0].id == missed.id and asked[0].box == 1
        assert mastered.id not in {q.id for q in asked} and learning.id not in {q.id for q in asked}

        # Months later everything is due: least known first, mastered last.
        clock.now += 120 * DAY
        assert [q.id for q in store.due_questions(clock.now)] == [missed.id, learning.id, mastered.id]
        third = DrillSession(advisor, store, DrillOptions(count=3, seed=13), clock=clock)
        assert [q.id for q in itertools.islice(third.questions(), 3)] == [missed.id, learning.id, mastered.id]


def test_right_answer_moves_a_review_up_and_later(advisor, tmp_path):
    clock = Clock(T0)
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        first = DrillSession(advisor, store, DrillOptions(count=1, seed=3), clock=clock)
        question = next(first.questions())
        answer(first, question, right=False)
        second = DrillSession(advisor, store, DrillOptions(count=1, seed=4), clock=clock)
        again = next(second.questions())
        assert again.id == question.id and again.facts == question.facts
        answer(second, again, right=True)
        stored = store.question(question.id)
        assert stored.box == 2 and stored.due_at == clock.now + DAY
        assert store.due_questions(clock.now + DAY - 1) == []


def test_reviews_respect_the_filters(advisor, tmp_path):
    clock = Clock(T0)
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        first = DrillSession(advisor, store, DrillOptions(count=1, seed=5, decision="sampling"), clock=clock)
        question = next(first.questions())
        answer(first, question, right=False)
        other = DrillSession(advisor, store, DrillOptions(count=2, seed=6, section="deploy"), clock=clock)
        assert question.id not in {q.id for q in itertools.islice(other.questions(), 2)}
        same = DrillSession(advisor, store, DrillOptions(count=2, seed=6, section="optimize"), clock=clock)
        assert next(same.questions()).id == question.id


def test_every_answer_is_committed_at_once(advisor, tmp_path):
    path = tmp_path / "p.sqlite3"
    with ProgressStore(path) as store:
        session = DrillSession(advisor, store, DrillOptions(count=2, seed=9))
        question = next(session.questions())
        answer(session, question, right=True)
        # Another connection sees it before the session ends.
        other = sqlite3.connect(path)
        rows = other.execute("SELECT question_id, choice, correct_choice, correct FROM answers").fetchall()
        other.close()
        assert rows == [(question.id, question.correct, question.correct, 1)]


def test_not_a_database_is_a_user_error(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("this is not sqlite " * 200)
    with pytest.raises(AdvisorError, match="not a usable drill database"):
        ProgressStore(bogus)
    with pytest.raises(AdvisorError, match="folder for the drill database does not exist"):
        ProgressStore(tmp_path / "missing" / "p.sqlite3")
    with pytest.raises(AdvisorError, match="is a directory"):
        ProgressStore(tmp_path)


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from advisor.drill.store import ProgressStore

    path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    with ProgressStore(path) as store:
        session = store.start_session(started_at=0.0, seed=0, planned=count, section=None, decision=None)
        print("ready", flush=True)
        assert sys.stdin.readline().strip() == "go"  # start writing together (a blocking read: no polling)
        for i in range(count):
            store.record_answer(session_id=session, question_id=f"{name}-{i % 7}", decision="sampling",
                                section="optimize", facts={"writer": name}, origin="generated",
                                description=None, choice="grid", correct_choice="grid" if i % 3 else "random",
                                answered_at=float(i), seconds=0.1)
        store.finish_session(session, 1.0)
    print("done", name)
""")


def test_two_writers_at_once_keep_every_row(tmp_path):
    path = tmp_path / "shared.sqlite3"
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    count = 300
    writers = [subprocess.Popen([sys.executable, str(script), str(path), name, str(count)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for name in ("a", "b")]
    try:
        for writer in writers:  # both have the database open before either writes an answer
            assert writer.stdout.readline() == "ready\n", writer.stderr.read()
    finally:
        for writer in writers:  # both start writing
            with contextlib.suppress(BrokenPipeError):
                writer.stdin.write("go\n")
                writer.stdin.flush()
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert out.strip().startswith("done")
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("SELECT count(*) FROM answers").fetchone() == (2 * count,)
    per_writer = dict(db.execute("SELECT substr(question_id, 1, 1), count(*) FROM answers GROUP BY 1"))
    assert per_writer == {"a": count, "b": count}
    assert db.execute("SELECT count(*) FROM questions").fetchone() == (14,)
    assert db.execute("SELECT count(*) FROM sessions WHERE finished_at IS NOT NULL").fetchone() == (2,)
    db.close()


def test_two_drill_sessions_at_once_through_the_console_script(tmp_path):
    from conftest import CONSOLE_SCRIPT

    db = tmp_path / "shared.sqlite3"
    empty_library = tmp_path / "library"
    empty_library.mkdir()
    answers = tmp_path / "answers.txt"
    answers.write_text("1\n" * 15)
    sessions = [subprocess.Popen([CONSOLE_SCRIPT, "drill", "--count", "15", "--seed", seed, "--db", str(db),
                                  "--section", "deploy",  # single-answer questions only: "1" always answers
                                  "--library", str(empty_library), "--answers", str(answers)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for seed in ("101", "202")]
    for process in sessions:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert "Session complete" in out
    db_connection = sqlite3.connect(db)
    assert db_connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db_connection.execute("SELECT session_id, count(*) FROM answers GROUP BY 1").fetchall() == [(1, 15), (2, 15)]
    assert db_connection.execute("SELECT count(*) FROM sessions WHERE finished_at IS NOT NULL").fetchone() == (2,)
    db_connection.close()
