"""The report as one self-contained HTML file: inline CSS and an inline SVG diagram, no
scripts, no fonts or images from the network; the only links are the study guide's source
URLs. The answer comes first (summary, warnings, architecture); each derivation is a closed
`<details>`; a chain of reasoning several recommendations share is printed once, under
"Shared reasoning", and referred to from each card. A print stylesheet opens everything."""

from __future__ import annotations

from typing import Any

from advisor.knowledge.vocabulary import value_text
from advisor.presentation.consultation import outline
from advisor.presentation.consultation.data import report_summary_line
from advisor.presentation.consultation.diagram import build_diagram, render_svg
from advisor.presentation.escape.html import html_link, html_text
from advisor.presentation.words import warning_kind

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --ok: #1a7f37; --warn: #9a6700;
        --bad: #cf222e; --bg-soft: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 72rem; padding: 1.2rem 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin: 1.6rem 0 .6rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; color: var(--muted); }
h4 { font-size: 1rem; margin: 0 0 .2rem; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
       background: var(--bg-soft); padding: 0 .25rem; border-radius: 4px; }
a { color: var(--accent); }
.muted, .file { color: var(--muted); }
.description { margin: .3rem 0 0; max-width: 60rem; }
#summary h2 { margin-top: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: .25rem .5rem; vertical-align: top; }
th { background: var(--bg-soft); }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
article.rec { border: 1px solid var(--line); border-left: 4px solid var(--ok); border-radius: 6px;
              padding: .7rem .9rem; margin: .7rem 0; break-inside: avoid; }
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
figure.architecture { margin: 0; overflow-x: auto; }
figure.architecture svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; }
details > summary { cursor: pointer; color: var(--muted); }
footer { margin-top: 2rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: .6rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; }
  details::details-content { content-visibility: visible; display: block; height: auto; }
  details > summary { list-style: none; }
  h2, h3, h4 { break-after: avoid; }
  figure.architecture { overflow: visible; break-inside: avoid; }
  .warning, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _badges(rec: dict[str, Any]) -> str:
    return "".join(f'<span class="badge {m}">{m}</span>' for m in outline.marks(rec))


def _anchor(rec: dict[str, Any]) -> str:
    return html_text(f"rec-{rec['decision']}-{rec['choice']}")


def _tree(node: dict[str, Any], shared: dict[str, dict[str, Any]], out: list[str], *, root: bool = False) -> None:
    if not root and node["rule"] in shared:
        out.append(f'<li class="shared"><code class="rule">{html_text(node["rule"])}</code> → '
                   f'{html_text(node["conclusion"])} <a href="#chain-{html_text(node["rule"])}">'
                   "(shared reasoning, shown once below)</a></li>")
        return
    out.append(f'<li><code class="rule">{html_text(node["rule"])}</code> → {html_text(node["conclusion"])}'
               f' <span class="muted">{html_text(node["title"])}</span>')
    out.append(f'<div class="because">{html_text(node["because"])}</div>')
    out.append(f'<div class="source">source: {html_link(node["source"], node["unit"])}</div>')
    given = [f for f in node["facts"] if f["origin"] == "user"]
    if given or node["children"]:
        out.append("<ul>")
        for fact in given:
            out.append(f'<li class="given">given: <code>{html_text(fact["name"])} = '
                       f'{html_text(value_text(fact["value"]))}</code></li>')
        for child in node["children"]:
            _tree(child, shared, out)
        out.append("</ul>")
    out.append("</li>")


