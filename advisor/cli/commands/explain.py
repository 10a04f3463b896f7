"""`advisor explain SCENARIO`: certainty, what would change each recommendation, why not, what if."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer


class ExplainFormat(str, Enum):
    text = "text"
    json = "json"


def build_explanation(scenario_path: Path, why_not: list[str], what_if: list[str],
                      flips: bool) -> tuple[dict, list]:
    """Run the explanations; returns (JSON data, renderable parts for the terminal)."""
    from advisor.engine import get_advisor
    from advisor.explain import explain_certainty, find_flips, why_not_rule
    from advisor.explain import what_if as run_what_if
    from advisor.explain import why_not as run_why_not
    from advisor.explain.render import as_data
    from advisor.explain.values import parse_conclusion, parse_input_fact
    from advisor.scenarios import load_scenario

    advisor = get_advisor()
    knowledge = advisor.knowledge
    scenario = load_scenario(scenario_path, knowledge)
    # Parse every option before running anything, so a typo fails fast.
    asked = [parse_conclusion(text, knowledge.vocabulary, "--why-not") for text in why_not if "=" in text]
    asked_rules = [_rule_id(text, knowledge) for text in why_not if "=" not in text]
    changes = dict(parse_input_fact(text, knowledge.vocabulary, "--what-if") for text in what_if)
    baseline = advisor.consult(scenario.facts)
    data: dict = {"scenario": {"name": scenario.name, "file": str(scenario_path)}}
    parts: list = []
    if asked:
        results = [run_why_not(baseline, knowledge, name, value) for name, value in asked]
        data["why_not"] = [as_data(r) for r in results]
        parts += [("why_not", r) for r in results]
    if asked_rules:
        candidates = [why_not_rule(baseline, knowledge, rule_id) for rule_id in asked_rules]
        data["why_not_rules"] = [as_data(c) for c in candidates]
        parts += [("why_not_rule", c) for c in candidates]
    if changes:
        result = run_what_if(advisor, scenario.facts, changes, baseline)
        data["what_if"] = as_data(result)
        parts.append(("what_if", result))
    if not asked and not asked_rules and not changes:
        all_flips = find_flips(advisor, scenario.facts, baseline) if flips else []
        recommendations = []
        for rec in baseline.recommendations:
            certainty = explain_certainty(baseline, knowledge, rec.decision, rec.choice)
            mine = [f for f in all_flips if f.decision == rec.decision]
            entry = {"decision": rec.decision, "choice": rec.choice, "certainty": as_data(certainty)}
            if flips:
                entry["flips"] = [as_data(f) for f in mine]
            recommendations.append(entry)
            parts.append(("recommendation", (rec, certainty, mine)))
        data["recommendations"] = recommendations
    return data, parts


def _rule_id(text: str, knowledge) -> str:
    import difflib

    from advisor.errors import AdvisorError

    if knowledge.rule(text) is None:
        close = difflib.get_close_matches(text, [r.id for r in knowledge.rules], n=2)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise AdvisorError(f"--why-not takes DECISION=CHOICE or a rule id; {text!r} is neither{hint}")
    return text


def render_parts(parts: list, console, show_flips: bool) -> None:
    from rich.markup import escape

    from advisor.explain.render import (
        FLIPS_SHOWN,
        certainty_lines,
        flip_text,
        render_rule_candidate,
        render_what_if,
        render_why_not,
    )
    from advisor.knowledge import load_knowledge

    vocabulary = load_knowledge().vocabulary
    if not parts:
        console.print("No recommendations: no rule's conditions were met by these facts. "
                      "Use --why-not DECISION=CHOICE to see what each rule still needs.")
    for kind, item in parts:
        if kind == "why_not":
            render_why_not(item, console)
        elif kind == "why_not_rule":
            render_rule_candidate(item, console)
        elif kind == "what_if":
            render_what_if(item, console)
        else:
            rec, certainty, flips = item
            label = vocabulary.decision(rec.decision).choices[rec.choice]
            console.print(f"[bold]{rec.decision} = {rec.choice}[/] [dim]({escape(label)})[/]")
            for line in certainty_lines(certainty):
                console.print("  " + escape(line))
            if show_flips:
                if flips:
                    console.print("  What would change it:")
                    for flip in flips[:FLIPS_SHOWN]:
                        console.print("    " + escape(flip_text(flip)))
                    if len(flips) > FLIPS_SHOWN:
                        console.print(f"    [dim]… and {len(flips) - FLIPS_SHOWN} more (--format json lists all)[/]")
                else:
                    console.print("  No change of a single fact gives it another choice.")
        console.print()


def register(app: typer.Typer) -> None:
    @app.command()
    def explain(
        scenario: Path = typer.Argument(..., help="A scenario YAML file."),
        why_not: list[str] = typer.Option([], "--why-not", metavar="DECISION=CHOICE",
                                          help="Why wasn't this choice recommended (or this rule fired)? Repeatable."),
        what_if: list[str] = typer.Option([], "--what-if", metavar="FACT=VALUE",
                                          help="Re-run with this fact changed (FACT= forgets it). "
                                               "Repeatable: all changes apply together."),
        flips: bool = typer.Option(True, "--flips/--no-flips",
                                   help="Search the single-fact changes that would change each recommendation."),
        format: ExplainFormat = typer.Option(ExplainFormat.text, "--format", "-f"),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file."),
    ) -> None:
        """Explain a consultation: certainty of each recommendation, what would change it, why not, what if."""
        from advisor.cli.output import rich_text, write_text

        data, parts = build_explanation(scenario, why_not, what_if, flips)
        if format is ExplainFormat.json:
            import json

            write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output)
            return
        import sys

        if output is None and sys.stdout.isatty():
            from rich.console import Console

            render_parts(parts, Console(), flips)
        else:
            write_text(rich_text(lambda c: render_parts(parts, c, flips), width=120), output)
