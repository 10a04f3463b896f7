"""Shared fixtures: the real knowledge base, the real engine, the real CLI, and temporary rule bases.

`cli` runs `advisor` in this process (advisor.cli.app.main with real argv, stdin, stdout,
stderr and exit code; ~30 ms a call). `cli_process` runs the installed console script in a
new process (~0.5 s a call): use it only where a real process matters (the entry point itself,
hash-seed determinism, forked workers, signals, terminals, several SQLite writers).
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import traceback
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Bytecode kept between runs where Python keeps it, in __pycache__ beside each module (git-ignored),
# also where PYTHONDONTWRITEBYTECODE is set (as on the team's shared machine): without it every
# run, every xdist worker and every process the tests start (console script, writers,
# terminals) would compile what it imports afresh, the advisor, its libraries and the test
# modules' rewritten asserts (~5 of a worker's ~7.5 CPU seconds of collection). Not a
# sys.pycache_prefix: Python then reads bytecode only there, so the standard library's and
# `uv sync --compile-bytecode`'s compiled files went unused and the first run after a clone
# compiled ~2,700 library modules again in each worker (a fresh clone's collection, one
# process: 9.7 CPU s with the prefix, 6.4 without, 1.8-2.0 once compiled). Importlib and pytest
# write bytecode atomically, so two suites at once are safe.
if sys.dont_write_bytecode:
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
# A suite started in the background by a non-interactive shell (`uv run pytest &`, a script's
# job) inherits SIGINT ignored, and every process a test starts would too: a consultation or
# drill interrupted with SIGINT in a terminal (test_interactive_pty.py, test_drill_cli.py) then
# ignores it, as it should for a user who ignores it, and the test waits out its timeout. The
# suite's processes take Python's own handler back (workers run this too).
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
# The suite's own cache and data folders, never the user's: suites of other checkouts (other
# rules) running at the same time would otherwise replace each other's knowledge-base and
# planner caches (a ~2 CPU-second rebuild per worker, again and again) and share one drill
# database and one draft. The cache is kept per checkout (its files are named by the rules'
# fingerprint and written atomically, so two suites of one checkout agree); the data folder
# is new for every run. Tests that need other folders still set their own; processes the
# tests start inherit these.
os.environ.setdefault("ADVISOR_CACHE_DIR", str(ROOT / ".pytest_cache" / "advisor-cache"))
# Temporary files (tmp_path, the data folder below, what the tests' processes write) in memory
# where the system has a memory file system for them (Linux's /dev/shm), unless TMPDIR says
# otherwise: the suite creates, renames and deletes tens of thousands of small files (a draft is
# saved after every answer), and on a journaled disk each costs ~4x the CPU (an atomic draft-sized
# write: 150 us on ext4, 34 us on tmpfs, measured) and waits when the disk is busy. A run leaves
# ~40 MB (the 1 GB and 64 MB test files are sparse). Set before xdist starts its workers and
# before pytest picks its temporary folder, so both follow. Only with room to spare (a container's
# /dev/shm is often 64 MB, too small for two suites at once): otherwise the system's default.
_MEMORY_TMP = Path("/dev/shm")
_MEMORY_TMP_ROOM = 1 << 30  # bytes free


def _memory_tmp_has_room() -> bool:
    try:
        found = os.statvfs(_MEMORY_TMP)
    except OSError:
        return False
    return found.f_bavail * found.f_frsize >= _MEMORY_TMP_ROOM


if "TMPDIR" not in os.environ and _MEMORY_TMP.is_dir() and os.access(_MEMORY_TMP, os.W_OK | os.X_OK) \
        and _memory_tmp_has_room():
    import tempfile

    os.environ["TMPDIR"] = str(_MEMORY_TMP)
    tempfile.tempdir = None  # worked out again from TMPDIR on next use
if "ADVISOR_DATA_DIR" not in os.environ:  # set once, before xdist starts its workers (they inherit it)
    import atexit
    import tempfile

    os.environ["ADVISOR_DATA_DIR"] = tempfile.mkdtemp(prefix="advisor-suite-data-")
    atexit.register(shutil.rmtree, os.environ["ADVISOR_DATA_DIR"], ignore_errors=True)


def _parse_each_knowledge_text_once() -> None:
    """Over a hundred tests build a knowledge base from YAML (a copy of the shipped rules with one
    file added or changed, lint, the cache rebuilt): parsing its 30 files is two-thirds of a build
    (~0.15 of ~0.25 CPU s), and the same texts come back in every one. The knowledge loader and
    lint's scan (the two readers of rule files) get each text's parse once per process, then a
    fresh copy of it (~15x cheaper than parsing, so no test sees another's changes). parse_yaml is
    a pure function of the text and its name, and still runs, for real, on every text a process
    meets; a text it refuses is not kept, so its error is raised afresh every time."""
    import advisor.knowledge.base
    import advisor.lint.scan
    from advisor.yamlio import YamlDocument, parse_yaml

    parsed: dict[tuple[str, str], YamlDocument] = {}

    def fresh(value):
        if type(value) is dict:
            return {key: fresh(item) for key, item in value.items()}
        if type(value) is list:
            return [fresh(item) for item in value]
        return value  # str, int, float, bool, None, dates: immutable

    def parse_once(text: str, where: str, duplicates: list[str] | None = None) -> YamlDocument:
        if duplicates is not None:  # it reports into the caller's list: no sharing
            return parse_yaml(text, where, duplicates)
        document = parsed.get((text, where))
        if document is None:
            if len(parsed) >= 400:  # tests that write many variants: memory stays bounded
                parsed.clear()
            document = parsed[text, where] = parse_yaml(text, where)
        return YamlDocument(fresh(document.data), dict(document.lines))

    advisor.knowledge.base.parse_yaml = parse_once  # type: ignore[assignment]
    advisor.lint.scan.parse_yaml = parse_once  # type: ignore[assignment]

SCENARIOS = ROOT / "scenarios"
SHIPPED_RULES = ROOT / "rules"
CONSOLE_SCRIPT = shutil.which("advisor", path=str(Path(sys.executable).parent)) or "advisor"
CLI_ENV = {"NO_COLOR": "1", "COLUMNS": "120"}

# --- covering samples of the end-to-end scenarios ------------------------------------------

END_TO_END = sorted((SCENARIOS / "end-to-end").glob("*.yaml"))


def recommending_every_decision(first: tuple[str, ...] = ()) -> list[Path]:
    """The end-to-end scenarios named in `first`, then (greedily) those that recommend the most
    decisions not yet recommended, until every decision any end-to-end scenario recommends is
    in one (11 of 28 today, with or without two named first): the sample that checks made per
    scenario run while developing, so a check that fails for some decision's rows, derivations or
    components still fails here (CI, DEEP, runs every scenario). Consulting the 28 costs ~35 ms."""
    decided = _decided_by_end_to_end()
    chosen = [path for path in END_TO_END if path.stem in first]
    left = set().union(*decided.values()).difference(*(decided[path] for path in chosen))
    while left:
        best = max(END_TO_END, key=lambda path: len(decided[path] & left))
        chosen.append(best)
        left -= decided[best]
    # A greedy pick can be made redundant by later ones (with `first` given: 2 of 13 today): each
    # is dropped, latest first, when the others still recommend every decision (~0.3 CPU s a replay).
    every = set().union(*decided.values())
    for path in reversed(chosen[:]):
        rest = [other for other in chosen if other != path]
        if path.stem not in first and set().union(*(decided[other] for other in rest)) == every:
            chosen = rest
    return sorted(chosen)


_DECIDED: dict[Path, set[str]] = {}


def _decided_by_end_to_end() -> dict[Path, set[str]]:
    """Each end-to-end scenario's recommended decisions, consulted once per process (three test
    modules draw their samples from them when collected)."""
    if not _DECIDED:
        from advisor.engine import get_advisor
        from advisor.scenarios import load_scenario

        advisor = get_advisor()
        _DECIDED.update({path: {r.decision for r in advisor.consult(load_scenario(path, advisor.knowledge).facts)
                                .recommendations} for path in END_TO_END})
    return _DECIDED



@pytest.fixture(scope="session")
def knowledge():
    from advisor.knowledge import load_knowledge

    return load_knowledge()


@pytest.fixture(scope="session")
def advisor():
    from advisor.engine import get_advisor

    return get_advisor()


# --- the CLI -----------------------------------------------------------------------------

def run_process(*args: str, input: str | None = None, cwd: Path | None = None,
                env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the installed `advisor` console script in a new process, as a user would."""
    full_env = {**os.environ, **CLI_ENV, **(env or {})}
    return subprocess.run([CONSOLE_SCRIPT, *args], input=input, capture_output=True, text=True,
                          cwd=cwd or ROOT, env=full_env, timeout=timeout,
                          stdin=None if input is not None else subprocess.DEVNULL)


