"""The consultation report leads with the answer in every format (issues 12 and 25): for each
shipped end-to-end scenario, the architecture in at most five lines comes first, then one row per
decision listing exactly the report's recommendations; the diagram names every recommended
component it has a place for; facts are given in words, sources by unit title with their link,
and a provenance footer closes it."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from conftest import DEEP, END_TO_END, recommending_every_decision

from advisor.presentation.consultation.data import build_report
from advisor.presentation.consultation.diagram import (
    DRAWN_DECISIONS,
    component_labels,
    render_mermaid,
    render_svg,
)
from advisor.presentation.consultation.html import render_html
from advisor.presentation.consultation.markdown import render_report_markdown
from advisor.presentation.consultation.outline import shared_chains
from advisor.presentation.consultation.text import render_report
from advisor.presentation.terminal import rich_text
from advisor.scenarios import load_scenario

# The terminal report (~35 ms a scenario, ~70 ms in full: rich's layout) is checked on the
# scenarios that between them recommend every decision while developing, every scenario in
# CI: its rows, trees and components are drawn by one loop over the recommendations, so a
# decision whose row or component goes missing is still in the sample. The other formats
# (a few ms a scenario) are checked on every scenario.
TERMINAL = END_TO_END if DEEP else recommending_every_decision()
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module", params=END_TO_END, ids=lambda p: p.stem)
def report(request, advisor):
    scenario = load_scenario(request.param, advisor.knowledge)
    meta = {"name": scenario.name, "file": str(request.param), "description": scenario.description}
    return build_report(advisor.consult(scenario.facts), advisor.knowledge, meta)


def test_there_are_end_to_end_scenarios_to_check():
    assert len(END_TO_END) >= 8


def recommended(report) -> Counter:
    return Counter((r.title, r.label) for r in report.recommendations)


def check_provenance(text: str, report) -> None:
    provenance = report.provenance
    for value in (provenance.advisor, provenance.rule_base, provenance.date, report.scenario.file):
        assert value in text, value


# --- terminal --------------------------------------------------------------------------------------

@pytest.mark.parametrize("report", TERMINAL, indirect=True, ids=lambda p: p.stem)
def test_text_leads_with_the_architecture_then_one_row_per_decision(report):
    text = rich_text(lambda console: render_report(report, console), width=400)
    lines = text.splitlines()
    start = lines.index("Recommended architecture")
    summary = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        summary.append(line)
    assert 1 <= len(summary) <= 5
    assert [line.split()[0] for line in summary] == [
        area for area in ("Service", "Training", "Data", "Deployment", "Operations")
        if any(line.startswith(area) for line in summary)]
    first_row = next(i for i, line in enumerate(lines) if line.startswith("✔ "))
    assert start < first_row
    rows = Counter()
    for line in lines:
        if line.startswith("✔ "):
            title, _, choices = line[2:].partition(": ")
            for rec in report.recommendations:
                if rec.title == title and rec.label in choices:
                    rows[(title, rec.label)] += 1
    assert rows == recommended(report)
    decisions = {r.decision for r in report.recommendations}
    assert sum(line.startswith("✔ ") for line in lines) == len(decisions)  # several choices: one row
    assert text.index("Recommended architecture") < text.index("Summary:") < text.index("Recommendations")
    check_provenance(text, report)


@pytest.mark.parametrize("report", TERMINAL, indirect=True, ids=lambda p: p.stem)
def test_full_text_has_the_trees_facts_and_components(report):
    text = rich_text(lambda console: render_report(report, console, full=True), width=400)
    for given in report.given:
        assert given.question in text and given.answer in text
    architecture = text[text.index("Architecture ─"):text.index("Recommendations")]
    for label in component_labels(report).values():
        assert " ".join(label.split()) in " ".join(architecture.split())
    for rec in report.recommendations:
        for node in rec.derivation:
            assert node.because.split()[0] in text


# --- Markdown ---------------------------------------------------------------------------------------

def test_markdown_leads_with_the_summary(report):
    text = render_report_markdown(report)
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert sections[0] == "## Summary"
    assert sections.index("## Summary") < sections.index("## Recommendations")
    if report.warnings:
        assert sections.index("## Summary") < sections.index("## Warnings") < sections.index("## Recommendations")
    summary = text[text.index("## Summary"):text.index("## Recommendations")]
    assert "```mermaid" in summary
    architecture = summary[:summary.index("```mermaid")]
    assert 1 <= sum(line.startswith("- **") for line in architecture.splitlines()) <= 5
    table = text[text.index("## Recommendations"):text.index("\n## ", text.index("## Recommendations"))]
    rows = [line.split(" | ") for line in table.splitlines()
            if line.startswith("| ") and "---" not in line and not line.startswith("| Decision")]
    cells = Counter()
    for row in rows:
        for label in row[1].split(" · "):
            cells[(row[0][2:].replace("\\", ""), label.replace("\\", ""))] += 1
    assert cells == recommended(report)
    mermaid = text[text.index("```mermaid"):text.index("```", text.index("```mermaid") + 3)]
    for label in component_labels(report).values():
        assert label in mermaid, label
    for given in report.given:
        assert given.question in text.replace("\\", "")
    for source in {n.unit for r in report.recommendations for n in r.derivation}:
        assert f"[{source}](<" in text
    check_provenance(text.replace("\\", ""), report)


# --- HTML ------------------------------------------------------------------------------------------

def test_html_leads_with_the_summary(report):
    page = render_html(report)
    summary = page.index('id="summary"')
    assert summary < page.index('id="architecture"') < page.index('id="recommendations"') < page.index("<details")
    if report.warnings:
        assert page.index('id="architecture"') < page.index('id="warnings"') < page.index('id="recommendations"')
    start = page.index('id="recommendations"')
    table = page[start:page.index("</table>", start)]
    rows = re.findall(r'<tr data-decision="([^"]+)"><td>([^<]*)</td><td>(.*?)</td>', table)
    assert len(rows) == len({r.decision for r in report.recommendations})  # several choices: one row
    cells = Counter((html.unescape(t), html.unescape(label)) for _, t, links in rows
                    for label in re.findall(r'<a href="#[^"]+">([^<]*)</a>', links))
    assert cells == recommended(report)
    check_provenance(page[page.index("<footer>"):], report)


def test_html_derivations_are_closed_and_shared_chains_printed_once(report):
    page = render_html(report)
    assert "<details open" not in page
    cards = re.findall(r'<article class="rec[^"]*" id="[^"]+">(.*?)</article>', page, re.S)
    assert len(cards) == len(report.recommendations)
    for card in cards:
        assert "<details><summary>How the advisor got there</summary>" in card
        printed = Counter(re.findall(r'<li><code class="rule">([^<]+)</code>', card))
        assert all(n == 1 for n in printed.values()), printed
    for rule in shared_chains(report):
        assert page.count(f'id="chain-{rule}"') == 1
        assert f'href="#chain-{rule}"' in page


def test_html_sources_are_unit_titles_with_links(report):
    page = render_html(report)
    sources = page[page.index('id="sources"'):]
    for rec in report.recommendations:
        for node in rec.derivation:
            assert f'<a href="{html.escape(node.source)}">{html.escape(node.unit)}</a>' in sources


# --- the diagram -----------------------------------------------------------------------------------

def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [title.text or "" for title in root.iter(f"{SVG}title")]


def test_the_diagram_names_every_recommended_component(report):
    labels = component_labels(report)
    assert labels, "every end-to-end scenario recommends something the diagram draws"
    titles = " ".join(svg_texts(render_svg(report)))
    inline = render_html(report)
    inline_svg = inline[inline.index("<svg"):inline.index("</svg>") + 6]
    inline_titles = " ".join(svg_texts(inline_svg))
    for decision, label in labels.items():
        assert label in titles, (decision, label)
        assert label in inline_titles, (decision, label)
    for item in report.open:  # open decisions are drawn as open
        if item.decision in DRAWN_DECISIONS:
            assert f"{item.title}: open" in titles, item


def test_the_svg_is_offline_and_script_free(report):
    svg = render_svg(report)
    root = ET.fromstring(svg)
    tags = {element.tag.replace(SVG, "") for element in root.iter()}
    assert not tags & {"script", "foreignObject", "image", "a", "use"}
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert all(not name.startswith("on") for element in root.iter() for name in element.attrib)


def test_mermaid_has_every_component_and_flow(report):
    mermaid = render_mermaid(report)
    assert mermaid.startswith("flowchart LR\n")
    for label in component_labels(report).values():
        assert label.replace("#", "#35;") in mermaid or label in mermaid
    assert "-->" in mermaid


def test_consult_format_svg_writes_the_diagram_alone(tmp_path, cli):
    target = tmp_path / "architecture.svg"
    result = cli("consult", END_TO_END[0], "--format", "svg", "-o", target)
    assert result.returncode == 0, result.stderr
    root = ET.parse(target).getroot()
    assert root.tag == f"{SVG}svg"
    assert any(t.startswith("Recommended architecture") for t in svg_texts(target.read_text()))
