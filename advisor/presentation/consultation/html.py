"""The report as one self-contained HTML file: inline CSS, no scripts, no fonts or images
from the network; the only links are the study guide's source URLs. Same content as the
terminal report: recommendations with their derivation trees and certainty, warnings, open
decisions, the rules that fired, and the sources."""

from __future__ import annotations

from html import escape
from typing import Any

from advisor.knowledge.vocabulary import value_text
from advisor.presentation.consultation.data import summary_line
from advisor.presentation.words import warning_kind

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --ok: #1a7f37; --warn: #9a6700;
        --bad: #cf222e; --bg-soft: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; color: var(--muted); }
h4 { font-size: 1rem; margin: 0 0 .2rem; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
       background: var(--bg-soft); padding: 0 .25rem; border-radius: 4px; }
a { color: var(--accent); word-break: break-all; }
.muted, .file { color: var(--muted); }
article.rec { border: 1px solid var(--line); border-left: 4px solid var(--ok); border-radius: 6px;
              padding: .7rem .9rem; margin: .7rem 0; }
article.rec.weak { border-left-color: var(--warn); }
article.rec.contested { border-left-color: var(--bad); }
.badge { display: inline-block; font-size: 12px; padding: 0 .45rem; border-radius: 1rem;
         border: 1px solid currentColor; margin-left: .3rem; }
.badge.weak { color: var(--warn); } .badge.contested { color: var(--bad); }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.1rem; border-left: 1px dashed var(--line); margin: .3rem 0; }
ul.tree li { margin: .35rem 0; }
.because { font-style: italic; margin: .1rem 0; }
.given { color: var(--muted); }
.alt { color: var(--warn); }
.warning { border-left: 4px solid var(--warn); background: #fff8c5; padding: .5rem .8rem; margin: .6rem 0;
           border-radius: 4px; }
