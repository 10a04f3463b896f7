"""Every rule's examples, kept beside it in rules/<area>.examples.yaml, run on the real engine.

Like Semgrep's annotated rule tests: the loader pairs each rule file with its examples file
and validates the facts; here each `fires` example must make its rule fire and each
`does_not_fire` near miss must state a fact the rule depends on and leave it silent.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import ONE_AREA, RuleBase

from advisor.cli.app import main
from advisor.errors import KnowledgeError
from advisor.explain.whynot import condition_failure
from advisor.knowledge import load_knowledge
from advisor.knowledge.base import load_from
from advisor.knowledge.rules import Example, Rule
from advisor.lint import lint_rules

ROOT = Path(__file__).resolve().parents[1]

EXPECTATIONS = ("fires", "does_not_fire")


@dataclass(frozen=True)
class Case:
    rule: Rule
    expectation: str
    index: int
    example: Example

    @property
    def where(self) -> str:
        return f"rules/{self.rule.examples.file}:{self.example.line}"


def _cases(rule: Rule) -> list[Case]:
    return [Case(rule, expectation, index, example) for expectation in EXPECTATIONS
            for index, example in enumerate(getattr(rule.examples, expectation))]


# One test per rule, running each of its examples (1,159 examples of 430 rules): a test per
# example cost more in pytest's and xdist's bookkeeping (~2 ms a test) than its engine run.
RULES = [rule for rule in load_knowledge().rules if _cases(rule)]


def _input_facts_behind(names: frozenset[str], knowledge: Any, seen: frozenset[str] = frozenset()) -> Iterator[str]:
    """Input facts a condition reading `names` depends on, through the rules producing derived
    facts and decisions."""
    for name in names:
        spec = knowledge.vocabulary.fact(name)
        if spec is not None and not spec.derived:
            yield name
            continue
        for producer in knowledge.producers(name):
            if producer.id not in seen:
                yield from _input_facts_behind(producer.reads, knowledge, seen | {producer.id})


def _example_failure(case: Case, knowledge: Any, advisor: Any) -> str | None:
    """Why the example does not hold (None when it does)."""
    rule, facts = case.rule, dict(case.example.facts)
    consultation = advisor.consult(facts)

    if case.expectation == "fires":
        if rule.id not in consultation.fired_ids():
            failure = condition_failure(consultation, knowledge, rule)
            reason = (failure.text if failure is not None
                      else "its condition holds on the final values, yet the engine did not fire it")
            return (f"{case.where}: {rule.id} should fire on {facts} but did not: {reason} "
                    f"(known after the run: {consultation.values})")
        return None

    depends_on = set(_input_facts_behind(rule.reads, knowledge))
    if not depends_on & facts.keys():
        return (f"{case.where}: this negative example of {rule.id} states none of the facts the rule depends "
                f"on ({', '.join(sorted(depends_on))}); make it a near miss of a positive example")
    firing = next((f for f in consultation.fired if f.rule_id == rule.id), None)
    if firing is not None:
        return (f"{case.where}: {rule.id} should not fire on {facts} but did, matching "
                + ", ".join(f"{e.name}={e.value} (from {e.origin})" for e in firing.matched))
    return None


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_examples(rule: Rule, knowledge: Any, advisor: Any) -> None:
    """Each `fires` example fires the rule; each `does_not_fire` one states a fact the rule
    depends on and leaves it silent. Every failing example is listed, with its file and line."""
    failures = [failure for case in _cases(rule) if (failure := _example_failure(case, knowledge, advisor))]
    assert not failures, "\n".join(failures)


def test_every_shipped_rule_has_a_positive_and_a_negative_example(knowledge: Any) -> None:
    missing = [f"{rule.id} (rules/{rule.file}): no `{expectation}` example in "
               f"rules/{rule.file.removesuffix('.yaml')}.examples.yaml"
               for rule in knowledge.rules for expectation in EXPECTATIONS
               if not getattr(rule.examples, expectation)]
    assert not missing, f"{len(missing)} missing rule example(s):\n" + "\n".join(missing)


# --- the loader pairs and validates examples files --------------------------------------

def _copy_rules(tmp_path: Path) -> Path:
    directory = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", directory)
    return directory


def _one_area(tmp_path: Path) -> Path:
    """The guide, the vocabulary and the sweep area alone: what the loader says of sweep's files
    does not depend on the other areas, and it loads in a fifth of the time."""
    return RuleBase(tmp_path / "rules", also=ONE_AREA).path


@pytest.mark.parametrize(("text", "message"), [
    ("sweep.no-such-rule:\n  fires:\n    - {reproducible_results: true}\n",
     "sweep.examples.yaml rule sweep.no-such-rule:1: no rule 'sweep.no-such-rule' in sweep.yaml"),
    ("sweep.sobol-for-reproducibility:\n  fires:\n    - {reproducible: true}\n",
     "sweep.examples.yaml rule sweep.sobol-for-reproducibility:3: example fact 'reproducible' is not in "
     "vocabulary.yaml (did you mean reproducible_results?)"),
    ("sweep.sobol-for-reproducibility:\n  fires:\n    - {search_space: discrete}\n",
     "example fact 'search_space' is derived"),
    ("sweep.sobol-for-reproducibility:\n  fires:\n    - {sampling: sobol}\n", "is a decision"),
    ("sweep.sobol-for-reproducibility:\n  fires:\n    - {reproducible_results: maybe}\n",
     "example fact reproducible_results: 'maybe' is not true or false"),
    ("sweep.sobol-for-reproducibility:\n  fire:\n    - {reproducible_results: true}\n",
     "unknown key 'fire' (allowed: fires, does_not_fire)"),
    ("sweep.sobol-for-reproducibility:\n  fires: {reproducible_results: true}\n", "fires must be a list"),
    ("- sweep.sobol-for-reproducibility\n", "must map rule ids of sweep.yaml to their examples"),
])
def test_bad_examples_fail_to_load_naming_file_rule_and_line(tmp_path, text, message):
    directory = _one_area(tmp_path)
    (directory / "sweep.examples.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as excinfo:
        load_from(directory)
    assert message in excinfo.value.render()


def test_an_examples_file_needs_its_rule_file(tmp_path):
    directory = _one_area(tmp_path)
    shutil.copy(directory / "sweep.examples.yaml", directory / "sweeps.examples.yaml")
    with pytest.raises(KnowledgeError, match="no rule file sweeps.yaml to pair these examples with"):
        load_from(directory)


def test_a_rule_without_examples_loads_and_lint_names_it(tmp_path):
    directory = _copy_rules(tmp_path)
    (directory / "workspace.examples.yaml").unlink()
    knowledge = load_from(directory)
    assert not any(r.examples for r in knowledge.rules if r.area == "workspace")
    report = lint_rules(directory)
    missing = {f.rules[0] for f in report.findings if f.check == "no-example"}
    assert missing == {r.id for r in knowledge.rules if r.area == "workspace"}
    assert report.exit_code == 1


# --- `advisor rules new` and `advisor rules show` ---------------------------------------

def _run(*args: str) -> tuple[int, str, str]:
    """The real CLI, in-process."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


