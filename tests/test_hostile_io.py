"""Issue 27, the classes about files, names, streams and stored state: one test (or a few) per
class, built from its reproduction. The hostile configurations are a corpus, one file per
reproduction, in tests/hostile/config/."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from conftest import ONE_AREA, ROOT, SCENARIOS, RuleBase
from hostile.harness import HOSTILE, assert_clean, expectation, finishes, run, strict_json, well_formed_xml

GOOD = SCENARIOS / "image-classifier.yaml"
FIXTURES = ROOT / "tests" / "fixtures" / "azureml"
CLEAN = FIXTURES / "clean" / "compute-production-warm.yml"
FLAWED = FIXTURES / "flawed" / "compute-max-zero.yml"  # one finding: review.cluster-max-zero
CONFIGS = sorted((HOSTILE / "config").iterdir())


def _one_error(result, what: str, *words: str) -> str:
    assert_clean(result, what)
    assert result.code == 2, f"{what}: exit {result.code}; {result.stdout[-300:]}"
    [line] = result.error_lines
    for word in words:
        assert word in line, (what, line)
    return line


# --- class 3: an unreadable subfolder is reported -------------------------------------------

def test_class3_an_unreadable_subfolder_is_reported_and_fails_the_run(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    shutil.copy(CLEAN, tmp_path / "a.yml")
    shutil.copy(CLEAN, tmp_path / "sub" / "b.yml")
    hidden = str(tmp_path / "sub")
    real_scandir = os.scandir

    def scandir(path="."):  # root reads any folder: refuse this one as chmod 000 does for others
        if os.fspath(path) == hidden:
            raise PermissionError(13, "Permission denied", hidden)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    # Reported, never silent; it fails the run with --strict (issue 24: without it, an unreadable
    # file is reported beside the others' findings and doesn't mask them).
    assert run("review", str(tmp_path)).code == 0
    for fmt in ("text", "sarif"):
        result = run("review", str(tmp_path), "--format", fmt, "--strict")
        assert_clean(result, f"review --format {fmt}", batch=True)
        assert result.code == 2, result.stdout
        assert any(hidden in line and "cannot read the folder" in line for line in result.error_lines), \
            result.stderr
    log = strict_json(result.stdout)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert "a.yml" in json.dumps(log) or run("review", str(tmp_path), "--verbose").stdout.count("a.yml")


# --- class 6: a symlink loop named *.yml ----------------------------------------------------

def test_class6_a_symlink_loop_named_yml_is_one_line_not_a_traceback(tmp_path):
    (tmp_path / "loop.yml").symlink_to("loop.yml")
    shutil.copy(CLEAN, tmp_path / "good.yml")
    (tmp_path / ".advisor.yaml").write_text("exclude: [experiments/**]\n", encoding="utf-8")
    for args in (["review", str(tmp_path), "--strict", "--verbose"],
                 ["review", str(tmp_path / "loop.yml"), str(tmp_path / "good.yml"), "--strict", "--verbose"]):
        result = finishes(lambda args=args: run(*args))
        assert_clean(result, " ".join(args), batch=True)
        assert result.code == 2
        assert any("loop.yml" in line and "symbolic links" in line for line in result.error_lines), result.stderr
        assert "good.yml" in result.stdout


# --- class 7: hostile configuration files ---------------------------------------------------

@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_class7_a_hostile_configuration_is_one_clear_error(config, tmp_path):
    name = "pyproject.toml" if config.name.endswith(".pyproject.toml") else ".advisor.yaml"
    shutil.copy(config, tmp_path / name)
    shutil.copy(CLEAN, tmp_path / "c.yml")
    _, message = expectation(config)
    result = finishes(lambda: run("review", str(tmp_path / "c.yml")))
    line = _one_error(result, config.name, message)
    assert line.startswith(f"advisor: error: {tmp_path / name}"), line
    named = finishes(lambda: run("review", str(tmp_path / "c.yml"), "--config", str(tmp_path / name)))
    _one_error(named, f"--config {config.name}", message)


def test_class7_tool_that_is_not_a_table_is_no_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text('tool = "x"\n', encoding="utf-8")
    shutil.copy(CLEAN, tmp_path / "c.yml")
    for args in ([], ["--config", str(tmp_path / "pyproject.toml")]):
        result = run("review", str(tmp_path / "c.yml"), *args)
        assert_clean(result, f"review {args}")
        assert result.code == 0, result.stderr


def test_class7_a_huge_pyproject_is_not_read_whole(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    with pyproject.open("wb") as handle:
        handle.truncate(1 << 30)  # 1 GB, sparse: what matters is that it is not read
    shutil.copy(CLEAN, tmp_path / "c.yml")
    result = finishes(lambda: run("review", str(tmp_path / "c.yml")))
    _one_error(result, "1 GB pyproject.toml", str(pyproject), "limit")


# --- class 8: configuration discovery trusts only what this user wrote ------------------------

def _foreign_config(folder: Path) -> Path:
    config = folder / ".advisor.yaml"
    config.write_text('exclude: ["*"]\n', encoding="utf-8")
    config.chmod(0o666)
    if os.geteuid() == 0:
        os.chown(config, 12345, 12345)
    return config


def test_class8_another_users_world_writable_config_is_refused(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # a sticky folder like /tmp
    config = _foreign_config(shared)
    (shared / "project").mkdir()
    shutil.copy(FLAWED, shared / "project" / "job.yml")
    result = run("review", str(shared / "project" / "job.yml"))
    line = _one_error(result, "foreign config", str(config), "configuration not used")
    assert "write" in line or "another user" in line
    named = run("review", str(shared / "project" / "job.yml"), "--config", str(config))
    assert named.code == 0 and "0 files reviewed" in named.stdout  # named: the user's choice
    assert run("review", str(shared / "project" / "job.yml"), "--no-config").code == 1


def test_class8_a_group_writable_config_of_ones_own_is_refused(tmp_path):
    (tmp_path / ".advisor.yaml").write_text('exclude: ["*"]\n', encoding="utf-8")
    (tmp_path / ".advisor.yaml").chmod(0o664)
    shutil.copy(FLAWED, tmp_path / "job.yml")
    _one_error(run("review", str(tmp_path / "job.yml")), "group-writable config", "other users can write it")
    (tmp_path / ".advisor.yaml").chmod(0o644)
    assert "0 files reviewed" in run("review", str(tmp_path / "job.yml")).stdout


def test_class8_discovery_stops_at_the_repository_root(tmp_path):
    _foreign_config(tmp_path)  # above the repository: never read, so never refused
    (tmp_path / "pyproject.toml").write_text("[tool.advisor\n", encoding="utf-8")  # nor parsed
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "ml").mkdir()
    shutil.copy(FLAWED, repo / "ml" / "job.yml")
    result = run("review", str(repo / "ml" / "job.yml"))
    assert_clean(result, "review in a repository")
    assert result.code == 1 and "review.cluster-max-zero" in result.stdout, result.stderr


def test_class8_a_malformed_pyproject_is_reported_not_passed_over(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[project\nname = 1\n", encoding="utf-8")
    shutil.copy(FLAWED, tmp_path / "job.yml")
    _one_error(run("review", str(tmp_path / "job.yml")), "malformed pyproject", "malformed TOML",
               str(tmp_path / "pyproject.toml"))
    assert run("review", str(tmp_path / "job.yml"), "--no-config").code == 1


def test_issue24_the_configuration_is_found_from_each_reviewed_path(tmp_path, monkeypatch):
    for name, skip in (("a", "review.cluster-max-zero"), ("b", None)):
        project = tmp_path / name
        (project / ".git").mkdir(parents=True)
        shutil.copy(FLAWED, project / "job.yml")
        if skip:
            (project / ".advisor.yaml").write_text(f"skip: [{skip}]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "b")  # b has no configuration: a's file still gets a's
    assert run("review", "../a/job.yml").code == 0
    assert run("review", "job.yml").code == 1
    monkeypatch.chdir(tmp_path / "a")  # a's configuration is not b's
    assert run("review", "../b/job.yml").code == 1
    assert run("review", "job.yml").code == 0
    both = run("review", "job.yml", "../b/job.yml", "--verbose")  # --verbose lists suppressed findings
    assert_clean(both, "two projects")
    assert both.code == 1 and both.stdout.count("review.cluster-max-zero") >= 2  # b's finding, a's suppressed


# --- class 9: file names that are not UTF-8 -------------------------------------------------

@pytest.fixture
def latin1_folder(tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    shutil.copy(FLAWED, os.fsdecode(bytes(folder) + b"/f\xfd.yml"))
    shutil.copy(CLEAN, os.fsdecode(bytes(folder) + b"/j\xff.yml"))
    shutil.copy(GOOD, os.fsdecode(bytes(folder) + b"/s\xfe.yaml"))
    return folder


@pytest.mark.parametrize("command", [
    ["review", "{folder}", "-o", "{out}"],
    ["review", "{folder}", "--format", "sarif", "-o", "{out}"],
    ["review", "{folder}", "--format", "json", "-o", "{out}"],
    ["evaluate", "{folder}", "-o", "{out}"],
    ["consult", "{scenario}", "-o", "{out}"],
    ["consult", "{scenario}", "--format", "json", "-o", "{out}"],
])
def test_class9_non_utf8_file_names_are_written_escaped(latin1_folder, tmp_path, command):
    out = os.fsdecode(bytes(tmp_path) + b"/out\xff.txt")
    scenario = os.fsdecode(bytes(latin1_folder) + b"/s\xfe.yaml")
    args = [a.format(folder=latin1_folder, out=out, scenario=scenario) for a in command]
    result = run(*args)
    assert_clean(result, " ".join(command), batch=True)
    written = Path(out).read_bytes().decode("utf-8")  # valid UTF-8, whatever the names
    if command[0] == "review":
        assert "\\xfd" in written or "%FD" in written or "\\udcfd" in written, written[:500]
    if "sarif" in command:
        assert "f%FD.yml" in written
    if "json" in command:
        strict_json(written)


def test_class9_stdout_and_errors_escape_non_utf8_names(latin1_folder):
    stdout, stderr, code = _run_with_streams(["review", str(latin1_folder), "--verbose"], "utf-8", "strict")
    assert code == 1, stderr
    assert "f\\xfd.yml" in stdout and "j\\xff.yml" in stdout
    broken = os.fsdecode(bytes(latin1_folder) + b"/broken\xfa.yml")
    Path(broken).write_text("type: [\n", encoding="utf-8")
    stdout, stderr, code = _run_with_streams(["review", broken, "--format", "sarif"], "utf-8", "strict")
    assert code == 2 and "broken\\xfa.yml" in stderr, stderr
    strict_json(stdout)


# --- class 10: legacy output encodings ------------------------------------------------------

def _run_with_streams(args: list[str], encoding: str, errors: str) -> tuple[str, str, int]:
    """`advisor ARGS` in this process with stdout and stderr in `encoding`, as
    PYTHONIOENCODING=cp1252 or a strict UTF-8 stream sets them up."""
    from advisor.cli.app import main

    out = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors=errors, write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors=errors, write_through=True)
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
    return (out.buffer.getvalue().decode(encoding), err.buffer.getvalue().decode(encoding), code)


@pytest.mark.parametrize("args", [["consult", str(GOOD)], ["explain", str(GOOD)],
                                  ["consult", str(GOOD), "--format", "markdown"], ["rules", "list"]])
def test_class10_a_legacy_output_encoding_gets_replacements_not_a_traceback(args):
    stdout, stderr, code = _run_with_streams(args, "cp1252", "strict")
    assert code == 0, stderr
    assert "Traceback" not in stderr and len(stdout) > 200


# --- class 12: a damaged cache that is still valid JSON ------------------------------------

def _cache_text(payload: str, *, digest: bool) -> str:
    from advisor.knowledge.cache import digest_of

    return (digest_of(payload.encode()) if digest else "0" * 64) + "\n" + payload


@pytest.mark.parametrize("damage", ["priority-as-text", "condition-as-text", "empty-fact-list"])
@pytest.mark.parametrize("digest", [True, False], ids=["digest-updated", "digest-stale"])
def test_class12_a_damaged_cache_is_rebuilt(damage, digest, tmp_path, monkeypatch):
    from advisor.knowledge.cache import load_cached

    cache = tmp_path / "cache"
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(cache))
    rules = RuleBase(tmp_path / "rules", also=ONE_AREA).path  # any rule base: the guide, vocabulary, one area
    built = load_cached(rules)
    [stored] = cache.iterdir()
    data = json.loads(stored.read_text(encoding="utf-8").split("\n", 1)[1])
    rule = data["v"][2]["t"][0]["v"]  # KnowledgeBase(guide, vocabulary, rules, areas): the first rule
    if damage == "priority-as-text":
        rule[8] = "high"
    elif damage == "condition-as-text":
        rule[4] = "ml_task == nlp"
    else:
        data["v"][1]["v"][0] = {"t": []}  # Vocabulary.facts
    stored.write_text(_cache_text(json.dumps(data), digest=digest), encoding="utf-8")
    assert load_cached(rules) == built
    assert json.loads(stored.read_text(encoding="utf-8").split("\n", 1)[1]) != data  # rewritten


# --- class 13: drill rows --------------------------------------------------------------------

def _drill_db(tmp_path) -> Path:
    db = tmp_path / "drill.sqlite3"
    answers = tmp_path / "answers.txt"
    answers.write_text("1\n1\n")
    result = run("drill", "--count", "2", "--seed", "1", "--db", str(db), "--answers", str(answers))
    assert result.code == 0, result.stderr
    return db


@pytest.mark.parametrize("value", ["'x'", "1e300", "-5", "X'00'", "9e15"])
def test_class13_a_damaged_answer_time_is_skipped_by_stats(value, tmp_path):
    db = _drill_db(tmp_path)
    with contextlib.closing(sqlite3.connect(db)) as connection, connection:
        connection.execute(f"UPDATE answers SET answered_at = {value} WHERE id = 1")
    result = run("drill", "--stats", "--db", str(db))
    assert_clean(result, f"answered_at = {value}")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("1 answer in 1 session"), result.stdout[:200]  # plural-aware (issue 25)


def test_class13_escape_sequences_in_rows_are_shown_not_sent(tmp_path):
    db = _drill_db(tmp_path)
    with contextlib.closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("UPDATE answers SET section = char(27) || '[31mRED' || char(8238) || 'x',"
                           " decision = char(155) || '2J'")
    result = run("drill", "--stats", "--db", str(db))
    assert_clean(result, "stats")
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout and "\x9b" not in result.stdout
    assert "\\x1b[31mRED\\u202ex" in result.stdout and "\\x9b2J" in result.stdout


# --- class 14: unbounded integers ----------------------------------------------------------

def test_class14_a_huge_drill_seed_is_a_usage_error(tmp_path):
    result = run("drill", "--seed", str(10**29), "--count", "1", "--db", str(tmp_path / "d.sqlite3"),
                 "--answers", "-", stdin=b"1\n")
    assert result.crash is None and result.code == 2, result.stderr
    assert "--seed" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("epoch", ["²", "12345678901234", "9" * 4300, "-1", "1e9", " 12x"])
def test_class14_a_bad_source_date_epoch_is_one_line(epoch, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    _one_error(run("consult", str(GOOD), "--format", "html"), f"SOURCE_DATE_EPOCH={epoch[:20]}",
               "SOURCE_DATE_EPOCH", "is not a date")


def test_class14_a_good_source_date_epoch_dates_the_report(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    result = run("consult", str(GOOD), "--format", "json")
    assert result.code == 0 and "9999-12-31" in result.stdout, result.stderr


# --- class 15: -o never loses an input or a read-only file --------------------------------

@pytest.mark.parametrize("command, source", [
    (["review", "{input}", "-o", "{output}"], CLEAN),
    (["evaluate", "{input}", "-o", "{output}"], GOOD),
    (["explain", "{input}", "-o", "{output}"], GOOD),
    (["consult", "{input}", "-o", "{output}"], GOOD),
])
@pytest.mark.parametrize("how", ["same-name", "symlink", "hard-link"])
def test_class15_output_over_an_input_of_the_run_is_refused(command, source, how, tmp_path):
    given = tmp_path / source.name
    shutil.copy(source, given)
    before = given.read_bytes()
    output = given
    if how == "symlink":
        output = tmp_path / "link.txt"
        output.symlink_to(given)
    elif how == "hard-link":
        output = tmp_path / "hard.txt"
        os.link(given, output)
    args = [a.format(input=given, output=output) for a in command]
    _one_error(run(*args), " ".join(command), "is an input of this run")
    assert given.read_bytes() == before


def test_class15_a_read_only_destination_is_not_replaced(tmp_path):
    output = tmp_path / "report.txt"
    output.write_text("keep me\n")
    output.chmod(0o444)
    _one_error(run("consult", str(GOOD), "-o", str(output)), "0444 output", "read-only")
    assert output.read_text() == "keep me\n" and stat.S_IMODE(output.stat().st_mode) == 0o444
    output.chmod(0o644)
    assert run("consult", str(GOOD), "-o", str(output)).code == 0 and output.read_text() != "keep me\n"


# --- class 16: -o to a FIFO ---------------------------------------------------------------

def test_class16_a_fifo_without_a_reader_is_refused_at_once(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = finishes(lambda: run("consult", str(GOOD), "-o", str(fifo)))
    _one_error(result, "-o FIFO", "no program is reading")


def test_class16_a_fifo_with_a_reader_gets_the_whole_report(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    opened = threading.Event()

    def read():
        import select

        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, there before the writer comes
        opened.set()
        chunks: list[bytes] = []
        with os.fdopen(fd, "rb", buffering=0) as handle:
            while True:
                select.select([fd], [], [], 1.0)
                chunk = handle.read(1 << 16)
                if chunk is None:  # a writer, no data yet
                    continue
                if not chunk and not chunks:  # no writer yet: EOF until one opens it
                    threading.Event().wait(0.01)
                    continue
                if not chunk:
                    break
                chunks.append(chunk)
        received.append(b"".join(chunks))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert opened.wait(120)
    result = finishes(lambda: run("consult", str(GOOD), "--format", "json", "-o", str(fifo)))
    assert result.code == 0, result.stderr
    reader.join(120)
    assert json.loads(received[0])["scenario"]


# --- lower level: every format escapes what text output escapes -----------------------------

HIDDEN = "\u202e\x9b\u200b\u2028\u2029\ufeff\U000e0041"
HIDDEN_IN_YAML = "\\u202e\\x9b\\u200b\\u2028\\u2029\\ufeff\\U000e0041"  # YAML text can't hold them raw


def _scenario_named(path: Path) -> Path:
    path.write_text(GOOD.read_text(encoding="utf-8").replace(
        "name: Image classifier for product photos", f'name: "Image {HIDDEN_IN_YAML} classifier"'), encoding="utf-8")
    return path


def test_json_sarif_and_junit_carry_no_raw_bidi_or_c1(tmp_path):
    folder = tmp_path / f"x{HIDDEN}"
    folder.mkdir()
    shutil.copy(FLAWED, folder / f"c{HIDDEN}.yml")
    scenario = _scenario_named(folder / f"s{HIDDEN}.yaml")
    outputs = {
        "review-json": run("review", str(folder), "--format", "json"),
        "review-sarif": run("review", str(folder), "--format", "sarif"),
        "evaluate-json": run("evaluate", str(scenario), "--format", "json"),
        "evaluate-junit": run("evaluate", str(scenario), "--format", "junit"),
        "consult-json": run("consult", str(scenario), "--format", "json"),
        "explain-json": run("explain", str(scenario), "--format", "json"),
    }
    for name, result in outputs.items():
        assert_clean(result, name, batch=True)
        for character in HIDDEN:
            assert character not in result.stdout, (name, hex(ord(character)))
        if name.endswith("junit"):
            well_formed_xml(result.stdout)
            assert "\\u202e" in result.stdout
        elif name != "review-sarif":  # (SARIF's paths are URIs, percent-encoded)
            assert HIDDEN in json.dumps(strict_json(result.stdout), ensure_ascii=False), name  # same values


def test_text_output_shows_zero_width_separator_bom_and_tag_characters(tmp_path):
    scenario = _scenario_named(tmp_path / "s.yaml")
    for fmt in ("text", "markdown", "html"):
        result = run("consult", str(scenario), "--format", fmt)
        assert result.code == 0, result.stderr
        for character in HIDDEN:
            assert character not in result.stdout, (fmt, hex(ord(character)))
        assert "\\u200b" in result.stdout and "\\U000e0041" in result.stdout


def test_guide_text_on_a_fifo_is_refused_not_called_missing(tmp_path):
    fifo = tmp_path / "guide.md"
    os.mkfifo(fifo)
    result = finishes(lambda: run("rules", "lint", "--guide-text", str(fifo)))
    line = _one_error(result, "--guide-text FIFO", str(fifo))
    assert "no such file" not in line and "regular file" in line


def test_a_scenarios_dir_that_is_a_file_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_SCENARIOS_DIR", str(GOOD))
    answers = tmp_path / "answers.txt"
    answers.write_text("1\n")
    result = run("drill", "--count", "1", "--seed", "1", "--db", str(tmp_path / "d.sqlite3"),
                 "--answers", str(answers))
    _one_error(result, "ADVISOR_SCENARIOS_DIR=file", "ADVISOR_SCENARIOS_DIR", "not a folder")



@pytest.mark.parametrize("columns", ["²", "x", "-1", "1e3", "0", "9" * 40])
def test_a_columns_that_is_not_a_number_is_ignored(columns, monkeypatch):
    monkeypatch.setenv("COLUMNS", columns)  # found by the environment fuzz test: rich's int('²')
    result = run("consult", str(GOOD))
    assert_clean(result, f"COLUMNS={columns}")
    assert result.code == 0 and "Image classifier" in result.stdout