.warning.sources_disagree { border-left-color: var(--accent); background: #ddf4ff; }
.warning.contested { border-left-color: var(--bad); background: #ffebe9; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; }
th { background: var(--bg-soft); }
details > summary { cursor: pointer; color: var(--muted); }
footer { margin-top: 2rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: .6rem; }
@media print { details { display: block; } details > summary { display: none; } }
"""

CERTAINTY_NOTE = (
    "Each rule carries a strength (0 to 1). A rule that fires gets the certainty strength × the "
    "weakest of its premises (a fact you gave counts 1.0; a concluded fact counts the certainty of "
    "the rule that concluded it). When several rules support the same choice their certainties "
    "combine as in MYCIN: cf = cf1 + cf2 × (1 − cf1). Below 0.6 a recommendation is marked weak; "
    "contested means rules of equal rank proposed different choices.")




def _link(url: str) -> str:
    return f'<a href="{escape(url, quote=True)}">{escape(url)}</a>'


def _tree(node: dict[str, Any], out: list[str]) -> None:
    out.append(f'<li><code class="rule">{escape(node["rule"])}</code> → {escape(node["conclusion"])}'
               f' <span class="muted">{escape(node["title"])}</span>')
    out.append(f'<div class="because">{escape(node["because"])}</div>')
    out.append(f'<div class="source">source: {_link(node["source"])}</div>')
    given = [f for f in node["facts"] if f["origin"] == "user"]
    if given or node["children"]:
        out.append("<ul>")
        for fact in given:
            given = f'{escape(fact["name"])} = {escape(value_text(fact["value"]))}'
            out.append(f'<li class="given">given: <code>{given}</code></li>')
        for child in node["children"]:
            _tree(child, out)
        out.append("</ul>")
    out.append("</li>")


def _recommendation(rec: dict[str, Any], certainty_of: dict[str, float], out: list[str]) -> None:
    classes = "rec" + (" contested" if rec["contested"] else "") + (" weak" if rec["weak"] else "")
    anchor = f'rec-{escape(rec["decision"], quote=True)}-{escape(rec["choice"], quote=True)}'
    out.append(f'<article class="{classes}" id="{anchor}">')
    out.append(f'<h4>{escape(rec["title"])}: {escape(rec["label"])}</h4>')
    badges = ('<span class="badge contested">contested</span>' if rec["contested"] else "") + \
             ('<span class="badge weak">weak</span>' if rec["weak"] else "")
    out.append(f'<div><code>{escape(rec["decision"])} = {escape(rec["choice"])}</code> '
               f'certainty <strong>{rec["certainty"]:.2f}</strong>{badges}</div>')
    supports = [f'{escape(r)} ({certainty_of[r]:.2f})' for r in rec["rules"] if r in certainty_of]
    if supports:
        out.append(f'<div class="muted">supported by {", ".join(supports)}</div>')
    out.append('<details open><summary>How the advisor got there</summary><ul class="tree">')
    for node in rec["derivation"]:
        _tree(node, out)
    out.append("</ul></details>")
    for alt in rec["alternatives"]:
        out.append(f'<div class="alt">not <code>{escape(alt["choice"])}</code> '
                   f'({escape(", ".join(alt["rules"]))}): {escape(alt["reason"])}</div>')
    out.append("</article>")


def _sources(report: dict[str, Any]) -> dict[str, list[str]]:
    """Every source URL in the report, with the rules that cite it."""
    cited: dict[str, list[str]] = {}

    def visit(node: dict[str, Any]) -> None:
        rules = cited.setdefault(node["source"], [])
        if node["rule"] not in rules:
            rules.append(node["rule"])
        for child in node["children"]:
            visit(child)

    for rec in report["recommendations"]:
        for node in rec["derivation"]:
            visit(node)
    for w in report["warnings"]:
        rules = cited.setdefault(w["source"], [])
        if w["rule"] not in rules:
            rules.append(w["rule"])
    return cited


def render_html(report: dict[str, Any]) -> str:  # noqa: C901 - one section after another
    scenario = report.get("scenario") or {}
    title = scenario.get("name") or "Consultation"
    certainty_of = {f["rule"]: f["certainty"] for f in report["fired"]}
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(title)} · advisor report</title>", f"<style>{CSS}</style>", "</head>", "<body>",
           f"<header><h1>{escape(title)}</h1>"]
    if scenario.get("file"):
        out.append(f'<div class="file">{escape(scenario["file"])}</div>')
    if scenario.get("description"):
        out.append(f'<p class="description">{escape(scenario["description"])}</p>')
    out.append("</header>")

    if report["facts"]:
        out.append('<section id="facts"><h2>Facts given</h2><table><tr><th>fact</th><th>value</th></tr>')
        for name, value in report["facts"].items():
            out.append(f"<tr><td><code>{escape(name)}</code></td><td>{escape(value_text(value))}</td></tr>")
        out.append("</table></section>")

    out.append('<section id="recommendations"><h2>Recommendations</h2>')
    if not report["recommendations"]:
        out.append("<p>No recommendation: no rule's conditions were met by these facts.</p>")
    for section in report["sections"]:
        recs = [r for r in report["recommendations"] if r["section"] == section["id"]]
        if not recs:
            continue
        out.append(f'<h3>{escape(section["heading"])}</h3>')
        for rec in recs:
            _recommendation(rec, certainty_of, out)
    out.append(f'<p class="muted">{escape(CERTAINTY_NOTE)}</p></section>')

    if report["warnings"]:
        out.append('<section id="warnings"><h2>Warnings</h2>')
        for w in report["warnings"]:
            label = warning_kind(w["kind"])
            out.append(f'<div class="warning {escape(w["kind"], quote=True)}"><strong>⚠ {escape(label)}</strong> '
                       f'<code>{escape(w["rule"])}</code><div>{escape(w["message"])}</div>'
                       f'<div class="source">source: {_link(w["source"])}</div></div>')
        out.append("</section>")

    if report["open"]:
        out.append('<section id="open"><h2>Decisions left open</h2><table>'
                   "<tr><th>decision</th><th>would be settled by</th></tr>")
        for item in report["open"]:
            facts = ", ".join(f"<code>{escape(n)}</code>" for n in item["settled_by"])
            out.append(f'<tr><td>{escape(item["title"])} (<code>{escape(item["decision"])}</code>)</td>'
                       f"<td>{facts}</td></tr>")
        out.append("</table></section>")

    if report["fired"]:
        out.append('<section id="fired"><details><summary><h2 style="display:inline">Rules that fired</h2>'
                   "</summary><table><tr><th>#</th><th>rule</th><th>status</th><th>conclusion</th>"
                   "<th>certainty</th></tr>")
        for f in report["fired"]:
            c = f["conclusion"]
            conclusion = "warning" if c["kind"] == "warn" else f'{c["name"]} = {value_text(c["value"])}'
            note = f'<div class="muted">{escape(f["note"])}</div>' if f["note"] else ""
            out.append(f'<tr><td>{f["order"]}</td><td><code>{escape(f["rule"])}</code></td>'
                       f'<td>{escape(f["status"])}</td><td>{escape(conclusion)}{note}</td>'
                       f'<td>{f["certainty"]:.2f}</td></tr>')
        out.append("</table></details></section>")

    sources = _sources(report)
    if sources:
        out.append('<section id="sources"><h2>Sources</h2><ul>')
        for url, rules in sources.items():
            out.append(f'<li>{_link(url)} <span class="muted">({escape(", ".join(rules))})</span></li>')
        out.append("</ul></section>")

    out.append(f"<footer>{escape(summary_line(report))} "
               "Written by advisor from the DP-100 study guide.</footer>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