FILLED_RULE = {
    "TODO what the rules of area demo decide": "Demo rules",
    "TODO what the rule decides, in a few words": "Reproducible sweeps use Sobol sampling",
    "TODO  # design, workspace, experiment, optimize, manage or deploy": "optimize",
    "{TODO_fact: TODO_value}": "{reproducible_results: true}",
    "{recommend: {TODO_decision: TODO_choice}}": "{recommend: {sampling: sobol}}",
    # a priority above a rival's carries the sentence that ranks it (rules lint: unsourced-ranking)
    "priority: 0\n    strength: 0.8\n    because: TODO": (
        "priority: 10\n    ranked_by: {quote: 'Sobol is a type of random sampling that allows you to use a seed.', "
        "url: 'https://learn.microsoft.com/en-gb/training/modules/perform-hyperparameter-tuning-azure-machine-"
        "learning-pipelines/3-configure-sampling-method'}\n    strength: 0.8\n    because: TODO"),
    "TODO the guide's reason, in plain words": "Sobol adds a seed to random sampling, so results are reproducible.",
    "TODO  # the study guide unit's URL, as listed in guide.yaml": (
        "https://learn.microsoft.com/en-gb/training/modules/perform-hyperparameter-tuning-azure-machine-"
        "learning-pipelines/3-configure-sampling-method"),
}
FILLED_EXAMPLES = {"{TODO_fact: TODO_value}": "{reproducible_results: true}",
                   "{TODO_fact: TODO_other_value}": "{reproducible_results: false}"}


