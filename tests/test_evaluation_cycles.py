"""A serial `evaluate` pauses the cyclic garbage collector for the whole batch
(advisor/evaluation/runner.py): that is safe only because evaluating a file, whatever its
outcome, leaves no garbage in a reference cycle for the collector to find."""

from __future__ import annotations

import gc
from pathlib import Path

from conftest import collect_all_garbage

from advisor.engine import get_advisor
from advisor.evaluation import runner
from advisor.evaluation.collect import collect

PASSING = """name: passes
facts:
  data_format: tabular
  dataset_size: small
expect:
  fires: [{fired}]
"""
FAILING = """name: fails
facts:
  data_format: tabular
expect:
  fires: [{unfired}]
  does_not_fire: [{fired}]
"""
BROKEN = {
    "malformed.yaml": "name: [unclosed\n",
    "unknown-fact.yaml": "name: x\nfacts:\n  no_such_fact: 1\n",
    "bad-value.yaml": "name: x\nfacts:\n  data_format: nonsense\n",
    "alias.yaml": "a: &x [1]\nb: *x\n",
}


def _files(folder: Path) -> list[str]:
    advisor = get_advisor()
    fired = sorted(advisor.consult({"data_format": "tabular", "dataset_size": "small"}).fired_ids())
    unfired = next(r.id for r in advisor.knowledge.rules if r.id not in fired)
    texts = {"passing.yaml": PASSING.format(fired=fired[0]),
             "failing.yaml": FAILING.format(fired=fired[0], unfired=unfired), **BROKEN}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return collect([str(folder)]).files


def test_a_serial_batch_leaves_no_cycles_and_restores_the_collector(tmp_path):
    files = _files(tmp_path)
    list(runner._serially(files, get_advisor()))  # once before: caches filled now, not below
    collect_all_garbage()  # what earlier tests left, freed now: not blamed on the batch
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        batch = runner._serially(files, get_advisor())
        results = [next(batch)]
        assert not gc.isenabled()  # paused while the batch runs
        results += list(batch)
        assert gc.isenabled()  # and on again once it ends
        statuses = sorted(r.status for r in results)
        assert statuses == ["error"] * len(BROKEN) + ["failed", "passed"], results
        gc.disable()
        assert gc.collect() == 0  # nothing the paused collector would have freed
    finally:
        gc.enable() if was_enabled else gc.disable()
