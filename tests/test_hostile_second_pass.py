"""Issue 27's second fuzzing pass (the fuzzers live outside the repository): one test per
failure class it found, each built from the fuzzer's reduced reproduction."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from conftest import ONE_AREA, SCENARIOS, RuleBase

GOOD = SCENARIOS / "image-classifier.yaml"


def _deep(root: Path, parts: int = 1200) -> Path:
    """A folder path of `parts` missing components: more than Python's recursion limit."""
    return root.joinpath(*(["d"] * parts))


def _remove_tree(root: Path) -> None:
    """rmtree without recursion (shutil's, which pytest's tmp_path cleanup uses, recurses), each
    step relative to its folder's descriptor: by path, every unlink and rmdir walked the whole
    depth again (1,200 folders: ~2.5 s of waiting on the file system, now ~0.3)."""
    stack = [(os.open(root, os.O_RDONLY | os.O_DIRECTORY), "", -1)]  # a folder, its name, its parent's
    while stack:
        folder, name, parent = stack[-1]
        inner = None
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    inner = entry.name
                    break
                os.unlink(entry.name, dir_fd=folder)
        if inner is not None:  # empty that one first
            stack.append((os.open(inner, os.O_RDONLY | os.O_DIRECTORY, dir_fd=folder), inner, folder))
            continue
        stack.pop()
        os.close(folder)
        if parent >= 0:
            os.rmdir(name, dir_fd=parent)
    os.rmdir(root)


IN_MEMORY = Path("/dev/shm")


@pytest.fixture
def deep_root(tmp_path):
    """Where a test makes its deep folders: in memory where the system has such a folder (1,200
    nested folders made and removed on a disk wait on its journal, 3-14 s of a worker's time on
    the loaded 2-core machine; in memory ~0.1 s), else in tmp_path. The depth is what is tested."""
    in_memory = IN_MEMORY.is_dir() and os.access(IN_MEMORY, os.W_OK | os.X_OK)
    base = Path(tempfile.mkdtemp(prefix="advisor-deep-", dir=IN_MEMORY)) if in_memory else tmp_path
    root = base / "deep"
    root.mkdir()
    try:
        yield root
    finally:
        _remove_tree(root)
        if in_memory:
            base.rmdir()


# --- a folder path deeper than the recursion limit (ADVISOR_CACHE_DIR=/tmp/d/d/d/...) -------

def test_a_cache_folder_deeper_than_the_recursion_limit_is_created(deep_root, tmp_path, monkeypatch):
    from advisor.knowledge.cache import load_cached

    folder = _deep(deep_root) / "cache"
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(folder))
    monkeypatch.delenv("ADVISOR_NO_CACHE", raising=False)
    rules = RuleBase(tmp_path / "rules", also=ONE_AREA).path  # any rule base: a small one builds fast
    knowledge = load_cached(rules)  # was RecursionError in pathlib's mkdir
    assert knowledge.rules
    assert list(folder.glob("knowledge-*.json"))


def test_emit_into_a_folder_deeper_than_the_recursion_limit(cli, deep_root):
    out = _deep(deep_root)
    result = cli("emit", GOOD, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir())


def test_a_drill_data_folder_deeper_than_the_recursion_limit(cli, deep_root):
    result = cli("drill", "-n", "1", "--seed", "1", "--answers", "-", input="1\n",
                 env={"ADVISOR_DATA_DIR": str(_deep(deep_root, 1100))})
    assert "Traceback" not in result.stderr, result.stderr[-500:]
    assert result.returncode in (0, 2), result.stderr[-500:]
    assert (_deep(deep_root, 1100) / "drill.sqlite3").exists() or len(result.stderr.strip().splitlines()) == 1


# --- Ctrl-C while the CLI's modules load (a slow start on a loaded machine) -----------------

def test_ctrl_c_while_the_cli_loads_is_one_line_and_exit_130():
    """The fuzzer's PTY pressed Ctrl-C 5 s into a start-up on a loaded machine: a KeyboardInterrupt
    traceback from `import re`. Here the interrupt comes from the import of advisor.cli.app."""
    import subprocess
    import sys

    program = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'advisor.cli.app':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "sys.argv = ['advisor', 'rules', 'list']\n"
        "from advisor.__main__ import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == "advisor: interrupted"
    assert done.returncode == 130


