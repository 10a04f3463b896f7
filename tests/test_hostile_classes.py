"""Issue 16, input side: one test (or a few) per failure class, reproducing it and checking
the clear error or the safe result. The corpus in tests/hostile/ covers the same classes
file by file (test_hostile_corpus.py)."""

from __future__ import annotations

import json
import math
import os
import shutil
import stat

import pytest
from conftest import ONE_AREA, ROOT, SCENARIOS, RuleBase
from hostile.harness import assert_clean, finishes, run, strict_json

from advisor.errors import AdvisorError

GOOD = SCENARIOS / "image-classifier.yaml"


# --- class 2: the knowledge cache never runs planted code -------------------------------

def _rules_copy(tmp_path):
    """The guide, the vocabulary and one area: the cache's trust checks hold for any rule base,
    and each load below that refuses the stored file builds the knowledge again."""
    return RuleBase(tmp_path / "rules", also=ONE_AREA).path


def test_class2_cache_is_data_in_a_private_folder(tmp_path, monkeypatch):
    from advisor.knowledge.base import load_from
    from advisor.knowledge.cache import load_cached

    cache = tmp_path / "cache"
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(cache))
    knowledge = load_cached(_rules_copy(tmp_path))
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    [stored] = cache.iterdir()
    assert stored.suffix == ".json" and stat.S_IMODE(stored.stat().st_mode) == 0o600
    digest, payload = stored.read_text(encoding="utf-8").split("\n", 1)  # a digest line, then the data
    assert json.loads(payload)["$"] == "base.KnowledgeBase"
    cached, built = load_cached(tmp_path / "rules"), load_from(tmp_path / "rules")
    assert cached == knowledge == built
    assert [r.examples for r in cached.rules] == [r.examples for r in built.rules]  # compare=False fields too


def test_class2_a_planted_pickle_or_foreign_class_is_never_loaded(tmp_path, monkeypatch):
    import pickle

    from advisor.knowledge.cache import decode, load_cached

    cache = tmp_path / "cache"
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(cache))
    rules = _rules_copy(tmp_path)
    built = load_cached(rules)
    [stored] = cache.iterdir()
    marker = tmp_path / "pwned"

    class Plant:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    stored.with_suffix(".pickle").write_bytes(pickle.dumps(Plant()))  # the old cache's name
    stored.write_bytes(pickle.dumps(Plant()))
    assert load_cached(rules) == built
    stored.write_text('{"$": "system", "v": ["touch ' + str(marker) + '"]}', encoding="utf-8")
    assert load_cached(rules) == built
    assert not marker.exists()
    with pytest.raises(KeyError):
        decode(_with_digest('{"$": "Popen", "v": [["touch", "x"]]}'))


def _with_digest(payload: str) -> str:
    """A cache file's text for `payload`, its digest line correct: what only this user could write."""
    from advisor.knowledge.cache import digest_of

    return digest_of(payload.encode()) + "\n" + payload


def test_class2_a_cache_others_could_write_is_ignored(tmp_path, monkeypatch):
    from advisor.knowledge.cache import load_cached

    cache = tmp_path / "cache"
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(cache))
    rules = _rules_copy(tmp_path)
    real_title = load_cached(rules).rules[0].title
    [stored] = cache.iterdir()
    payload = stored.read_text(encoding="utf-8").split("\n", 1)[1]
    # Issue 27 class 12: a cache edited without its digest is rebuilt; this edit has the right
    # digest, so only the ownership checks below can refuse it.
    tampered = _with_digest(payload.replace(json.dumps(real_title), '"TAMPERED"', 1))
    assert tampered != stored.read_text(encoding="utf-8")
    stored.write_text(tampered, encoding="utf-8")
    stored.chmod(0o666)  # anyone could have written it
    assert load_cached(rules).rules[0].title == real_title
    stored.write_text(tampered, encoding="utf-8")
    stored.chmod(0o600)
    cache.chmod(0o777)  # anyone could have swapped it
    assert load_cached(rules).rules[0].title == real_title
    if os.geteuid() == 0:  # root: a file another user owns is not read either
        cache.chmod(0o700)
        stored.write_text(tampered, encoding="utf-8")
        os.chown(stored, 12345, 12345)
        assert load_cached(rules).rules[0].title == real_title
    cache.chmod(0o700)
    stored.unlink()
    load_cached(rules)
    stored.chmod(0o600)
    stored.write_text(tampered, encoding="utf-8")  # its owner's own edit is trusted, as a cache
    assert load_cached(rules).rules[0].title == "TAMPERED"