def _fill(path: Path, replacements: dict[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_rules_new_writes_a_skeleton_that_lints_clean_once_filled_in(tmp_path):
    directory = _copy_rules(tmp_path)
    code, out, err = _run("rules", "new", "demo.sobol-again", "--rules-dir", str(directory))
    assert code == 0, err
    assert "wrote new area rule demo.sobol-again" in out and "advisor rules lint" in out
    assert "advisor schema -o scenarios/scenario.schema.json" in out
    # Unfilled, the knowledge base refuses it, naming the file and the rule.
    with pytest.raises(KnowledgeError, match="demo.yaml rule demo.sobol-again"):
        load_from(directory)
    assert lint_rules(directory).exit_code == 2

    _fill(directory / "demo.yaml", FILLED_RULE)
    _fill(directory / "demo.examples.yaml", FILLED_EXAMPLES)
    report = lint_rules(directory)
    assert report.findings == (), [f.message for f in report.findings]
    rule = load_from(directory).rule("demo.sobol-again")
    assert [dict(e.facts) for e in rule.examples.fires] == [{"reproducible_results": True}]
    assert [dict(e.facts) for e in rule.examples.does_not_fire] == [{"reproducible_results": False}]


def test_rules_new_in_an_existing_area_and_its_leftover_todos(tmp_path):
    directory = _copy_rules(tmp_path)
    code, _, err = _run("rules", "new", "sweep.sobol-again", "--section", "optimize", "--rules-dir", str(directory))
    assert code == 0, err
    _fill(directory / "sweep.yaml", {k: v for k, v in FILLED_RULE.items() if "reason" not in k})
    _fill(directory / "sweep.examples.yaml", FILLED_EXAMPLES)
    report = lint_rules(directory)
    assert [(f.check, f.rules) for f in report.findings] == [("placeholder", ("sweep.sobol-again",))]
    assert "fill in the TODO in because" in report.findings[0].message


@pytest.mark.parametrize(("rule_id", "message"), [
    ("sweep.sobol-for-reproducibility", "rule sweep.sobol-for-reproducibility already exists"),
    ("Sweep Thing", "bad rule id"),
    ("vocabulary.x", "not a rule area"),
])
def test_rules_new_refuses_with_one_line(tmp_path, rule_id, message):
    directory = _one_area(tmp_path)
    before = (directory / "sweep.yaml").read_text(encoding="utf-8")
    code, out, err = _run("rules", "new", rule_id, "--rules-dir", str(directory))
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert (directory / "sweep.yaml").read_text(encoding="utf-8") == before


def test_rules_show_prints_the_examples():
    code, out, _ = _run("rules", "show", "sweep.sobol-for-reproducibility")
    assert code == 0
    examples = out[out.index("Examples"):]
    assert "rules/sweep.examples.yaml" in examples
    assert "{reproducible_results: true, hyperparameter_expressions: [choice, uniform]}" in examples
    assert examples.index("Fires on") < examples.index("{reproducible_results: false")
