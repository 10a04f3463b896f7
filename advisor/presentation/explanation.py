"""Explanations (`advisor explain`) for people (rich) and for machines (JSON)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from rich.console import Console
from rich.tree import Tree

from advisor.explain.certainty import CertaintyExplanation
from advisor.explain.whatif import Change, Flip, WhatIf
from advisor.explain.whynot import Candidate, Failure, WhyNot
from advisor.knowledge.vocabulary import Vocabulary, plain, value_text
from advisor.presentation.escape.json import json_document
from advisor.presentation.escape.terminal import markup as escape

FLIPS_SHOWN = 6
STATUS_TEXT = {"supports": "fired and supports it", "warned": "fired (a warning)",
               "overruled": "fired but was overruled",
               "contested": "fired but was contested",
               "set_aside": "fired, but a choice made this decision moot (set aside)",
               "did_not_fire": "did not fire"}


def as_data(result: Any) -> Any:
    """A result dataclass as JSON-ready data (tuples become lists)."""
    data = plain(asdict(result))
    if isinstance(result, WhyNot):
        data["recommended"] = result.recommended
    return data


# --- certainty -------------------------------------------------------------------------

def certainty_lines(explanation: CertaintyExplanation) -> list[str]:
    lines = []
    for support in explanation.supports:
        premises = [p for p in support.premises if p.origin != "user"]
        weakest = f"weakest premise {support.weakest:.2f}" if premises else "premises given by you (1.00)"
        line = f"{support.rule_id}: strength {support.strength:.2f} × {weakest} = {support.certainty:.2f}"
        lines.append(line)
        for p in premises:
            lines.append(f"    premise {p.name} = {value_text(p.value)} from {p.origin} ({p.certainty:.2f})")
    if len(explanation.supports) > 1:
        steps = [f"{explanation.running[0]:.2f}"]
        for support, total, prev in zip(explanation.supports[1:], explanation.running[1:], explanation.running,
                                        strict=False):
            steps.append(f"{prev:.2f} + {support.certainty:.2f} × (1 − {prev:.2f}) = {total:.2f}")
        lines.append("combined (MYCIN): " + "; then ".join(steps))
    flags = [name for name, on in (("weak", explanation.weak), ("contested", explanation.contested)) if on]
    lines.append(f"certainty {explanation.certainty:.2f}" + (f" ({', '.join(flags)})" if flags else ""))
    return lines


# --- flips and what-if -------------------------------------------------------------------

def change_text(change: Change) -> str:
    if change.after is None:
        return f"{change.fact} were not known (now {value_text(change.before)})"
    if change.before is None:
        return f"{change.fact} were {value_text(change.after)} (not given now)"
    return f"{change.fact} were {value_text(change.after)} instead of {value_text(change.before)}"


def flip_text(flip: Flip) -> str:
    rules = ", ".join(flip.rules)
    return (f"if {change_text(flip.change)}, {flip.decision} would be {', '.join(flip.after)}"
            f" (rule{'s' if len(flip.rules) > 1 else ''} {rules})")


def render_what_if(result: WhatIf, console: Console) -> None:
    console.print("[bold]What if " + escape(" and ".join(change_text(c) for c in result.changes)) + "?[/]")
    if result.unchanged:
        console.print("  No recommendation or warning changes.")
    for d in result.decisions:
        before = ", ".join(d.before) or "(open)"
        after = ", ".join(d.after) or "(open)"
        rules = f" ({', '.join(d.rules_after)})" if d.after else ""
        console.print(f"  {d.decision}: {escape(before)} → [bold]{escape(after)}[/]{escape(rules)}")
    for w in result.warnings_added:
        console.print(f"  [yellow]+ warning[/] {w.rule_id}: {escape(_one_line(w.message))}")
    for w in result.warnings_removed:
        console.print(f"  [green]− warning[/] {w.rule_id}: {escape(_one_line(w.message))}")


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- why not -----------------------------------------------------------------------------

def _add_failure(parent: Tree, failure: Failure) -> None:
    if failure.branches:
        node = parent.add("✗ needs one of these, and none holds:")
        for branch in failure.branches:
            _add_failure(node, branch)
    else:
        node = parent.add("✗ " + escape(failure.text))
    if failure.deeper:
        below = node.add(f"[dim]one level down, the rules that could have set {failure.subject}:[/]")
        for candidate in failure.deeper:
            _add_candidate(below, candidate)


def _add_candidate(parent: Tree, candidate: Candidate) -> None:
    node = parent.add(f"[cyan]{candidate.rule_id}[/] [dim]{escape(candidate.title)}[/]: "
                      f"{STATUS_TEXT[candidate.status]}")
    if candidate.note:
        node.add(escape(candidate.note))
    if candidate.failure is not None:
        _add_failure(node, candidate.failure)


def render_rule_candidate(candidate: Candidate, console: Console) -> None:
    tree = Tree(f"[bold]Why not {candidate.rule_id}?[/]")
    _add_candidate(tree, candidate)
    console.print(tree)


def render_why_not(result: WhyNot, console: Console) -> None:
    asked = f"{result.name} = {value_text(result.value)}"
    tree = Tree(f"[bold]Why not {escape(asked)}?[/] [dim]({escape(result.title)})[/]")
    if result.recommended:
        tree.add(f"[green]{escape(asked)} is what the advisor concluded[/] "
                 f"(rules {', '.join(result.chosen_rules)}).")
    elif result.chosen:
        tree.add(f"Concluded instead: {escape(', '.join(value_text(v) for v in result.chosen))} "
                 f"(rules {', '.join(result.chosen_rules)}).")
    else:
        waiting = f"; facts that could settle it: {', '.join(result.settled_by)}" if result.settled_by else ""
        tree.add(f"Nothing was concluded for {result.name}{escape(waiting)}.")
    if not result.candidates:
        tree.add(f"No rule concludes {escape(asked)}.")
    for candidate in result.candidates:
        _add_candidate(tree, candidate)
    console.print(tree)


# --- a whole explanation -------------------------------------------------------------------

def explanation_as_json(scenario: dict[str, Any], parts: list, show_flips: bool) -> str:
    """`parts` as `advisor explain` builds them: (kind, result) in the order asked."""
    data: dict[str, Any] = {"scenario": scenario}
    recommendations = []
    for kind, item in parts:
        if kind == "why_not":
            data.setdefault("why_not", []).append(as_data(item))
        elif kind == "why_not_rule":
            data.setdefault("why_not_rules", []).append(as_data(item))
        elif kind == "what_if":
            data["what_if"] = as_data(item)
        else:
            rec, certainty, flips = item
            entry = {"decision": rec.decision, "choice": rec.choice, "certainty": as_data(certainty)}
            if show_flips:
                entry["flips"] = [as_data(f) for f in flips]
            recommendations.append(entry)
    if not any(kind in ("why_not", "why_not_rule", "what_if") for kind, _ in parts):
        data["recommendations"] = recommendations
    return json_document(data)


def render_parts(parts: list, console: Console, show_flips: bool, vocabulary: Vocabulary) -> None:
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
            spec = vocabulary.decision(rec.decision)
            console.print(f"[bold]{escape(spec.title)}: {escape(spec.choices[rec.choice])}[/] "
                          f"[dim]({escape(rec.decision)} = {escape(rec.choice)})[/]")
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


@dataclass(frozen=True)
class Explanation:
    """What `advisor explain` found: the scenario, the parts in the order asked, and whether the
    flips were searched."""

    scenario: dict[str, Any]
    parts: list
    flips: bool
    vocabulary: Vocabulary


def draw_explanation(explanation: Explanation, console: Console) -> None:
    render_parts(explanation.parts, console, explanation.flips, explanation.vocabulary)


def render_explanation_json(explanation: Explanation) -> str:
    return explanation_as_json(explanation.scenario, explanation.parts, explanation.flips)
