"""The HTML report: one self-contained file with the same content as the terminal report."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import yaml

from advisor.presentation.consultation.data import build_report
from advisor.presentation.consultation.html import render_html

# Alternatives (overruled rules), warnings of two kinds, weak recommendations and open decisions.
FACTS = {
    "needs_full_training_control": True, "python_preferred": True, "dataset_size": "large",
    "hyperparameter_expressions": ["choice", "quniform", "randint"], "learn_from_previous_trials": True,
    "trained_with_mlflow": False, "prediction_timing": "as_data_arrives", "has_scoring_script": False,
    "planned_sampling": "bayesian", "planned_early_termination": "bandit",
    "stage": "production", "needs_instant_job_start": True,
}


class Page(HTMLParser):
    """Collects the visible text, every link, and every tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "a":
            self.links.append(attributes.get("href", ""))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if not self._in_style:
            self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def report(advisor, knowledge):
    facts = {name: knowledge.vocabulary.fact(name).check(value) for name, value in FACTS.items()}
    return build_report(advisor.consult(facts), knowledge, {"name": "Review <everything> & more",
                                                            "file": "x.yaml", "description": "A \"tricky\" one"})


@pytest.fixture(scope="module")
def data(report):
    return report.to_dict()


@pytest.fixture(scope="module")
def page(report):
    parsed = Page()
    parsed.feed(render_html(report))
    parsed.close()
    return parsed


def walk(node):
    yield node
    for child in node["children"]:
        yield from walk(child)


def test_the_fixture_exercises_every_part_of_the_report(data):
    assert data["warnings"] and data["open"]
    assert any(r["alternatives"] for r in data["recommendations"])
    assert any(r["weak"] for r in data["recommendations"])
    assert {w["kind"] for w in data["warnings"]} >= {"caution", "sources_disagree"}


def test_every_recommendation_appears_with_its_derivation(data, page):
    text = page.words
    for rec in data["recommendations"]:
        assert words(f"{rec['title']}: {rec['label']}") in text
        assert f"{rec['decision']} = {rec['choice']}" in text
        assert f"certainty {rec['certainty']:.2f}" in text
        for tree in rec["derivation"]:
            for node in walk(tree):
                assert node["rule"] in text
                assert words(node["because"]) in text
        for alt in rec["alternatives"]:
            assert words(alt["reason"]) in text


def test_weak_and_contested_are_marked(data, page):
    classes = [attrs.get("class", "") for tag, attrs in page.tags if tag == "article"]
    assert len(classes) == len(data["recommendations"])
    section_order = [s["id"] for s in data["sections"]]
    ordered = sorted(data["recommendations"], key=lambda r: section_order.index(r["section"]))
    for rec, cls in zip(ordered, classes, strict=True):
        assert ("weak" in cls) == rec["weak"]
        assert ("contested" in cls) == rec["contested"]


def test_warnings_open_decisions_and_sources(data, page):
    text = page.words
    for warning in data["warnings"]:
        assert words(warning["message"]) in text
        assert warning["rule"] in text
    for item in data["open"]:
        assert item["title"] in text and item["decision"] in text
        for name in item["settled_by"]:
            assert name in text
    sources = {w["source"] for w in data["warnings"]}
    for rec in data["recommendations"]:
        for tree in rec["derivation"]:
            sources.update(node["source"] for node in walk(tree))
    assert sources <= set(page.links)


def test_scenario_text_is_escaped(page):
    assert "Review <everything> & more" in page.words
    assert 'A "tricky" one' in page.words
    assert not any(tag == "everything" for tag, _ in page.tags)


def test_self_contained_no_scripts_and_links_only_to_the_guide(page, knowledge):
    guide_urls = {u.url for u in knowledge.guide.units}
    assert all(tag not in ("script", "link", "img", "iframe", "object", "embed") for tag, _ in page.tags)
    assert all("src" not in attrs for _, attrs in page.tags)
    assert all(not name.startswith("on") for _, attrs in page.tags for name in attrs)
    ids = {attrs["id"] for _, attrs in page.tags if "id" in attrs}
    external = {link for link in page.links if not link.startswith("#")}
    assert external and external <= guide_urls
    assert {link[1:] for link in page.links if link.startswith("#")} <= ids  # in-page links land somewhere


def test_no_network_references_in_the_css(report):
    html = render_html(report)
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "url(" not in style and "@import" not in style and "http" not in style


def test_consult_writes_html_through_the_real_command(cli, tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump({"name": "HTML via the CLI", "facts": FACTS}), encoding="utf-8")
    out = tmp_path / "report.html"
    result = cli("consult", str(scenario), "--format", "html", "--output", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "HTML via the CLI" in html and "sweep.bayesian-unsupported-expressions" in html
