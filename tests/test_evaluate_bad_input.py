"""Bad input to `advisor evaluate`: each gives one clear error line and leaves the batch untouched."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest

GOOD = """\
name: Good scenario
facts:
  data_format: unstructured
expect:
  decisions:
    processor: gpu
"""

# A billion laughs: nine levels of nine aliases (9^9 items if anything ever expanded it).
ALIAS_BOMB = "name: bomb\nfacts: {}\n" + "\n".join(
    [f'a: &a [{", ".join(["lol"] * 9)}]']
    + [f"{c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]) + "\n"
BIG = "name: big\nfacts: {}\n" + "# padding\n" * (1024 * 1024 // 10)


def _file(name: str, content: str | bytes):
    def make(folder: Path) -> list[str]:
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return []
    return make


def _symlink_loop(folder: Path) -> list[str]:
    os.symlink("loop.yaml", folder / "loop.yaml")
    return []


def _symlink_loop_named(folder: Path) -> list[str]:
    os.symlink("loop.yaml", folder / "loop.yaml")
    return [str(folder / "loop.yaml")]


def _folder_symlink_loop(folder: Path) -> list[str]:
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "again")
    return []


def _broken_symlink(folder: Path) -> list[str]:
    os.symlink("gone.yaml", folder / "dangling.yaml")
    return []


def _fifo(folder: Path) -> list[str]:
    os.mkfifo(folder / "pipe.yaml")  # reading it would block forever
    return []


def _empty_folder(folder: Path) -> list[str]:
    (folder / "empty").mkdir()
    (folder / "empty" / "notes.txt").write_text("no scenarios here", encoding="utf-8")
    return [str(folder / "empty")]


def _missing_path(folder: Path) -> list[str]:
    return [str(folder / "missing.yaml")]


# case id -> (make the bad input, returning extra paths to pass; the path reported; the error after "path")
CASES = {
    "malformed-yaml": (_file("bad.yaml", "name: x\nfacts: {ml_task: [}\n"), "bad.yaml",
                       ":2: malformed YAML: "),
    "list-at-top": (_file("bad.yaml", "- name: x\n- facts: {}\n"), "bad.yaml",
                    ":1: top level is a list; expected a mapping with name and facts"),
    "scalar-at-top": (_file("bad.yaml", "just some words\n"), "bad.yaml",
                      ":1: top level is a string; expected a mapping with name and facts"),
    "unknown-key": (_file("bad.yaml", "name: x\nfacts: {}\ncolour: blue\n"), "bad.yaml",
                    ":3: unknown key 'colour' (allowed: name, description, facts, expect)"),
    "unknown-expect-key": (_file("bad.yaml", "name: x\nfacts: {}\nexpect:\n  decision: {}\n"), "bad.yaml",
                           ":4: unknown key 'expect.decision'"),
    "missing-facts": (_file("bad.yaml", "name: x\n"), "bad.yaml", ":1: missing required key 'facts'"),
    "unknown-fact": (_file("bad.yaml", "name: x\nfacts:\n  data_fromat: tabular\n"), "bad.yaml",
                     ":3: unknown fact 'data_fromat'; did you mean data_format"),
    "unknown-value": (_file("bad.yaml", "name: x\nfacts:\n  data_format: holographic\n"), "bad.yaml",
                      ":3: facts.data_format: 'holographic' is not one of "),
    "unknown-decision-choice": (_file("bad.yaml", GOOD.replace("processor: gpu", "processor: tpu")), "bad.yaml",
                                ":6: expect.decisions.processor: unknown choice 'tpu' (allowed: cpu, gpu)"),
    "unknown-rule": (_file("bad.yaml", "name: x\nfacts: {}\nexpect:\n  fires: [compute.no-such-rule]\n"),
                     "bad.yaml", ":4: expect.fires: unknown rule 'compute.no-such-rule'"),
    "wrong-type-bool": (_file("bad.yaml", "name: x\nfacts:\n  python_preferred: 'yes please'\n"), "bad.yaml",
                        ":3: facts.python_preferred: 'yes please' is not true or false"),
    "wrong-type-name": (_file("bad.yaml", "name: 42\nfacts: {}\n"), "bad.yaml",
                        ":1: name: expected text, not a number"),
    "wrong-type-facts": (_file("bad.yaml", "name: x\nfacts: [data_format]\n"), "bad.yaml",
                         ":2: facts: expected a mapping of fact names to values, not a list"),
    "number-out-of-range": (_file("bad.yaml", "name: x\nfacts:\n  notebook_users: -3\n"), "bad.yaml",
                            ":3: facts.notebook_users: -3 is out of range"),
    "duplicate-keys": (_file("bad.yaml", "name: x\nfacts:\n  data_format: tabular\n  data_format: unstructured\n"),
                       "bad.yaml", ":4: duplicate key 'data_format' (first on line 3)"),
    "not-utf8": (_file("bad.yaml", b"name: caf\xe9\nfacts: {}\n"), "bad.yaml",
                 ":1: not UTF-8 text (byte 9 is invalid)"),
    "empty-file": (_file("bad.yaml", ""), "bad.yaml", ": file is empty; expected a mapping with name and facts"),
    "blank-file": (_file("bad.yml", "\n   \n# only a comment\n"), "bad.yml",
                   ":1: top level is empty; expected a mapping with name and facts"),
    "over-1-mib": (_file("bad.yaml", BIG), "bad.yaml",
                   f": file is {len(BIG)} bytes, over the 1048576-byte limit"),
    "alias-bomb": (_file("bad.yaml", ALIAS_BOMB), "bad.yaml", ":4: aliases (*name) are not allowed"),
    "nested-too-deep": (_file("bad.yaml", "name: x\nfacts: " + "[" * 5000 + "]" * 5000 + "\n"), "bad.yaml",
                        ":2: malformed YAML: "),
    "list-for-single-choice": (_file("bad.yaml", GOOD.replace("processor: gpu", "processor: [gpu]")), "bad.yaml",
                               ":6: expect.decisions.processor: processor takes a single choice, not a list"),
    "symlink-loop-in-folder": (_symlink_loop, "loop.yaml", ": symlink loop (the link leads back to itself)"),
    "symlink-loop-named": (_symlink_loop_named, "loop.yaml", ": symlink loop (the link leads back to itself)"),
    "folder-symlink-loop": (_folder_symlink_loop, "sub/again", ": symlink loop: leads back to "),
    "broken-symlink": (_broken_symlink, "dangling.yaml",
                       ": broken symlink (points to gone.yaml, which does not exist)"),
    "fifo": (_fifo, "pipe.yaml", ": not a regular file"),
    "folder-without-scenarios": (_empty_folder, "empty", ": no scenario files (*.yaml, *.yml) in this directory"),
    "missing-path": (_missing_path, "missing.yaml", ": no such file or directory"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_error_and_the_batch_goes_on(cli, tmp_path, case):
    make, reported, message = CASES[case]
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a-good.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "z-good.yaml").write_text(GOOD.replace("Good scenario", "Another good one"), encoding="utf-8")
    extra = make(folder)

    proc = cli("evaluate", str(folder), *extra, "--format", "json")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == ""  # no traceback, no noise: the error is in the report
    report = json.loads(proc.stdout)
    results = {r["file"]: r for r in report["results"]}
    bad = str(folder / reported)
    assert results[bad]["status"] == "error"
    assert results[bad]["error"].startswith(bad + message), results[bad]["error"]
    assert "\n" not in results[bad]["error"]
    assert [r["status"] for f, r in results.items() if f != bad] == ["passed", "passed"]
    assert report["summary"] == {"total": 3, "passed": 2, "failed": 0, "errors": 1}



def test_all_bad_inputs_in_one_batch(cli, cli_process, tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    extra: list[str] = []
    for number, (make, _, _) in enumerate(CASES.values()):
        case_folder = folder / f"case-{number:02d}"
        case_folder.mkdir()
        extra += make(case_folder)
    proc = cli_process("evaluate", str(folder), *extra, "--format", "json", "--jobs", "2")  # forked workers
    assert proc.returncode == 2
    report = json.loads(proc.stdout)
    assert report["summary"] == {"total": len(CASES) + 1, "passed": 1, "failed": 0, "errors": len(CASES)}
    assert report["results"][-1] == {"file": str(folder / "good.yaml"), "name": "Good scenario",
                                     "status": "passed", "checks": 1, "mismatches": [], "error": None}

    table = cli("evaluate", str(folder), *extra)
    assert table.returncode == 2
    lines = table.stdout.splitlines()
    assert [line for line in lines if line.startswith("ERROR   ")] == [
        f"ERROR   {r['error']}" for r in report["results"] if r["status"] == "error"]
    assert lines[-1] == f"{len(CASES) + 1} scenarios, 1 passed, 0 failed, {len(CASES)} errors"


def test_alias_bomb_is_refused_without_expanding_it(tmp_path, knowledge):
    from advisor.errors import ScenarioError
    from advisor.scenarios import load_scenario

    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    tracemalloc.start()
    try:
        with pytest.raises(ScenarioError, match="aliases"):
            load_scenario(path, knowledge)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024  # expanded, it would be 9**9 list items
