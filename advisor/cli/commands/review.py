"""`advisor review FILE...`: check existing Azure ML YAML against the rule base.

Exit status: 0 no findings, 1 findings, 2 a file could not be read as Azure ML YAML."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from advisor.knowledge.vocabulary import value_text


class ReviewFormat(str, Enum):
    text = "text"
    json = "json"




def render_text(reviews: list, show_facts: bool) -> str:
    lines: list[str] = []
    for review in reviews:
        count = len(review.findings)
        summary = "no findings" if not count else f"{count} finding{'s' if count > 1 else ''}"
        lines.append(f"{review.path} ({review.title}): {summary}")
        if show_facts:
            read = ", ".join(f"{f.name} = {value_text(f.value)}" + (f" (line {f.line})" if f.line else f" ({f.origin})")
                             for f in review.facts)
            lines.append(f"  facts: {read or 'none'}")
        for finding in review.findings:
            at = f"{review.path}:{finding.line}" if finding.line else review.path
            lines.append(f"  {at}: {finding.rule_id} [{finding.kind}]")
            lines.append(f"    {finding.message}")
            lines.append(f"    why: {finding.because}")
            if finding.facts:
                lines.append("    from: " + ", ".join(
                    f"{f.name} = {value_text(f.value)}" + (f" (line {f.line})" if f.line else f" ({f.origin})")
                    for f in finding.facts))
            lines.append(f"    see: {finding.source}")
        for note in review.notes:
            lines.append(f"  note: {note}")
    return "\n".join(lines) + ("\n" if lines else "")


def register(app: typer.Typer) -> None:
    @app.command()
    def review(
        files: list[Path] = typer.Argument(..., help="Azure ML YAML files: sweep or AutoML jobs, "
                                                     "compute clusters, online or batch deployments."),
        fact: list[str] = typer.Option([], "--fact", metavar="FACT=VALUE",
                                       help="Context the files don't hold, e.g. stage=experimentation. Repeatable."),
        show_facts: bool = typer.Option(False, "--facts", help="Also list the facts read from each file."),
        format: ReviewFormat = typer.Option(ReviewFormat.text, "--format", "-f"),
    ) -> None:
        """Review Azure ML YAML files with the rule base: findings with rule id, reason and the guide's link."""
        import sys
        from dataclasses import asdict

        from advisor.azureml.review import review_file
        from advisor.engine import get_advisor
        from advisor.errors import AdvisorError
        from advisor.cli.assignments import parse_input_fact

        advisor = get_advisor()
        context = dict(parse_input_fact(text, advisor.knowledge.vocabulary, "--fact") for text in fact)
        context = {k: v for k, v in context.items() if v is not None}
        reviews, unreadable = [], 0
        for path in files:
            try:
                reviews.append(review_file(path, advisor, context))
            except AdvisorError as exc:
                unreadable += 1
                print(f"advisor: error: {exc.render()}", file=sys.stderr)
        if format is ReviewFormat.json:
            import json

            def plain(value):
                if isinstance(value, tuple | list):
                    return [plain(v) for v in value]
                if isinstance(value, dict):
                    return {k: plain(v) for k, v in value.items()}
                return value

            print(json.dumps([plain(asdict(r)) for r in reviews], indent=2, ensure_ascii=False))
        else:
            text = render_text(reviews, show_facts)
            total = sum(len(r.findings) for r in reviews)
            text += f"{len(reviews)} file{'s' if len(reviews) != 1 else ''} reviewed, {total} finding{'s' if total != 1 else ''}"
            text += f", {unreadable} unreadable.\n" if unreadable else ".\n"
            sys.stdout.write(text)
        if unreadable:
            raise typer.Exit(2)
        if any(r.findings for r in reviews):
            raise typer.Exit(1)
