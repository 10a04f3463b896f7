"""Issue 16 class 11: the drill database under stress. Write errors after opening, locks,
future or damaged schema versions and two sessions creating one database are each one clear
error (or just work); a session killed with SIGKILL loses none of its committed answers.
Subprocesses here are real SQLite writers, which need real processes."""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from advisor.drill import store as store_module
from advisor.drill.store import ProgressStore
from advisor.errors import AdvisorError


def _answer(store, session, n=0):
    return store.record_answer(session_id=session, question_id=f"q{n}", decision="sampling", section="optimize",
                               facts={}, origin="generated", description=None, choice="grid",
                               correct_choice="grid", answered_at=float(n), seconds=1.0)


def _session(store):
    return store.start_session(started_at=0.0, seed=1, planned=3, section=None, decision=None)


def test_a_read_only_database_is_a_clear_error_when_writing(tmp_path):
    with ProgressStore(tmp_path / "d.sqlite3") as store:
        session = _session(store)
        store._db.execute("PRAGMA query_only = ON")  # what a read-only file gives SQLite
        with pytest.raises(AdvisorError, match="cannot save the answer: the file .* is read-only"):
            _answer(store, session)


def test_a_full_disk_is_a_clear_error_when_writing(tmp_path):
    with ProgressStore(tmp_path / "d.sqlite3") as store:
        session = _session(store)
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")  # no room for one more page
        with pytest.raises(AdvisorError, match="the disk is full"):
            for n in range(200):
                store.record_answer(session_id=session, question_id=f"q{n}", decision="sampling",
                                    section="optimize", facts={"pad": "x" * 2000}, origin="generated",
                                    description="y" * 2000, choice="grid", correct_choice="grid",
                                    answered_at=float(n), seconds=1.0)


def test_a_lock_held_too_long_is_a_clear_error_at_open_and_when_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_SECONDS", 0.2)
    path = tmp_path / "d.sqlite3"
    with ProgressStore(path) as store:
        session = _session(store)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(AdvisorError, match="held it locked") as error:
                _answer(store, session)
            assert "not a usable" not in str(error.value)
            with pytest.raises(AdvisorError, match="held it locked") as error:
                ProgressStore(path)
            assert "not a usable" not in str(error.value)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        _answer(store, session)  # once the lock is gone, all is well


def _database_with_version(path, version, journal="delete"):
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA journal_mode = {journal}")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (version,))
    db.commit()
    db.close()