def _recommendation(rec: dict[str, Any], certainty_of: dict[str, float], shared: dict[str, dict[str, Any]],
                    out: list[str]) -> None:
    classes = " ".join(["rec", *outline.marks(rec)])
    out.append(f'<article class="{classes}" id="{_anchor(rec)}">')
    out.append(f'<h4>{html_text(rec["title"])}: {html_text(rec["label"])}</h4>')
    out.append(f'<div><code>{html_text(rec["decision"])} = {html_text(rec["choice"])}</code> '
               f'certainty <strong>{rec["certainty"]:.2f}</strong>{_badges(rec)}</div>')
    supports = [f'{html_text(r)} ({certainty_of[r]:.2f})' for r in rec["rules"] if r in certainty_of]
    if supports:
        out.append(f'<div class="muted">supported by {", ".join(supports)}</div>')
    out.append('<details><summary>How the advisor got there</summary><ul class="tree">')
    for node in rec["derivation"]:
        _tree(node, shared, out, root=True)
    out.append("</ul></details>")
    for alt in rec["alternatives"]:
        out.append(f'<div class="alt">not <code>{html_text(alt["choice"])}</code> '
                   f'({html_text(", ".join(alt["rules"]))}): {html_text(alt["reason"])}</div>')
    out.append("</article>")