class _Stream(io.TextIOWrapper):
    """A text stream over bytes, like a pipe: not a terminal, with a name and a buffer."""

    def __init__(self, name: str, data: bytes = b"") -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8", errors="backslashreplace", newline=None,
                         write_through=True)
        self.stream_name = name

    def text(self) -> str:
        self.flush()
        return self.buffer.getvalue().decode("utf-8", errors="backslashreplace")  # type: ignore[attr-defined]


def _reset_process_caches() -> None:
    """A changed ADVISOR_RULES_DIR means another knowledge base: forget the loaded one."""
    from advisor.engine import get_advisor
    from advisor.knowledge import load_knowledge

    load_knowledge.cache_clear()
    if hasattr(get_advisor, "cache_clear"):
        get_advisor.cache_clear()


def run_cli(*args: str | Path, input: str | bytes | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `advisor ARGS` in this process: main() with its own argv, stdin, stdout, stderr,
    environment and working folder; the exit code as a process would report it (an uncaught
    exception prints its traceback and exits 1, as Python does). Past `timeout` seconds it
    raises subprocess.TimeoutExpired, as subprocess.run does."""
    from advisor.cli.app import main

    overrides = {**CLI_ENV, **(env or {})}
    saved_env = {name: os.environ.get(name) for name in overrides}
    streams = sys.stdin, sys.stdout, sys.stderr
    args = tuple(str(a) for a in args)
    data = input.encode() if isinstance(input, str) else (input or b"")
    stdin, stdout, stderr = _Stream("<stdin>", data), _Stream("<stdout>"), _Stream("<stderr>")
    other_rules = "ADVISOR_RULES_DIR" in overrides
    code = 0

    def expire(signum, frame):
        raise subprocess.TimeoutExpired(["advisor", *args], timeout)

    previous_handler = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        os.environ.update(overrides)
        if other_rules:
            _reset_process_caches()
        sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
        with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
            try:
                main(list(args))
            except SystemExit as exc:
                if isinstance(exc.code, str):
                    print(exc.code, file=sys.stderr)
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except subprocess.TimeoutExpired:
                raise
            except Exception:  # noqa: BLE001 - reported the way the interpreter would
                traceback.print_exc(file=sys.stderr)
                code = 1
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        sys.stdin, sys.stdout, sys.stderr = streams
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if other_rules:
            _reset_process_caches()
    return subprocess.CompletedProcess(["advisor", *args], code, stdout.text(), stderr.text())


@pytest.fixture
def cli():
    """`cli("evaluate", path)` -> CompletedProcess, run in this process."""
    return run_cli


@pytest.fixture
def cli_process():
    """`cli_process("evaluate", path)` -> CompletedProcess, run as a new process."""
    return run_process


# --- temporary rule bases -------------------------------------------------------------------

# One shipped area with its examples (23 rules): for tests of the knowledge cache itself (written,
# trusted, damaged, rebuilt), which hold for any rule base; a fifth of the whole base's build and
# store, which such a test repeats up to six times.
ONE_AREA = ("sweep.yaml", "sweep.examples.yaml")


class RuleBase:
    """A rules folder under tmp_path: the shipped guide and vocabulary (or every shipped file, or
    those plus `also`: e.g. ONE_AREA), plus rule files a test writes or copies in. `load()`
    validates it, without the cache."""

    def __init__(self, path: Path, *, shipped_rules: bool = False, also: tuple[str, ...] = ()) -> None:
        self.path = path
        path.mkdir(parents=True)
        names = ([p.name for p in SHIPPED_RULES.glob("*.yaml")] if shipped_rules
                 else ["guide.yaml", "vocabulary.yaml", *also])
        for name in names:
            shutil.copy(SHIPPED_RULES / name, path / name)

    def write(self, name: str, text: str) -> RuleBase:
        """Write a rule file (the text is dedented)."""
        (self.path / name).write_text(textwrap.dedent(text), encoding="utf-8")
        return self

    def append(self, name: str, text: str) -> RuleBase:
        """Add rules at the end of an existing rule file (the text as is: indent it as the file's list)."""
        with (self.path / name).open("a", encoding="utf-8") as handle:
            handle.write(text)
        return self

    def add(self, *files: Path) -> RuleBase:
        """Copy rule files (e.g. lint fixtures) in."""
        for file in files:
            shutil.copy(file, self.path / file.name)
        return self

    def load(self):
        from advisor.knowledge.base import load_from

        return load_from(self.path)


@pytest.fixture
def rule_base(tmp_path):
    """`rule_base()` -> a RuleBase in tmp_path/rules; `rule_base(shipped_rules=True)` copies every
    shipped rule file too; `folder=` puts it elsewhere under tmp_path."""
    def make(*, shipped_rules: bool = False, folder: str = "rules") -> RuleBase:
        return RuleBase(tmp_path / folder, shipped_rules=shipped_rules)

    return make



# --- tests that need the package index (the `network` marker) -------------------------------

IN_CI = bool(os.environ.get("CI"))
_index: dict[str, str | None] = {}


def package_index_problem() -> str | None:
    """Why the package index can't be reached (None when it can), probed once per process with
    the proxy and index settings pip and uv would use."""
    if "problem" not in _index:
        import urllib.request

        url = os.environ.get("UV_INDEX_URL") or os.environ.get("PIP_INDEX_URL") or "https://pypi.org/simple/"
        try:
            with urllib.request.urlopen(urllib.request.Request(url.rstrip("/") + "/pip/", method="HEAD"), timeout=5):
                _index["problem"] = None
        except Exception as exc:  # noqa: BLE001 - any failure means offline here
            _index["problem"] = f"{url}: {exc}"
    return _index["problem"]


# The network tests build the wheel, make virtual environments and pip-install from the index:
# ~35 CPU seconds and more waiting, over half of the rest of the suite. They run in CI (required
# there) and where ADVISOR_NETWORK_TESTS=1 asks for them; a developer's `uv run pytest` skips them.
RUN_NETWORK_TESTS = IN_CI or os.environ.get("ADVISOR_NETWORK_TESTS", "") not in ("", "0")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A `network` test runs in CI (CI set) or with ADVISOR_NETWORK_TESTS=1, and is skipped with
    the reason otherwise. When it runs and the package index can't be reached it is skipped
    with the reason, except in CI, where it must run, so there it fails instead."""
    if item.get_closest_marker("network") is None:
        return
    if not RUN_NETWORK_TESTS:
        pytest.skip("needs the package index (pip and uv installs, ~35 CPU s): runs in CI (CI set) "
                    "or with ADVISOR_NETWORK_TESTS=1")
    problem = package_index_problem()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"CI runs the network tests, and the package index can't be reached ({problem})")
    pytest.skip(f"needs the package index, which can't be reached from here ({problem}); CI runs it")


# --- hypothesis: a few examples while developing, many in CI ---------------------------------

HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev")
# The deep run (CI, or HYPOTHESIS_PROFILE=ci anywhere): many random examples, and the sweeps
# that replay a covering sample while developing replay every case.
DEEP = HYPOTHESIS_PROFILE == "ci"


def examples(full: int) -> int:
    """For a property test that sets its own count: `full` examples in CI (the deep search),
    a tenth of them (at least 5) while developing."""
    return full if HYPOTHESIS_PROFILE == "ci" else max(5, full // 10)


def _hypothesis_profiles() -> None:
    """Property tests that set no max_examples take the profile's: `dev` (the default: 20, the
    same examples every run, so the suite stays fast and repeatable) or `ci` (CI set: 150,
    random, the deep search). HYPOTHESIS_PROFILE=ci runs the deep search anywhere."""
    from hypothesis import HealthCheck, settings

    common = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
    settings.register_profile("dev", max_examples=20, derandomize=True, database=None, **common)
    settings.register_profile("ci", max_examples=150, **common)
    settings.load_profile(HYPOTHESIS_PROFILE)


_hypothesis_profiles()

# Hypothesis works out a table of Unicode's categories the first time a process draws text
# (~2.4 CPU s) and keeps it in its storage folder, .hypothesis in the working folder: so every
# new clone's first run paid it in each worker. While developing (no example database: the
# `dev` profile) the table is kept once per user instead, like uv's package cache; written
# atomically by hypothesis (a temporary file renamed), so suites at once are safe. CI keeps
# the checkout's .hypothesis, where its example database lives.
if not DEEP and "HYPOTHESIS_STORAGE_DIRECTORY" not in os.environ:
    from platformdirs import user_cache_dir

    os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(Path(user_cache_dir("advisor-tests")) / "hypothesis")


# --- the first run after a clone: what every worker would work out, worked out once ---------

# Modules the test modules import when collected, beyond what the README's install compiles
# (`uv sync --no-dev --compile-bytecode` compiles the advisor's libraries, not the advisor's own
# editable source nor the test-only libraries `uv run` adds), measured on a fresh clone: the advisor
# and these libraries. Not pytest's own modules, nor its plugins' (hypothesis, xdist, platformdirs'):
# the controller imports those itself before any worker starts, and pytest keeps plugins and test
# modules in bytecode of its own (with rewritten asserts) that compileall cannot write.
_COLLECTION_IMPORTS = ("attr", "attrs", "jsonschema", "jsonschema_specifications", "referencing", "rpds",
                       "pexpect", "ptyprocess", "idna", "sortedcontainers")


_DRAW_UNICODE_TEXT = ("from hypothesis import given, settings, strategies as st\n"
                      "settings(max_examples=1, database=None)(given(st.text())(lambda text: None))()")


_BACKGROUND: list[subprocess.Popen] = []  # kept, not waited for


def _first_run_once_not_per_worker() -> None:
    """The first run after a clone: each xdist worker starts at once and compiles the same modules
    as it imports them (neither finds the other's bytecode yet), and each works out hypothesis's
    Unicode tables the first time a test draws text (~2.2 CPU s; kept per user, above). Here, in
    the controller before the workers start: the tables in a process of their own, left running
    while the workers start, and the modules compiled by `python -m compileall` with one process
    per core, each file once, waited for; so the workers find both done. Later runs find the
    bytecode (one file's, checked) and the tables and start neither. Processes, not a pool in
    this one: a forked pool inside pytest's start-up hung once in three tries."""
    if os.environ.get("PYTEST_XDIST_WORKER") or sys.dont_write_bytecode:
        return
    import importlib.util
    import unicodedata

    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    storage = Path(os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY") or Path.cwd() / ".hypothesis")  # hypothesis's rule
    if not (storage / "unicode_data" / unicodedata.unidata_version).exists():
        _BACKGROUND.append(subprocess.Popen([sys.executable, "-c", _DRAW_UNICODE_TEXT], **quiet))
    if Path(importlib.util.cache_from_source(str(ROOT / "advisor" / "__init__.py"))).exists():
        return
    # The tests' helper modules too, not the test modules (pytest compiles those itself) nor the
    # fixtures' scripts (a __pycache__ there would be one more file in a folder a test reviews).
    helpers = [str(path) for path in (ROOT / "tests").glob("*.py") if not path.name.startswith(("test_", "conftest"))]
    folders = [str(ROOT / "advisor"), str(ROOT / "tests" / "hostile"), *helpers]
    for name in _COLLECTION_IMPORTS:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            folders.extend(spec.submodule_search_locations)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-q", "-j", "0", *folders],
                   check=False, timeout=300, **quiet)


_first_run_once_not_per_worker()


# --- the slowest files first ----------------------------------------------------------------

# Most CPU seconds first (per file, CPU and its child processes', measured in a full run on the
# 2-core machine, 2026-12-07 02:10, every file of 0.8 CPU s or more; a new file of several CPU
# seconds belongs here, or it runs last):
# xdist's loadfile (with --no-loadscope-reorder, in pyproject.toml) hands a worker the next
# file in collection order when it has two tests left; by default it sends the files with the
# most tests first, so the few-but-slow ones came last and one core finished well after the
# other. Longest first balances the two workers. The package-index tests (test_install,
# test_review_precommit's hook install) lead: in CI they take the longest, mostly waiting on
# pip and uv (the hook tests wait on git and pre-commit here too); elsewhere test_install is skipped at
# once. Nothing is skipped by this order; files not named here (each under 0.8 CPU s) follow.
SLOWEST_FILES = ("test_install.py", "test_review_precommit.py", "test_planner_state_cache.py",
                 "test_interactive_replay.py", "test_interactive_planner.py", "test_html_browser.py",
                 "test_drill_questions.py", "test_interactive_report.py", "test_azureml_loaders.py",
                 "test_interactive_topics.py", "test_interactive_surveys.py", "test_exam.py",
                 "test_engine.py", "test_report_layout.py", "test_interactive_pty.py",
                 "test_interactive.py", "test_prompt_interrupts.py", "test_rule_examples.py",
                 "test_interactive_checklist.py", "test_hostile_io.py", "test_evaluate.py",
                 "test_hostile_properties.py", "test_explain.py", "test_interactive_goal.py",
                 "test_drill_cli.py", "test_properties.py", "test_rule_states.py",
                 "test_drill_progress.py", "test_hostile_corpus.py", "test_scope.py",
                 "test_knowledge_rankings.py", "test_install_conventions.py", "test_api.py",
                 "test_formats.py", "test_knowledge_cache.py", "test_lint.py",
                 "test_rankings_and_evidence.py", "test_json_contract.py", "test_layers.py",
                 "test_cli_conventions.py", "test_schema.py", "test_hostile_drill.py",
                 "test_vocabulary_wording.py", "test_review.py", "test_hostile_classes.py",
                 "test_review_hostile_inputs.py")


def collect_all_garbage(passes: int = 10) -> None:
    """Collect until a pass frees nothing. One pass is not enough to start a no-cycles check from a
    clean slate: freeing a cycle runs its weakref callbacks (the planner's first states are kept in a
    WeakKeyDictionary keyed by the Advisor), which can drop the last reference to other cycles that
    only the next pass finds; an earlier test's leftovers would then be blamed on the code under test."""
    for _ in range(passes):
        if gc.collect() == 0:
            return
    raise AssertionError(f"garbage still found after {passes} collections")


def pytest_collection_finish(session):
    """What collection made (pytest's, hypothesis's, the libraries', the test modules' objects) lives
    as long as the worker: moved out of the collector's walks, as get_advisor does for the
    advisor's (advisor/engine/advisor.py), so each full collection after it (Python's own and the
    tests' gc.collect()) walks only what tests made since. Collected first: no garbage is kept."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items):
    _parse_each_knowledge_text_once()  # here, where tests run: xdist's controller never imports the advisor
    rank = {name: place for place, name in enumerate(SLOWEST_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOWEST_FILES)))  # stable: order within a file kept
