"""Drill progress in SQLite: every answer, and each question's Leitner box.

Safe for two sessions at once: WAL journal, a busy timeout, and one short write
transaction per answer (committed before the next question is shown).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.drill.schedule import due_time, next_box
from advisor.errors import AdvisorError
from advisor.paths import data_dir

DB_NAME = "drill.sqlite3"
BUSY_TIMEOUT_SECONDS = 30.0
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS questions (
    id TEXT PRIMARY KEY,
    decision TEXT NOT NULL,
    section TEXT NOT NULL,
    facts TEXT NOT NULL,
    origin TEXT NOT NULL,
    description TEXT,
    box INTEGER NOT NULL,
    due_at REAL NOT NULL,
    last_answered_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at REAL NOT NULL,
    finished_at REAL,
    seed INTEGER NOT NULL,
    planned INTEGER NOT NULL,
    section TEXT,
    decision TEXT
);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    answered_at REAL NOT NULL,
    question_id TEXT NOT NULL REFERENCES questions(id),
    decision TEXT NOT NULL,
    section TEXT NOT NULL,
    choice TEXT NOT NULL,
    correct_choice TEXT NOT NULL,
    correct INTEGER NOT NULL,
    seconds REAL
);
CREATE INDEX IF NOT EXISTS answers_by_time ON answers (answered_at);
CREATE INDEX IF NOT EXISTS questions_by_due ON questions (due_at);
"""


def default_db_path() -> Path:
    """`drill.sqlite3` in advisor's data directory (`$ADVISOR_DATA_DIR`, see advisor/paths.py)."""
    return data_dir() / DB_NAME


@dataclass(frozen=True)
class StoredQuestion:
    id: str
    decision: str
    section: str
    facts: dict[str, Any]  # as JSON (lists, not tuples): re-check against the vocabulary before use
    origin: str
    description: str | None
    box: int
    due_at: float


@dataclass(frozen=True)
class AnswerRow:
    answered_at: float
    question_id: str
    decision: str
    section: str
    choice: str
    correct_choice: str
    correct: bool
    session_id: int


class ProgressStore:
    def __init__(self, path: Path, *, create_folder: bool = False) -> None:
        self.path = Path(path)
        if create_folder:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.is_dir():
            raise AdvisorError("is a directory; expected a drill database file", where=str(self.path))
        if not self.path.parent.is_dir():
            raise AdvisorError("the folder for the drill database does not exist", where=str(self.path))
        try:
            # isolation_level=None: no implicit transactions; writes use BEGIN IMMEDIATE.
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._create_schema()
        except sqlite3.DatabaseError as exc:
            raise AdvisorError(f"not a usable drill database ({exc})", where=str(self.path)) from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is stored, or none of it (also on Ctrl-C)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _create_schema(self) -> None:
        with self._write() as db:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise AdvisorError(f"made by a newer advisor (schema {row[0]}); upgrade advisor to use it",
                                   where=str(self.path))

    # --- sessions and answers -------------------------------------------------------

    def start_session(self, *, started_at: float, seed: int, planned: int,
                      section: str | None, decision: str | None) -> int:
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO sessions (started_at, seed, planned, section, decision) VALUES (?, ?, ?, ?, ?)",
                (started_at, seed, planned, section, decision))
            return int(cursor.lastrowid)

    def finish_session(self, session_id: int, finished_at: float) -> None:
        with self._write() as db:
            db.execute("UPDATE sessions SET finished_at = ? WHERE id = ?", (finished_at, session_id))

    def record_answer(self, *, session_id: int, question_id: str, decision: str, section: str,
                      facts: dict[str, Any], origin: str, description: str | None, choice: str,
                      correct_choice: str, answered_at: float, seconds: float | None) -> int:
        """Store one answer and move the question to its next box; returns the new box."""
        correct = choice == correct_choice
        with self._write() as db:
            row = db.execute("SELECT box FROM questions WHERE id = ?", (question_id,)).fetchone()
            box = next_box(row[0] if row else 0, correct)
            db.execute(
                "INSERT INTO questions (id, decision, section, facts, origin, description, box, due_at,"
                " last_answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET box = excluded.box, due_at = excluded.due_at,"
                " last_answered_at = excluded.last_answered_at",
                (question_id, decision, section, json.dumps(facts, sort_keys=True), origin, description,
                 box, due_time(box, answered_at), answered_at))
            db.execute(
                "INSERT INTO answers (session_id, answered_at, question_id, decision, section, choice,"
                " correct_choice, correct, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, answered_at, question_id, decision, section, choice, correct_choice,
                 int(correct), seconds))
        return box

    # --- reading ----------------------------------------------------------------------

    def question(self, question_id: str) -> StoredQuestion | None:
        row = self._db.execute(f"SELECT {_QUESTION_COLUMNS} FROM questions WHERE id = ?",
                               (question_id,)).fetchone()
        return _stored(row) if row else None

    def due_questions(self, now: float) -> list[StoredQuestion]:
        """Questions due again, lowest box (least known) first, then longest overdue."""
        rows = self._db.execute(
            f"SELECT {_QUESTION_COLUMNS} FROM questions WHERE due_at <= ? ORDER BY box, due_at, id",
            (now,)).fetchall()
        return [_stored(r) for r in rows]

    def waiting_questions(self, now: float) -> list[StoredQuestion]:
        """Questions not due yet, soonest due first (the fallback when nothing new is left)."""
        rows = self._db.execute(
            f"SELECT {_QUESTION_COLUMNS} FROM questions WHERE due_at > ? ORDER BY due_at, box, id",
            (now,)).fetchall()
        return [_stored(r) for r in rows]

    def known_ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT id FROM questions")}

    def answers(self, session_id: int | None = None) -> list[AnswerRow]:
        query = ("SELECT answered_at, question_id, decision, section, choice, correct_choice, correct,"
                 " session_id FROM answers")
        params: tuple[Any, ...] = ()
        if session_id is not None:
            query += " WHERE session_id = ?"
            params = (session_id,)
        rows = self._db.execute(query + " ORDER BY answered_at, id", params).fetchall()
        return [AnswerRow(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7]) for r in rows]


_QUESTION_COLUMNS = "id, decision, section, facts, origin, description, box, due_at"


def _stored(row: tuple[Any, ...]) -> StoredQuestion:
    return StoredQuestion(row[0], row[1], row[2], json.loads(row[3]), row[4], row[5], row[6], row[7])