def test_a_future_schema_is_refused_before_anything_changes(tmp_path):
    path = tmp_path / "future.sqlite3"
    _database_with_version(path, "99")
    before = path.read_bytes()
    with pytest.raises(AdvisorError, match=r"newer advisor \(schema 99\)"):
        ProgressStore(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # not switched to WAL
    assert [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["meta"]
    db.close()
    assert path.read_bytes() == before


@pytest.mark.parametrize("version", ["abc", "", "1.5", "9" * 5000])
def test_a_schema_version_that_is_not_an_integer_is_a_clear_error(tmp_path, version):
    path = tmp_path / "odd.sqlite3"
    _database_with_version(path, version)
    with pytest.raises(AdvisorError) as error:
        ProgressStore(path)
    assert ("not a drill database this advisor understands" in str(error.value)
            or "newer advisor" in str(error.value))
    assert "\n" not in error.value.render() and len(error.value.render()) < 300


def test_damaged_stored_facts_skip_the_question(tmp_path, advisor):
    from advisor.drill.session import DrillOptions, DrillSession

    path = tmp_path / "d.sqlite3"
    with ProgressStore(path) as store:
        _answer(store, _session(store))
        store._db.execute("UPDATE questions SET facts = 'NaN', due_at = 0")
        [stored] = store.due_questions(10.0)
        session = DrillSession(advisor, store, DrillOptions(count=1, seed=1, library=tmp_path))
        assert session._rebuild(stored) is None


# The store alone: advisor/drill/__init__.py imports the question generator (pydantic and the
# outline, ~0.25 CPU s a process) that these processes never use; the store module is the real one.
STORE_ONLY = textwrap.dedent("""
    import sys, types
    from pathlib import Path
    import advisor
    package = types.ModuleType("advisor.drill")
    package.__path__ = [str(Path(advisor.__file__).parent / "drill")]
    sys.modules["advisor.drill"] = package
""")

# Each opener blocks on its stdin at the start line (no polling: six processes spinning while the
# others start cost ~4 CPU seconds) and all go when the test writes the word to each of them.
OPENER = STORE_ONLY + textwrap.dedent("""
    import sys
    from pathlib import Path
    from advisor.drill.store import ProgressStore
    path = Path(sys.argv[1])
    print("ready", flush=True)
    assert sys.stdin.readline() == "go\\n"
    with ProgressStore(path) as store:
        session = store.start_session(started_at=0.0, seed=0, planned=1, section=None, decision=None)
    print("ok", session)
""")


def test_sessions_creating_one_new_database_at_once_all_succeed(tmp_path):
    path = tmp_path / "new.sqlite3"
    script = tmp_path / "opener.py"
    script.write_text(OPENER)
    openers = [subprocess.Popen([sys.executable, str(script), str(path)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    try:
        for opener in openers:  # every process waiting at the start line, however long it took to get there
            assert opener.stdout.readline() == "ready\n", opener.stderr.read()
    finally:
        for opener in openers:
            with contextlib.suppress(BrokenPipeError):  # one that failed to start is reported above
                opener.stdin.write("go\n")
                opener.stdin.flush()
    for opener in openers:
        out, err = opener.communicate(timeout=120)
        assert opener.returncode == 0 and out.startswith("ok"), err
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("SELECT count(*) FROM sessions").fetchone() == (6,)
    db.close()


WRITER = STORE_ONLY + textwrap.dedent("""
    import sys
    from pathlib import Path
    from advisor.drill.store import ProgressStore
    path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    with ProgressStore(path) as store:
        session = store.start_session(started_at=0.0, seed=0, planned=count, section=None, decision=None)
        for i in range(count):
            store.record_answer(session_id=session, question_id=f"{name}-{i}", decision="sampling",
                                section="optimize", facts={"i": i}, origin="generated", description=None,
                                choice="grid", correct_choice="grid", answered_at=float(i), seconds=0.1)
            print("committed", i + 1, flush=True)
        store.finish_session(session, 1.0)
    print("done", flush=True)
""")


VICTIM = STORE_ONLY + textwrap.dedent("""
    import sys
    from pathlib import Path
    from advisor.drill.store import ProgressStore
    path, count = Path(sys.argv[1]), int(sys.argv[2])
    store = ProgressStore(path)
    session = store.start_session(started_at=0.0, seed=0, planned=count + 1, section=None, decision=None)
    for i in range(count):
        store.record_answer(session_id=session, question_id=f"a-{i}", decision="sampling",
                            section="optimize", facts={"i": i}, origin="generated", description=None,
                            choice="grid", correct_choice="grid", answered_at=float(i), seconds=0.1)
    # One more answer, written but not committed: the write lock is held when the kill comes.
    store._db.execute("BEGIN IMMEDIATE")
    store._db.execute("INSERT INTO questions VALUES ('a-uncommitted', 'sampling', 'optimize', '{}', 'generated',"
                      " NULL, 2, 0, 0)")
    store._db.execute("INSERT INTO answers (session_id, answered_at, question_id, decision, section, choice,"
                      " correct_choice, correct, seconds) VALUES (?, 0, 'a-uncommitted', 'sampling', 'optimize',"
                      " 'grid', 'grid', 1, 0.1)", (session,))
    print("holding", flush=True)
    sys.stdin.readline()  # until killed
""")


def test_a_session_killed_with_sigkill_loses_no_committed_answer(tmp_path):
    """Deterministic: the victim is killed at a known point (40 answers committed, a 41st written
    inside an open write transaction), with no timing assumption about where a kill lands."""
    path = tmp_path / "shared.sqlite3"
    (tmp_path / "victim.py").write_text(VICTIM)
    (tmp_path / "writer.py").write_text(WRITER)
    victim = subprocess.Popen([sys.executable, str(tmp_path / "victim.py"), str(path), "40"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert victim.stdout.readline() == "holding\n", victim.stderr.read()
    # A second writer, waiting on the lock the victim holds (or starting after it is gone:
    # the outcome is the same either way).
    survivor = subprocess.Popen([sys.executable, str(tmp_path / "writer.py"), str(path), "b", "150"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=120)
    assert victim.returncode == -signal.SIGKILL
    out, err = survivor.communicate(timeout=120)
    assert survivor.returncode == 0 and out.rstrip().endswith("done"), err
    with ProgressStore(path) as store:  # a later session opens it as usual
        answers = store.answers()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    ids = [row.question_id for row in answers]
    assert sorted(i for i in ids if i.startswith("a-")) == sorted(f"a-{i}" for i in range(40))  # none lost, none half
    assert len([i for i in ids if i.startswith("b-")]) == 150