# --- class 3 and 4: tagged, huge and non-finite scalars -----------------------------------

@pytest.mark.parametrize("value, message", [
    ("!!int abc", "'abc' is not an integer (tag !!int)"),
    ("!!float abc", "'abc' is not a number (tag !!float)"),
    ("!!bool maybe", "'maybe' is not true or false (tag !!bool)"),
    ("!!timestamp 2021-02-30", "is not a date or time (tag !!timestamp)"),
    ("1" * 4301, "an integer of 4301 digits is too large"),
    (".nan", "'.nan' is not a finite number"),
    ("-.inf", "'-.inf' is not a finite number"),
    ("9" * 400, "a number of 400 digits is too large"),
])
@pytest.mark.parametrize("command", ["consult", "explain", "emit", "review"])
def test_class3_4_a_bad_scalar_is_one_line_with_exit_2(tmp_path, command, value, message):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f"name: x\nfacts:\n  cluster_min_instances: {value}\n", encoding="utf-8")
    args = [command, str(scenario)] + (["--out", str(tmp_path / "out")] if command == "emit" else [])
    result = run(*args)
    assert_clean(result, command, batch=command == "review")
    assert result.code == 2
    [error] = result.error_lines
    if command == "review" and "digits" in message and "integer" not in message:
        assert "not a kind of Azure ML YAML" in error  # valid YAML, just not Azure ML
    else:
        assert error.startswith(f"advisor: error: {scenario}:3: ") and message in error, error


def test_class3_evaluate_reports_a_per_file_error_not_an_internal_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nfacts:\n  max_total_trials: !!int abc\n", encoding="utf-8")
    result = run("evaluate", str(bad), str(GOOD), "--format", "json", "--jobs", "1")
    assert_clean(result, "evaluate", batch=True)
    by_file = {r["file"]: r for r in strict_json(result.stdout)["results"]}
    assert by_file[str(bad)]["error"] == f"{bad}:3: 'abc' is not an integer (tag !!int)"
    assert by_file[str(GOOD)]["status"] == "passed"


def test_class4_numbers_are_finite_and_in_range(knowledge):
    spec = knowledge.vocabulary.fact("cluster_min_instances")
    for bad in (math.nan, math.inf, -math.inf, 10**400, 10.0**300):
        with pytest.raises(ValueError):
            spec.check(bad)
    assert spec.check(3) == 3


@pytest.mark.parametrize("args", [
    ["explain", str(GOOD), "--what-if", "max_total_trials=nan"],
    ["explain", str(GOOD), "--what-if", "cluster_min_instances=inf"],
    ["explain", str(GOOD), "--what-if", "cluster_min_instances=" + "9" * 400],
    ["explain", str(GOOD), "--what-if", "cluster_min_instances=1e400"],
    ["review", str(ROOT / "tests/fixtures/azureml/clean/compute-production-warm.yml"),
     "--fact", "cluster_max_instances=-Infinity"],
])
def test_class4_non_finite_values_on_the_command_line_are_refused(args):
    result = run(*args, "--format", "json")
    assert_clean(result, " ".join(args[:1]), batch=True)
    assert result.code == 2 and len(result.error_lines) == 1, result.stderr


def test_class4_json_reports_hold_only_finite_numbers(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: x\nfacts:\n  cluster_min_instances: 999999999999\n  max_total_trials: 100000\n"
                        "  tuned_hyperparameter_count: 100\n", encoding="utf-8")
    for command in ("consult", "explain"):
        result = run(command, str(scenario), "--format", "json")
        assert_clean(result, command)
        assert result.code == 0, result.stderr
        strict_json(result.stdout)


