"""Drill progress in SQLite: every answer, and each question's Leitner box.

Safe for two sessions at once: WAL journal, a busy timeout, and one short write
transaction per answer (committed before the next question is shown).
"""

from __future__ import annotations

import json
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.drill.schedule import due_time, next_box
from advisor.errors import AdvisorError, os_error_text
from advisor.files import make_folders
from advisor.paths import DATA_DIR_ENV, data_dir
from advisor.visible import visible

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
CREATE TABLE IF NOT EXISTS exams (
    session_id INTEGER PRIMARY KEY REFERENCES sessions(id),
    exam TEXT NOT NULL,
    finished_at REAL NOT NULL,
    questions INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    correct INTEGER NOT NULL,
    score INTEGER NOT NULL,
    passed INTEGER NOT NULL,
    seconds REAL NOT NULL,
    timed_out INTEGER NOT NULL,
    domains TEXT NOT NULL
);
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
            try:
                make_folders(self.path.parent)
            except OSError as exc:
                raise AdvisorError(f"cannot create the folder for the drill database: {os_error_text(exc)}",
                                   where=str(self.path.parent),
                                   allowed=f"a writable folder; set {DATA_DIR_ENV} or use --db FILE") from None
        if self.path.is_dir():
            raise AdvisorError("is a directory; expected a drill database file", where=str(self.path))
        if not self.path.parent.is_dir():
            raise AdvisorError("the folder for the drill database does not exist", where=str(self.path))
        if self.path.exists() and not stat.S_ISREG(self.path.stat().st_mode):
            raise AdvisorError("is not a regular file; expected a drill database file", where=str(self.path))
        try:
            # isolation_level=None: no implicit transactions; writes use BEGIN IMMEDIATE.
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except sqlite3.Error as exc:
            raise self._error(exc, "open the drill database") from None
        try:
            with self._guard("open the drill database"):
                self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
                self._check_version(self._stored_version())  # before anything changes the file
                self._use_wal()
                self._db.execute("PRAGMA foreign_keys = ON")
                self._create_schema()
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- errors --------------------------------------------------------------------------

    def _error(self, exc: sqlite3.Error, doing: str) -> AdvisorError:
        """A SQLite error as one line saying what failed and why, in the user's terms."""
        text = str(exc)
        lowered = text.lower()
        where = str(self.path)
        if "locked" in lowered or "busy" in lowered:
            return AdvisorError(f"cannot {doing}: another advisor has held it locked for over "
                                f"{BUSY_TIMEOUT_SECONDS:g} s; try again when that session ends", where=where)
        if "readonly" in lowered or "read-only" in lowered:
            return AdvisorError(f"cannot {doing}: the file (or its folder) is read-only", where=where,
                                allowed="a drill database file you can write; use --db FILE")
        if "full" in lowered:
            return AdvisorError(f"cannot {doing}: the disk is full", where=where)
        if "unable to open" in lowered:
            return AdvisorError(f"cannot {doing}: it can't be opened or created here", where=where,
                                allowed="a writable folder; use --db FILE")
        if isinstance(exc, sqlite3.DatabaseError) and ("not a database" in lowered or "malformed" in lowered):
            return AdvisorError(f"not a usable drill database ({text})", where=where)
        return AdvisorError(f"cannot {doing}: {text}", where=where)

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise self._error(exc, doing) from None

    # --- opening -------------------------------------------------------------------------

    def _stored_version(self) -> str | None:
        """The schema version the file says it has (None for a new, empty database)."""
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
        return None if row is None else row[0]

    def _check_version(self, version: object) -> None:
        if version is None:
            return
        try:
            number = int(str(version))
        except ValueError:
            raise AdvisorError(f"not a drill database this advisor understands (schema version {str(version)[:40]!r})",
                               where=str(self.path)) from None
        if number > SCHEMA_VERSION:
            raise AdvisorError(f"made by a newer advisor (schema {number}); upgrade advisor to use it",
                               where=str(self.path))

    def _use_wal(self) -> None:
        """WAL lets sessions read while another writes. Switching needs a moment alone with the
        file and does not wait on the busy timeout, so it is done only when needed, retried."""
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        delay = 0.005
        while True:
            try:
                mode = self._db.execute("PRAGMA journal_mode").fetchone()[0]
                if str(mode).lower() == "wal":
                    return
                self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.2)

    @contextmanager
    def _write(self, doing: str = "save to the drill database") -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is stored, or none of it (also on Ctrl-C)."""
        with self._guard(doing):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                if self._db.in_transaction:
                    try:
                        self._db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the original error says more
                raise
            self._db.execute("COMMIT")

    def _read(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._guard("read the drill database"):
            return self._db.execute(query, params).fetchall()

    def _create_schema(self) -> None:
        with self._write("set up the drill database") as db:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            version = self._stored_version()
            if version is None:
                db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            self._check_version(version)  # again: another session may have written it meanwhile

    # --- sessions and answers -------------------------------------------------------

    def start_session(self, *, started_at: float, seed: int, planned: int,
                      section: str | None, decision: str | None) -> int:
        with self._write("start a session in the drill database") as db:
            cursor = db.execute(
                "INSERT INTO sessions (started_at, seed, planned, section, decision) VALUES (?, ?, ?, ?, ?)",
                (started_at, seed, planned, section, decision))
            return int(cursor.lastrowid)

    def finish_session(self, session_id: int, finished_at: float) -> None:
        with self._write("record the end of the session") as db:
            db.execute("UPDATE sessions SET finished_at = ? WHERE id = ?", (finished_at, session_id))

    def record_answer(self, *, session_id: int, question_id: str, decision: str, section: str,
                      facts: dict[str, Any], origin: str, description: str | None, choice: str,
                      correct_choice: str, answered_at: float, seconds: float | None) -> int:
        """Store one answer and move the question to its next box; returns the new box."""
        correct = choice == correct_choice
        with self._write("save the answer") as db:
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

    def record_exam(self, *, session_id: int, exam: str, finished_at: float, questions: int, answered: int,
                    correct: int, score: int, passed: bool, seconds: float, timed_out: bool,
                    domains: dict[str, Any]) -> None:
        """A mock exam's result (its answers are stored one by one like a drill's)."""
        with self._write("save the exam result") as db:
            db.execute("INSERT OR REPLACE INTO exams VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (session_id, exam, finished_at, questions, answered, correct, score, int(passed),
                        seconds, int(timed_out), json.dumps(domains, sort_keys=True)))

    def exams(self) -> list[dict[str, Any]]:
        rows = self._read("SELECT session_id, exam, finished_at, questions, answered, correct, score, passed,"
                          " seconds, timed_out FROM exams ORDER BY finished_at, session_id")
        keys = ("session_id", "exam", "finished_at", "questions", "answered", "correct", "score", "passed",
                "seconds", "timed_out")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    # --- reading ----------------------------------------------------------------------

    def question(self, question_id: str) -> StoredQuestion | None:
        rows = self._read(f"SELECT {_QUESTION_COLUMNS} FROM questions WHERE id = ?", (question_id,))
        return _stored(rows[0]) if rows else None

    def due_questions(self, now: float) -> list[StoredQuestion]:
        """Questions due again, lowest box (least known) first, then longest overdue."""
        rows = self._read(
            f"SELECT {_QUESTION_COLUMNS} FROM questions WHERE due_at <= ? ORDER BY box, due_at, id", (now,))
        return [_stored(r) for r in rows]

    def waiting_questions(self, now: float) -> list[StoredQuestion]:
        """Questions not due yet, soonest due first (the fallback when nothing new is left)."""
        rows = self._read(
            f"SELECT {_QUESTION_COLUMNS} FROM questions WHERE due_at > ? ORDER BY due_at, box, id", (now,))
        return [_stored(r) for r in rows]

    def known_ids(self) -> set[str]:
        return {r[0] for r in self._read("SELECT id FROM questions")}

    def answers(self, session_id: int | None = None) -> list[AnswerRow]:
        query = ("SELECT answered_at, question_id, decision, section, choice, correct_choice, correct,"
                 " session_id FROM answers")
        params: tuple[Any, ...] = ()
        if session_id is not None:
            query += " WHERE session_id = ?"
            params = (session_id,)
        rows = self._read(query + " ORDER BY answered_at, id", params)
        return [answer for answer in map(_answer, rows) if answer is not None]


_QUESTION_COLUMNS = "id, decision, section, facts, origin, description, box, due_at"
# Answers dated before 1970 or after 9999 are damaged rows, not history (SQLite keeps any type
# in any column: 'x', 1e300 and a blob are all storable).
_EARLIEST, _LATEST = 0.0, 253402300799.0


def _answer(row: tuple[Any, ...]) -> AnswerRow | None:
    """A stored answer as statistics may use it, or None for a damaged row: a time that is not
    a date, a field that is not text. Text is shown escaped (a row can hold ESC or U+202E)."""
    answered_at, texts, correct, session_id = row[0], row[1:6], row[6], row[7]
    if isinstance(answered_at, bool) or not isinstance(answered_at, int | float):
        return None
    if not _EARLIEST <= answered_at <= _LATEST or not all(isinstance(t, str) for t in texts):
        return None
    if correct not in (0, 1) or not isinstance(session_id, int):
        return None
    question_id, decision, section, choice, correct_choice = (visible(t, one_line=True)[:200] for t in texts)
    return AnswerRow(float(answered_at), question_id, decision, section, choice, correct_choice, bool(correct),
                     session_id)


def _stored(row: tuple[Any, ...]) -> StoredQuestion:
    try:
        facts = json.loads(row[3], parse_constant=_no_constant)
    except (TypeError, ValueError, RecursionError):
        facts = None
    if not isinstance(facts, dict):
        facts = {"": None}  # damaged: an unknown fact, so the question is skipped, not asked wrongly
    return StoredQuestion(row[0], row[1], row[2], facts, row[4], row[5], row[6], row[7])


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def read_answers(path: Path) -> list[AnswerRow]:
    """Every stored answer, for statistics; a database that does not exist yet is not created."""
    if not Path(path).exists():
        return []
    with ProgressStore(path) as store:
        return store.answers()
