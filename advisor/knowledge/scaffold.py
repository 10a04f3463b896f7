"""`advisor rules new AREA.NAME`: a rule skeleton and its examples, written beside each other.

Like ruff's scripts/add_rule.py: the skeleton is appended to rules/AREA.yaml (created if the
area is new) and its examples to rules/AREA.examples.yaml. Its TODO placeholders name no
real fact, decision or unit, so the knowledge base refuses to load (naming the file and the
rule) until they are filled in; `advisor rules lint` then checks the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from advisor.errors import AdvisorError
from advisor.knowledge.base import examples_file
from advisor.yamlio import parse_yaml

PLACEHOLDER = "TODO"


@dataclass(frozen=True)
class Scaffold:
    rule_id: str
    rule_file: Path
    examples_file: Path
    new_area: bool

    def next_steps(self) -> list[str]:
        """What else to do, in order (docs/adding-a-rule.md explains each step)."""
        rules = self.rule_file.parent
        return [
            f"fill in every {PLACEHOLDER} in {self.rule_file} (rule {self.rule_id}) and in {self.examples_file} "
            "(a `fires` example and a near-miss `does_not_fire` one); new facts or decisions go in "
            f"{rules / 'vocabulary.yaml'}",
            f"uv run advisor rules show {self.rule_id}",
            "uv run advisor rules lint",
            f"uv run pytest tests/test_rule_examples.py -q -k {self.rule_id}",
            "add a scenario under scenarios/<section>/ whose `expect: fires:` lists the rule, then "
            "uv run advisor schema -o scenarios/scenario.schema.json (the schema lists rule ids)",
            "uv run advisor rules coverage scenarios --min 100 && uv run advisor rules coverage --units",
        ]


def rule_skeleton(rule_id: str, section: str | None) -> str:
    section_text = section or f"{PLACEHOLDER}  # design, workspace, experiment, optimize, manage or deploy"
    return (
        f"  - id: {rule_id}\n"
        f"    title: {PLACEHOLDER} what the rule decides, in a few words\n"
        f"    section: {section_text}\n"
        f"    # input facts, derived facts or decisions from vocabulary.yaml (see docs/adding-a-rule.md)\n"
        f"    when: {{{PLACEHOLDER}_fact: {PLACEHOLDER}_value}}\n"
        f"    # exactly one of: recommend {{decision: choice}}, conclude {{derived_fact: value}}, warn \"message\"\n"
        f"    then: {{recommend: {{{PLACEHOLDER}_decision: {PLACEHOLDER}_choice}}}}\n"
        f"    priority: 0\n"
        f"    strength: 0.8\n"
        f"    because: {PLACEHOLDER} the guide's reason, in plain words\n"
        f"    source: {PLACEHOLDER}  # the study guide unit's URL, as listed in guide.yaml\n"
    )


def examples_skeleton(rule_id: str) -> str:
    return (
        f"{rule_id}:\n"
        f"  fires:\n"
        f"    - {{{PLACEHOLDER}_fact: {PLACEHOLDER}_value}}\n"
        f"  does_not_fire:\n"
        f"    # a near miss: the positive example with one fact changed or removed\n"
        f"    - {{{PLACEHOLDER}_fact: {PLACEHOLDER}_other_value}}\n"
    )


def new_rule(rules_dir: Path, rule_id: str, section: str | None = None) -> Scaffold:
    """Append a rule skeleton and its examples skeleton; refuse an id that exists or is malformed."""
    from advisor.knowledge.validation import RULE_ID

    if not RULE_ID.match(rule_id):
        raise AdvisorError(f"bad rule id {rule_id!r}: ids look like area.short-name "
                           "(lower case, e.g. compute.gpu-for-deep-learning)")
    if not rules_dir.is_dir():
        raise AdvisorError("the rules folder does not exist", where=str(rules_dir))
    area = rule_id.split(".")[0]
    rule_path = rules_dir / f"{area}.yaml"
    examples_path = rules_dir / examples_file(rule_path.name)
    if area in ("guide", "vocabulary"):
        raise AdvisorError(f"{area!r} is not a rule area: it names a special knowledge file")
    for path in (rule_path, examples_path):
        if path.exists() and (path.is_symlink() or not path.is_file()):
            raise AdvisorError("not a regular file", where=str(path))
    new_area = not rule_path.exists()
    rule_text = rule_path.read_text(encoding="utf-8") if not new_area else (
        f"title: {PLACEHOLDER} what the rules of area {area} decide\nrules:\n")
    examples_text = examples_path.read_text(encoding="utf-8") if examples_path.exists() else (
        f"# Positive (fires) and near-miss negative (does_not_fire) examples for rules/{rule_path.name}.\n")
    _refuse_existing(rule_id, rule_path, rule_text, examples_path, examples_text)
    new_rules = _append(rule_text, rule_skeleton(rule_id, section))
    new_examples = _append(examples_text, examples_skeleton(rule_id))
    written = parse_yaml(new_rules, str(rule_path)).data["rules"]
    if not any(isinstance(r, dict) and r.get("id") == rule_id for r in written):
        raise AdvisorError("the `rules:` list is not the file's last block; add the rule by hand",
                           where=str(rule_path))
    rule_path.write_text(new_rules, encoding="utf-8")
    examples_path.write_text(new_examples, encoding="utf-8")
    return Scaffold(rule_id, rule_path, examples_path, new_area)


def _append(text: str, block: str) -> str:
    if text and not text.endswith("\n"):
        text += "\n"
    return text + ("\n" if text.strip() and not text.endswith("rules:\n") else "") + block


def _refuse_existing(rule_id: str, rule_path: Path, rule_text: str, examples_path: Path, examples_text: str) -> None:
    rules = parse_yaml(rule_text, str(rule_path)).data
    if not isinstance(rules, dict) or not isinstance(rules.get("rules") or [], list) or list(rules)[-1] != "rules":
        raise AdvisorError("expected `title:` and then a `rules:` list to append to", where=str(rule_path))
    if any(isinstance(r, dict) and r.get("id") == rule_id for r in rules["rules"] or []):
        raise AdvisorError(f"rule {rule_id} already exists; see `advisor rules show {rule_id}`", where=str(rule_path))
    examples = parse_yaml(examples_text, str(examples_path)).data
    if isinstance(examples, dict) and rule_id in examples:
        raise AdvisorError(f"{rule_id} already has examples", where=str(examples_path))