# --- class 6: a quoted glob over symlink loops ends -------------------------------------

def test_class6_a_quoted_glob_over_symlink_loops_ends(tmp_path):
    folder = tmp_path / "loops" / "a"
    folder.mkdir(parents=True)
    shutil.copy(GOOD, folder / "good.yaml")
    (folder / "up").symlink_to("..")
    (folder / "self").symlink_to("../a")
    (folder / "deeper").mkdir()
    (folder / "deeper" / "back").symlink_to("../..")
    pattern = str(tmp_path / "loops" / "**" / "*.yaml")
    result = finishes(lambda: run("evaluate", pattern, "--format", "json", "--jobs", "1"))
    assert_clean(result, "evaluate", batch=True)
    report = strict_json(result.stdout)
    passed = [r["file"] for r in report["results"] if r["status"] == "passed"]
    assert [os.path.realpath(p) for p in passed] == [os.path.realpath(folder / "good.yaml")]  # once
    coverage = finishes(lambda: run("rules", "coverage", pattern, "--format", "json"))
    assert_clean(coverage, "rules coverage", batch=True)
    strict_json(coverage.stdout)

    from advisor.evaluation.collect import collect
    relative = finishes(lambda: collect([str(tmp_path / "loops" / "**")]))
    assert [os.path.realpath(p) for p in relative.files] == [os.path.realpath(folder / "good.yaml")]
    assert all("symlink loop" in p for p in relative.problems.values())


# --- class 7: corrupted questionnaire drafts ---------------------------------------------

def _consultation(tmp_path):
    from advisor.engine import get_advisor
    from advisor.interactive import DraftStore, InteractiveConsultation

    class NoTerminal:
        def streams(self, prompt):
            raise AssertionError(f"asked {prompt.key!r}: a broken draft must not reach a prompt")

    from io import StringIO

    from rich.console import Console

    from advisor.interactive import Prompter

    screen = StringIO()
    return InteractiveConsultation(get_advisor(), prompter=Prompter(NoTerminal()), console=Console(file=screen),
                                   drafts=DraftStore(tmp_path / "data")), screen


def test_class7_a_fifo_draft_does_not_hang_resume_or_a_new_consultation(tmp_path):
    consultation, screen = _consultation(tmp_path)
    draft = consultation.drafts.path
    draft.parent.mkdir()
    os.mkfifo(draft)
    with pytest.raises(AdvisorError, match="not a regular file"):
        finishes(lambda: consultation.starting_answers(focus=None, answers_file=None, resume=True))
    answers = finishes(lambda: consultation.starting_answers(focus=None, answers_file=None, resume=False))
    assert answers.values == {}
    assert stat.S_ISFIFO(os.lstat(draft.with_name(draft.name + ".unreadable")).st_mode)  # kept, not lost
    assert "can't be continued" in screen.getvalue()


def test_class7_a_draft_linked_to_dev_zero_is_refused_not_read_forever(tmp_path):
    consultation, _ = _consultation(tmp_path)
    draft = consultation.drafts.path
    draft.parent.mkdir()
    draft.symlink_to("/dev/zero")
    with pytest.raises(AdvisorError, match="not a regular file"):
        finishes(lambda: consultation.starting_answers(focus=None, answers_file=None, resume=True))
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024)
    draft.unlink()
    draft.symlink_to(big)
    with pytest.raises(AdvisorError, match="over the"):
        consultation.drafts.load(consultation.knowledge)


