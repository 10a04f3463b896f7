"""Every content unit of the study guide is cited by a rule, and drills can reach each one."""

from __future__ import annotations

import io
import json
import random
from contextlib import redirect_stdout

from advisor.cli.app import main
from advisor.drill.generator import ScenarioGenerator
from advisor.drill.questions import usable_decisions
from advisor.knowledge.citations import unit_coverage


def _cli_json(*args: str) -> tuple[int, dict]:
    out = io.StringIO()
    code = 0
    with redirect_stdout(out):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, json.loads(out.getvalue())


def test_every_content_unit_is_cited_by_a_rule(knowledge):
    coverage = unit_coverage(knowledge)
    assert len(coverage.units) == len(knowledge.guide.content_units) >= 58
    assert [u.title for u in coverage.uncited] == []
    code, report = _cli_json("rules", "coverage", "--units", "--format", "json")
    assert code == 0
    assert report["summary"] == {"content_units": len(coverage.units), "cited": len(coverage.units), "uncited": 0}
    kinds = {u.kind for u in knowledge.guide.units}
    assert kinds == {"content", "introduction", "exercise"}  # introductions and exercises need no rule


def test_units_no_rule_cites_are_listed_with_exit_1(tmp_path, monkeypatch):
    import shutil

    from conftest import ROOT

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    for name in ("assets.yaml", "assets.examples.yaml"):
        (rules / name).unlink()
    monkeypatch.setenv("ADVISOR_RULES_DIR", str(rules))
    monkeypatch.setenv("ADVISOR_NO_CACHE", "1")
    from advisor.knowledge import load_knowledge

    load_knowledge.cache_clear()
    try:
        out = io.StringIO()
        with redirect_stdout(out):
            try:
                main(["rules", "coverage", "--units"])
                code = 0
            except SystemExit as exc:
                code = exc.code
    finally:
        load_knowledge.cache_clear()
    text = out.getvalue()
    assert code == 1
    assert "workspace: Explore the studio  https://" in text
    assert "content units of the study guide are cited by a rule" in text


def test_drills_reach_every_content_unit(knowledge, advisor):
    """For each unit, the drill generator makes a scenario in which a rule citing it fires and
    some decision can be asked: the unit's rule appears in the derivation or the feedback."""
    generator = ScenarioGenerator(knowledge)
    unreached = []
    for unit in knowledge.guide.content_units:
        rules = [r for r in knowledge.rules if r.source == unit.url]
        reached = False
        for rule in rules:
            for seed in range(8):
                facts = generator.facts_for(rule, random.Random(seed))
                if facts is None:
                    continue
                consultation = advisor.consult(facts)
                if rule.id in consultation.fired_ids() and usable_decisions(consultation, knowledge):
                    reached = True
                    break
            if reached:
                break
        if not reached:
            unreached.append(unit.title)
    assert unreached == []