# --- drill/exam --answers FIFO with no writer: open() blocked forever ----------------------

@pytest.mark.parametrize("command", [("drill", "-n", "1"), ("exam", "--questions", "1")])
def test_answers_from_a_fifo_no_program_writes_is_refused_at_once(cli, tmp_path, command):
    fifo = tmp_path / "answers"
    os.mkfifo(fifo)
    result = cli(*command, "--seed", "1", "--answers", fifo, "--db", tmp_path / "p.db")
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"advisor: error: {fifo}: is a FIFO that no program is writing")


def test_answers_already_written_to_a_fifo_are_read(cli, tmp_path):
    """A writer that came and went leaves its lines in the pipe: they are the answers."""
    fifo = tmp_path / "answers"
    os.mkfifo(fifo)
    holder = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # keeps the pipe (and its data) alive
    try:
        writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.write(writer, b"1\n")
        os.close(writer)
        result = cli("drill", "-n", "1", "--seed", "1", "--answers", fifo, "--db", tmp_path / "p.db")
    finally:
        os.close(holder)
    assert result.returncode == 0, result.stderr
    assert "Score: 0/1" in result.stdout or "Score: 1/1" in result.stdout, result.stdout[-500:]  # answered


# --- shell completion with a COMP_CWORD no shell sends ----------------------------------------

@pytest.mark.parametrize(("words", "cword"), [
    ("advisor --why-not --area - ", "-1"),                                  # IndexError
    ("advisor consult --section exam json", "999999999999999999999999999999"),  # OverflowError
    ("", "-1"),
    ("", ""),
])
def test_completion_with_an_out_of_range_word_number_completes_the_last_word(cli, words, cword):
    result = cli(env={"_ADVISOR_COMPLETE": "complete_fish", "COMP_WORDS": words, "COMP_CWORD": cword})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_completion_of_an_out_of_range_word_is_that_of_the_last_word(cli):
    last = cli(env={"_ADVISOR_COMPLETE": "complete_bash", "COMP_WORDS": "advisor rul", "COMP_CWORD": "1"})
    assert last.stdout.split() == ["rules"]
    beyond = cli(env={"_ADVISOR_COMPLETE": "complete_bash", "COMP_WORDS": "advisor rul", "COMP_CWORD": "-7"})
    assert beyond.stdout == last.stdout


# --- the Python API with a value YAML can't write ---------------------------------------------

@pytest.mark.parametrize("value", [object(), 1 + 2j, {"nested": object()}, [1, object()]])
def test_api_consult_with_a_value_that_is_not_data_is_one_advisor_error(value):
    import advisor
    from advisor.errors import AdvisorError

    with pytest.raises(AdvisorError, match="is not a fact value") as raised:  # was yaml's RepresenterError
        advisor.consult({"ml_task": value})
    assert raised.value.where.startswith("<facts>.ml_task")
    with pytest.raises(AdvisorError, match="is not a fact value"):
        advisor.consult(ml_task=value)


# --- SARIF for a symlink loop named on the command line ----------------------------------------

@pytest.mark.parametrize("skip_unknown", [["--skip-unknown"], []])
def test_sarif_of_a_symlink_loop_named_on_the_command_line(cli, tmp_path, skip_unknown):
    """Path.resolve() raised RuntimeError('Symlink loop') in the SARIF artifact URI (Python 3.11)."""
    import json

    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    result = cli("review", loop, "--no-config", *skip_unknown, "-f", "sarif", cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr[-800:]
    assert result.returncode == 2
    [invocation] = json.loads(result.stdout)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert "symbolic links" in note["message"]["text"]


# --- rules lint --guide-text of a huge file -----------------------------------------------------

def test_a_huge_guide_text_is_refused_not_read_whole(cli, tmp_path):
    """A 10 GB file was read whole: a MemoryError traceback under a 2 GB limit. 64 MB here, so the
    unbounded read this test guards against costs little if it comes back."""
    guide = tmp_path / "guide.md"
    with open(guide, "wb") as handle:
        handle.truncate(64 * 1024**2)  # sparse: no disk used
    result = cli("rules", "lint", "--guide-text", guide)
    assert result.returncode == 2, result.stderr[-500:]
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"advisor: error: {guide}: file is 67108864 bytes, over the")