@pytest.mark.parametrize("text", [
    "[]", '"draft"', "null", '{"version": 1}',
    '{"version": 1, "answers": [], "asked": []}',
    '{"version": 1, "answers": {}, "asked": [], "focus": ["sweep"]}',
    '{"version": 1, "answers": {}, "asked": [], "focus": {"a": 1}}',
    '{"version": 1, "answers": {}, "asked": [[1], {"a": 2}], "prefilled_from": 7}',
    '{"version": 1, "answers": {"ml_task": ["nlp"]}, "asked": []}',
    '{"version": 1, "answers": {"ml_task": {"x": 1}}, "asked": []}',
    '{"version": 1, "answers": {"hyperparameter_expressions": [{"a": 1}]}, "asked": []}',
    '{"version": 1, "answers": {"max_total_trials": NaN}, "asked": []}',
    '{"version": 1, "answers": {"max_total_trials": 1e999}, "asked": []}',
    '{"version": 1, "answers": {"max_total_trials": ' + "9" * 5000 + '}, "asked": []}',
    "[" * 100000 + "]" * 100000,
    '{"version": 1, "answers": {}, "asked": []',
    "not UTF-8: \udcff",
])
def test_class7_any_json_shape_is_set_aside_and_consult_starts_afresh(tmp_path, text):
    consultation, screen = _consultation(tmp_path)
    draft = consultation.drafts.path
    draft.parent.mkdir()
    content = text.encode("utf-8", "surrogateescape")
    draft.write_bytes(content)
    with pytest.raises(AdvisorError):
        consultation.drafts.load(consultation.knowledge)
    answers = consultation.starting_answers(focus=None, answers_file=None, resume=False)
    assert answers.values == {}
    assert draft.with_name(draft.name + ".unreadable").read_bytes() == content  # kept as it was
    assert not draft.exists()


def test_class7_a_second_unreadable_draft_does_not_overwrite_the_first(tmp_path):
    consultation, _ = _consultation(tmp_path)
    draft = consultation.drafts.path
    draft.parent.mkdir()
    for n in (1, 2, 3):
        draft.write_text(f"not json {n}", encoding="utf-8")
        consultation.starting_answers(focus=None, answers_file=None, resume=False)
    kept = sorted(p.name for p in draft.parent.iterdir())
    assert kept == [draft.name + ".unreadable", draft.name + ".unreadable-2", draft.name + ".unreadable-3"]
    assert {(draft.parent / name).read_text(encoding="utf-8") for name in kept} == \
        {"not json 1", "not json 2", "not json 3"}


# --- class 12: unwritable destinations ----------------------------------------------------

UNWRITABLE = "/proc"  # not writable, even by root


def test_class12_unwritable_emit_folder_is_one_line(tmp_path):
    for out in (UNWRITABLE, UNWRITABLE + "/advisor-out", str(GOOD)):
        result = run("emit", str(GOOD), "--out", out)
        assert_clean(result, f"emit --out {out}")
        assert result.code == 2 and result.error_lines[0].startswith("advisor: error: "), result.stderr


def test_class12_unwritable_drill_folder_is_one_line(tmp_path, monkeypatch):
    answers = tmp_path / "answers.txt"
    answers.write_text("1\n")
    for folder in (UNWRITABLE, UNWRITABLE + "/advisor", str(GOOD)):
        monkeypatch.setenv("ADVISOR_DATA_DIR", folder)
        result = run("drill", "--count", "1", "--seed", "1", "--answers", str(answers))
        assert_clean(result, f"drill with data folder {folder}")
        assert result.code == 2, result.stdout
        assert "drill database" in result.error_lines[0], result.error_lines


def test_class12_unwritable_questionnaire_folder_is_one_line_before_any_question(tmp_path, monkeypatch):
    from io import StringIO

    from rich.console import Console

    from advisor.cli.commands.consult import consult_interactively

    class NoTerminal:
        def streams(self, prompt):
            raise AssertionError("no question may be asked when answers can't be saved")

    for folder in (UNWRITABLE, UNWRITABLE + "/advisor", str(GOOD)):
        monkeypatch.setenv("ADVISOR_DATA_DIR", folder)
        with pytest.raises(AdvisorError) as error:
            consult_interactively(focus=None, answers=None, resume=False, fmt="json", output=None,
                                  terminal=NoTerminal(), console=Console(file=StringIO()))
        assert "saved answers" in error.value.render() or "save the answers" in error.value.render()
        assert "\n" not in error.value.render()