def render_html(report: dict[str, Any]) -> str:
    title = outline.title(report)
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{html_text(title)} · advisor report</title>", f"<style>{CSS}</style>", "</head>", "<body>"]
    shared = outline.shared_chains(report)
    for part in (_header, _summary, _warnings, _architecture):
        part(report, out)
    _recommendations(report, shared, out)
    _shared(shared, out)
    for part in (_facts, _set_aside, _open, _fired, _sources):
        part(report, out)
    footer = f"{html_text(report_summary_line(report))} {html_text(outline.provenance_line(report))}"
    out.append(f"<footer>{footer}</footer>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _header(report: dict[str, Any], out: list[str]) -> None:
    scenario = report.get("scenario") or {}
    out.append(f"<header><h1>{html_text(outline.title(report))}</h1>")
    if scenario.get("file"):
        out.append(f'<div class="file">{html_text(scenario["file"])}</div>')
    if scenario.get("description"):
        out.append(f'<p class="description">{html_text(scenario["description"])}</p>')
    out.append("</header>")


def _summary(report: dict[str, Any], out: list[str]) -> None:
    out.append(f'<section id="summary"><h2>Summary</h2><p>{html_text(report_summary_line(report))}</p>')
    if report["recommendations"]:
        out.append("<table><thead><tr><th>Decision</th><th>Recommended</th><th>Certainty</th></tr></thead><tbody>")
        for rec in outline.summary_rows(report):
            out.append(f'<tr data-decision="{html_text(rec["decision"])}"><td>{html_text(rec["title"])}</td>'
                       f'<td><a href="#{_anchor(rec)}">{html_text(rec["label"])}</a></td>'
                       f'<td class="num">{rec["certainty"]:.2f}{_badges(rec)}</td></tr>')
        out.append("</tbody></table>")
    else:
        out.append("<p>No recommendation: no rule's conditions were met by these facts.</p>")
    out.append("</section>")


def _warnings(report: dict[str, Any], out: list[str]) -> None:
    if not report["warnings"]:
        return
    out.append('<section id="warnings"><h2>Warnings</h2>')
    for w in report["warnings"]:
        out.append(f'<div class="warning {html_text(w["kind"])}">'
                   f'<strong>⚠ {html_text(warning_kind(w["kind"]))}</strong> '
                   f'<code>{html_text(w["rule"])}</code><div>{html_text(w["message"])}</div>'
                   f'<div class="source">source: {html_link(w["source"], w["unit"])}</div></div>')
    out.append("</section>")


def _architecture(report: dict[str, Any], out: list[str]) -> None:
    if not build_diagram(report).boxes:
        return
    out.append('<section id="architecture"><h2>Architecture</h2><figure class="architecture">')
    out.append(render_svg(report, standalone=False))
    out.append("<figcaption>The recommended components; data and models flow left to right. "
               "Dashed boxes are decisions still open.</figcaption></figure></section>")


def _recommendations(report: dict[str, Any], shared: dict[str, dict[str, Any]], out: list[str]) -> None:
    certainty_of = {f["rule"]: f["certainty"] for f in report["fired"]}
    out.append('<section id="recommendations"><h2>Recommendations</h2>')
    for heading, recs in outline.by_section(report):
        out.append(f'<h3>{html_text(heading)}</h3>')
        for rec in recs:
            _recommendation(rec, certainty_of, shared, out)
    out.append(f'<p class="muted">{html_text(outline.CERTAINTY_NOTE)}</p></section>')


def _shared(shared: dict[str, dict[str, Any]], out: list[str]) -> None:
    if not shared:
        return
    out.append('<section id="shared"><h2>Shared reasoning</h2><p class="muted">Chains of rules '
               "behind more than one recommendation, shown once.</p>")
    for rule, node in shared.items():
        out.append(f'<details id="chain-{html_text(rule)}"><summary><code>{html_text(rule)}</code> → '
                   f'{html_text(node["conclusion"])}</summary><ul class="tree">')
        _tree(node, {}, out)
        out.append("</ul></details>")
    out.append("</section>")


def _facts(report: dict[str, Any], out: list[str]) -> None:
    if not report.get("given"):
        return
    out.append('<section id="facts"><h2>Facts given</h2><table><thead><tr><th>Question</th><th>Answer</th>'
               "</tr></thead><tbody>")
    for fact in report["given"]:
        out.append(f'<tr><td>{html_text(fact["question"])}</td><td>{html_text(fact["answer"])} '
                   f'<code class="muted">{html_text(fact["name"])}</code></td></tr>')
    out.append("</tbody></table></section>")


def _set_aside(report: dict[str, Any], out: list[str]) -> None:
    if not report.get("set_aside"):
        return
    out.append('<section id="set-aside"><h2>Set aside</h2>')
    for item in report["set_aside"]:
        out.append(f'<div class="set-aside"><strong>{html_text(item["title"])}</strong> '
                   f'(<code>{html_text(item["scope"])}</code>: {html_text(item["when"])}): '
                   f'{html_text(item["because"])} Not recommended, asked or drawn: '
                   f'{html_text(", ".join(item["decision_titles"] or item["rules"]))}'
                   f'<div class="source">source: {html_link(item["source"], item["unit"])}</div></div>')
    out.append("</section>")


def _open(report: dict[str, Any], out: list[str]) -> None:
    if not report["open"]:
        return
    out.append('<section id="open"><h2>Decisions left open</h2><table>'
               "<tr><th>decision</th><th>would be settled by</th></tr>")
    for item in report["open"]:
        facts = ", ".join(f"<code>{html_text(n)}</code>" for n in item["settled_by"])
        out.append(f'<tr><td>{html_text(item["title"])} (<code>{html_text(item["decision"])}</code>)</td>'
                   f"<td>{facts}</td></tr>")
    out.append("</table></section>")


def _fired(report: dict[str, Any], out: list[str]) -> None:
    if not report["fired"]:
        return
    out.append('<section id="fired"><details><summary><h2 style="display:inline">Rules that fired</h2>'
               "</summary><table><tr><th>#</th><th>rule</th><th>status</th><th>conclusion</th>"
               "<th>certainty</th></tr>")
    for f in report["fired"]:
        c = f["conclusion"]
        conclusion = "warning" if c["kind"] == "warn" else f'{c["name"]} = {value_text(c["value"])}'
        note = f'<div class="muted">{html_text(f["note"])}</div>' if f["note"] else ""
        out.append(f'<tr><td>{f["order"]}</td><td><code>{html_text(f["rule"])}</code></td>'
                   f'<td>{html_text(f["status"])}</td><td>{html_text(conclusion)}{note}</td>'
                   f'<td>{f["certainty"]:.2f}</td></tr>')
    out.append("</table></details></section>")


def _sources(report: dict[str, Any], out: list[str]) -> None:
    cited = outline.sources(report)
    if not cited:
        return
    out.append('<section id="sources"><h2>Sources</h2><ul>')
    for source in cited:
        out.append(f'<li>{html_link(source["url"], source["unit"])} '
                   f'<span class="muted">({html_text(", ".join(source["rules"]))})</span></li>')
    out.append("</ul></section>")
