"""`advisor explain SCENARIO`: certainty, what would change each recommendation, why not, what if."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from advisor.cli import framework as cli
from advisor.cli.options import format_option, output_option
from advisor.presentation.formats import Format


def build_explanation(scenario_path: Path, why_not: list[str], what_if: list[str],
                      flips: bool) -> tuple[dict, list]:
    """Parse the options, then run the explanations: (scenario meta, [(kind, result), ...])."""
    from advisor.cli.assignments import parse_conclusion, parse_input_fact
    from advisor.engine import get_advisor
    from advisor.explain import explain_certainty, find_flips, why_not_rule
    from advisor.explain import what_if as run_what_if
    from advisor.explain import why_not as run_why_not
    from advisor.scenarios import load_scenario

    advisor = get_advisor()
    knowledge = advisor.knowledge
    scenario = load_scenario(scenario_path, knowledge)
    # Parse every option before running anything, so a typo fails fast.
    asked = [parse_conclusion(text, knowledge.vocabulary, "--why-not") for text in why_not if "=" in text]
    asked_rules = [_rule_id(text, knowledge) for text in why_not if "=" not in text]
    changes = dict(parse_input_fact(text, knowledge.vocabulary, "--what-if") for text in what_if)
    baseline = advisor.consult(scenario.facts)
    meta = {"name": scenario.name, "file": str(scenario_path)}
    parts: list = []
    parts += [("why_not", run_why_not(baseline, knowledge, name, value)) for name, value in asked]
    parts += [("why_not_rule", why_not_rule(baseline, knowledge, rule_id)) for rule_id in asked_rules]
    if changes:
        parts.append(("what_if", run_what_if(advisor, scenario.facts, changes, baseline)))
    if not asked and not asked_rules and not changes:
        all_flips = find_flips(advisor, scenario.facts, baseline) if flips else []
        for rec in baseline.recommendations:
            certainty = explain_certainty(baseline, knowledge, rec.decision, rec.choice)
            mine = [f for f in all_flips if f.decision == rec.decision]
            parts.append(("recommendation", (rec, certainty, mine)))
    return meta, parts


def _rule_id(text: str, knowledge) -> str:
    import difflib

    from advisor.errors import AdvisorError

    if knowledge.rule(text) is None:
        close = difflib.get_close_matches(text, [r.id for r in knowledge.rules], n=2)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise AdvisorError(f"--why-not takes DECISION=CHOICE or a rule id; {text!r} is neither{hint}")
    return text


def register(app: cli.App) -> None:
    @app.command()
    def explain(
        scenario: Path = cli.Argument(..., metavar="SCENARIO", help="A scenario YAML file."),
        why_not: list[str] = cli.Option([], "--why-not", metavar="DECISION=CHOICE",
                                          help="Why wasn't this choice recommended (or this rule fired)? Repeatable."),
        what_if: list[str] = cli.Option([], "--what-if", metavar="FACT=VALUE",
                                          help="Re-run with this fact changed (FACT= forgets it). "
                                               "Repeatable: all changes apply together."),
        flips: bool = cli.Option(True, "--flips/--no-flips",
                                   help="Search the single-fact changes that would change each recommendation."),
        format: Optional[Format] = format_option("explain"),
        output: Optional[Path] = output_option("the explanation"),
    ) -> None:
        """Explain a consultation: certainty of each recommendation, what would change it, why not, what if."""
        from advisor.cli.options import chosen_format
        from advisor.cli.output import emit
        from advisor.knowledge import load_knowledge
        from advisor.presentation.explanation import Explanation

        fmt = chosen_format("explain", format, output)
        meta, parts = build_explanation(scenario, why_not, what_if, flips)
        emit(Explanation(meta, parts, flips, load_knowledge().vocabulary), fmt, output)