# --- class 13: smaller ones ---------------------------------------------------------------

def test_class13_reader_errors_are_one_line_with_a_line_number(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_bytes(b"name: x\nfacts:\n  ml_task: nlp\ndescription: \x1b]0;pwned\x07\n")
    result = run("consult", str(scenario))
    assert result.code == 2
    assert result.error_lines == [f"advisor: error: {scenario}:4: malformed YAML: character U+001B "
                                  "is not allowed in YAML text"]


def test_class13_the_size_limit_holds_for_files_that_report_size_0(monkeypatch):
    from advisor import yamlio

    status = yamlio.Path("/proc/self/status")
    assert status.stat().st_size == 0 and len(status.read_bytes()) > 200
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 200)
    with pytest.raises(AdvisorError, match="over the 200-byte limit"):
        yamlio.read_text_file(status, "a scenario YAML file")


def test_class13_a_fifo_or_device_in_the_rules_folder_is_an_error_not_a_hang(tmp_path, monkeypatch):
    from advisor.errors import KnowledgeError
    from advisor.knowledge.base import read_sources

    rules = _rules_copy(tmp_path)
    os.mkfifo(rules / "blocked.yaml")
    with pytest.raises(KnowledgeError, match="blocked.yaml: is not a regular file"):
        finishes(lambda: read_sources(rules))
    (rules / "blocked.yaml").unlink()
    (rules / "endless.yaml").symlink_to("/dev/zero")
    with pytest.raises(KnowledgeError, match="endless.yaml: is not a regular file"):
        finishes(lambda: read_sources(rules))


def test_class13_drill_answers_that_are_not_text_are_one_line(tmp_path):
    db = tmp_path / "d.sqlite3"
    binary = tmp_path / "answers.bin"
    binary.write_bytes(b"1\n\xff\xfe\x00\n")
    common = ["drill", "--count", "3", "--seed", "1", "--db", str(db), "--library", str(tmp_path)]
    for answers, stdin, message in [(str(binary), b"", f"{binary}:2: not UTF-8 text"),
                                    ("/dev/zero", b"", "/dev/zero:1: line is longer than"),
                                    ("-", b"1\n\xff\n", "<stdin>:2: not UTF-8 text"),
                                    ("-", b"\0" * 200_000, "<stdin>:1: line is longer than"),
                                    (str(tmp_path), b"", "is a directory")]:
        result = finishes(lambda answers=answers, stdin=stdin: run(*common, "--answers", answers, stdin=stdin))
        assert_clean(result, f"drill --answers {answers}")
        assert result.code == 2 and message in result.error_lines[0], result.error_lines


def test_class13_on_and_yes_keys_are_read_as_text(tmp_path):
    from advisor.yamlio import parse_yaml

    assert parse_yaml("on: push\nyes: 1\n1: one\n", "x").data == {"on": "push", "yes": 1, "1": "one"}
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: x\nfacts:\n  on: true\n", encoding="utf-8")
    result = run("consult", str(scenario))
    assert result.code == 2 and "unknown fact 'on'" in result.error_lines[0], result.stderr


def test_class13_merge_keys_cannot_hide_an_invalid_value(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: x\nfacts:\n  <<: {max_total_trials: -5}\n  ml_task: nlp\n", encoding="utf-8")
    result = run("evaluate", str(scenario), "--format", "json", "--jobs", "1")
    [entry] = strict_json(result.stdout)["results"]
    assert entry["error"] == f"{scenario}:3: merge keys (<<) are not allowed; write each key out"


def test_class13_drill_stats_on_a_missing_path_creates_nothing(tmp_path, monkeypatch):
    missing = tmp_path / "nothing.sqlite3"
    result = run("drill", "--stats", "--db", str(missing))
    assert result.code == 0 and "No drill answers yet" in result.stdout
    assert not missing.exists()
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    result = run("drill", "--stats")
    assert result.code == 0 and not (tmp_path / "data").exists()


# --- errors users can cause -----------------------------------------------------------------

def test_an_error_is_one_line_without_raw_control_characters(tmp_path):
    scenario = tmp_path / "bad\x1b]0;renamed\x07.yaml"
    scenario.write_text("name: x\nfacts:\n  'ml\\ttask\\e': nlp\n", encoding="utf-8")
    result = run("consult", str(scenario))
    assert result.code == 2
    [line] = result.error_lines
    assert "\x1b" not in line and "\x07" not in line
    assert line.startswith(f"advisor: error: {tmp_path}/bad\\x1b]0;renamed\\x07.yaml:3: unknown fact"), line
    assert AdvisorError("first\nsecond\r\nthird", where="f\x00").render() == "f\\x00: first second third"


def test_remembered_scalar_tags_are_the_resolvers_own():
    """yamlio keeps each plain scalar's resolved tag (a batch resolves the same texts again and
    again): read twice, every kind of scalar gets the value PyYAML's safe loader gives it."""
    import yaml

    from advisor.yamlio import parse_yaml

    scalars = ["true", "True", "yes", "no", "on", "off", "~", "null", "", "12", "0x1f", "0o17", "1_000",
               "3.5", "1e3", ".5", "2024-01-02", "2024-01-02 03:04:05", "text", "'quoted true'", '"12"',
               "-7", "+3", "0", "07", "1:30", "y", "n"]
    text = "".join(f"k{index}: {scalar}\n" for index, scalar in enumerate(scalars))
    expected = yaml.load(text, Loader=yaml.SafeLoader)  # the pure-Python loader: nothing kept
    assert parse_yaml(text, "first").data == expected
    assert parse_yaml(text, "again").data == expected


def test_the_scalar_tag_memo_keeps_short_texts_only():
    """yamlio remembers each plain scalar's resolved tag across the files of a batch; a long text
    (a hostile 1 MB value in each of thousands of files) is resolved afresh, never kept."""
    from advisor import yamlio

    long, short = "x" * (yamlio._RESOLVED_LONGEST + 1), "managed_online_endpoint"
    assert yamlio.parse_yaml(f"a: {long}\nb: {short}\n", "t.yaml").data == {"a": long, "b": short}
    kept = {key[1] for key in yamlio._Loader._resolved}
    assert short in kept and long not in kept


def test_the_scalar_value_memo_keeps_checked_short_values_only():
    """yamlio remembers the value of each short plain int/float/bool/null text across the files of
    a batch; a value refused (.nan) is refused again in the next file, with that file's line, and
    a long text is never kept."""
    from advisor import yamlio
    from advisor.errors import AdvisorError

    digits = "9" * (yamlio._RESOLVED_LONGEST + 1)
    text = f"a: 12\nb: true\nc: {digits}\nd: .nan\n"
    for where in ("first.yaml", "again.yaml"):
        with pytest.raises(AdvisorError) as caught:
            yamlio.parse_yaml(text, where)
        assert (caught.value.where, caught.value.line) == (where, 4)
    assert yamlio.parse_yaml("a: 12\nb: true\nc: ~\n", "t.yaml").data == {"a": 12, "b": True, "c": None}
    kept = {text for _, text in yamlio._CONSTRUCTED}
    assert {"12", "true", "~"} <= kept and ".nan" not in kept and digits not in kept


def test_the_loader_has_no_path_resolvers_and_reads_nested_documents_as_pyyaml():
    """yamlio's loader answers the composer's descend/ascend calls with builtins that do nothing,
    which holds only while no path resolver is registered (none is); nested values still read as
    PyYAML's own safe loader reads them."""
    import yaml

    from advisor import yamlio

    assert not yamlio._Loader.yaml_path_resolvers
    text = "a:\n  b: [1, {c: true, d: [x, 2.5]}]\n  e:\n    - f: null\n      g: [[h]]\nk: v\n"
    assert yamlio.parse_yaml(text, "nested.yaml").data == yaml.load(text, Loader=yaml.SafeLoader)
