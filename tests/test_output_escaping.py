"""Every output escapes what a scenario file may carry (issue 16): class 5 (characters XML 1.0
forbids, in JUnit), class 8 (control characters and terminal escapes never reach a terminal,
error messages included), class 9 (Markdown: no raw HTML, no javascript: links, no unclosed
code fence), and HTML without NUL or ESC."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import examples, run_cli
from markdown_it import MarkdownIt

# Rename the terminal window (OSC 0), clear the screen (CSI), ring the bell, a C1 CSI, NUL,
# a bidi override, and a vertical tab (forbidden in XML 1.0).
HOSTILE = "Evil\x1b]0;pwned\x07 \x1b[2J\x9b31m\x00\u202e\x0b end"
RAW = ("\x1b", "\x07", "\x9b", "\x00", "\u202e", "\x0b")

MARKDOWN_ATTACK = (
    "Intro <script>alert(1)</script> and <iframe src=\"https://evil.example\"></iframe>\n"
    "[click me](javascript:alert(document.cookie)) <javascript:alert(2)>\n"
    "<img src=x onerror=alert(3)>\n"
    "```\n"
    "an unclosed fence that would swallow the rest of the report\n"
)


def scenario(tmp_path, name: str, description: str = "", *, expect: bool = False, file: str = "s.yaml"):
    import yaml

    data = {"name": name, "description": description, "facts": {"dataset_size": "small", "data_format": "tabular"}}
    if expect:
        data["expect"] = {"decisions": {"processor": "gpu"}}  # fails: the JUnit failure carries the name
    path = tmp_path / file
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def assert_clean(text: str) -> None:
    leaked = [repr(c) for c in RAW if c in text]
    assert not leaked, f"raw control characters reached the output: {leaked}"


# --- class 5: XML ----------------------------------------------------------------------------------

def test_junit_with_control_characters_in_names_parses(tmp_path):
    path = scenario(tmp_path, HOSTILE, expect=True)
    result = run_cli("evaluate", path, "--format", "junit")
    assert result.returncode == 1
    root = ET.fromstring(result.stdout)  # strict XML 1.0 parser
    case = root.find("./testsuite/testcase")
    assert case is not None and "\\x1b" in case.get("name") and "\\x0b" in case.get("name")
    assert case.find("failure") is not None


def test_junit_error_messages_with_control_characters_parse(tmp_path):
    bad = tmp_path / "bad\x1b[31m.yaml"
    bad.write_text("name: x\nfacts: {nope\x0b: 1}\n", encoding="utf-8")
    result = run_cli("evaluate", tmp_path, "--format", "junit")
    assert result.returncode == 2
    root = ET.fromstring(result.stdout)
    assert root.find("./testsuite/testcase/error") is not None


# --- class 8: terminal -------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["consult"], ["explain"], ["evaluate", "--verbose"], ["rules", "coverage"]],
                         ids=" ".join)
def test_no_raw_control_characters_reach_the_terminal(command, tmp_path):
    path = scenario(tmp_path, HOSTILE, HOSTILE, expect=command[0] == "evaluate")
    result = run_cli(*command, path)
    assert result.returncode in (0, 1), result.stderr
    assert_clean(result.stdout + result.stderr)
    if command[0] in ("consult", "evaluate"):
        assert "\\x1b" in result.stdout  # shown, visibly


def test_error_messages_show_control_characters_visibly(tmp_path):
    missing = tmp_path / "no\x1b]0;pwned\x07such.yaml"
    result = run_cli("consult", missing)
    assert result.returncode == 2
    assert_clean(result.stderr)
    assert "\\x1b]0;pwned\\x07" in result.stderr and result.stderr.count("\n") == 1


def test_a_bad_value_in_a_file_is_shown_visibly_in_the_error(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text('name: x\nfacts:\n  dataset_size: "huge\\e[2J\\a"\n', encoding="utf-8")
    result = run_cli("consult", path)
    assert result.returncode == 2
    assert_clean(result.stderr)
    assert "s.yaml:3: facts.dataset_size: 'huge\\x1b[2J\\x07'" in result.stderr  # shown, visibly


# --- class 9: Markdown -------------------------------------------------------------------------------

def rendered_markdown(tmp_path, name: str, description: str) -> tuple[str, str]:
    path = scenario(tmp_path, name, description)
    result = run_cli("consult", path, "--format", "markdown")
    assert result.returncode == 0, result.stderr
    # raw HTML on, as GitHub and most editors render it: whatever gets through shows up here
    return result.stdout, MarkdownIt("commonmark", {"html": True}).enable("table").render(result.stdout)


def test_markdown_report_neutralises_html_links_and_fences(tmp_path):
    source, page = rendered_markdown(tmp_path, "<script>alert(0)</script> name", MARKDOWN_ATTACK)
    for tag in ("<script", "<iframe", "<img"):
        assert tag not in page.lower(), tag
    assert "javascript:" not in "".join(part.split('"')[1] for part in page.split("href=")[1:])
    # the unclosed fence swallowed nothing: every section still renders as a heading
    for heading in ("Summary", "Recommendations", "Sources"):
        assert f"<h2>{heading}</h2>" in page
    assert page.count("<pre>") == 1 and 'class="language-mermaid"' in page  # only the diagram is code
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the text is kept, as text


def test_markdown_shows_control_characters_visibly(tmp_path):
    source, _ = rendered_markdown(tmp_path, HOSTILE, HOSTILE)
    assert_clean(source)


# --- HTML --------------------------------------------------------------------------------------------

def test_html_report_keeps_no_nul_or_esc(tmp_path):
    path = scenario(tmp_path, HOSTILE, HOSTILE + " <b>bold</b>")
    result = run_cli("consult", path, "--format", "html")
    assert result.returncode == 0
    assert_clean(result.stdout)
    assert "&lt;b&gt;bold&lt;/b&gt;" in result.stdout and "<b>bold" not in result.stdout
    assert "\\x1b]0;pwned\\x07" in result.stdout


def test_svg_with_hostile_name_is_well_formed(tmp_path):
    path = scenario(tmp_path, HOSTILE + " </title><script>x</script>")
    result = run_cli("consult", path, "--format", "svg")
    assert result.returncode == 0
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert not any(element.tag.endswith("script") for element in root.iter())
    assert_clean(result.stdout)


def test_usage_errors_show_control_characters_visibly(tmp_path):
    result = run_cli("consult", "a.yaml", "b\x1b]0;pwned\x07.yaml")
    assert result.returncode == 2
    assert_clean(result.stderr)
    assert "b\\x1b]0;pwned\\x07.yaml" in result.stderr
    result = run_cli("rules", "list", "--format", "x\x1b[2J")
    assert result.returncode == 2 and "x\\x1b[2J" in result.stderr
    assert_clean(result.stderr)


def test_a_bidi_override_in_an_error_is_shown_visibly():
    from advisor.errors import AdvisorError

    assert AdvisorError("bad \u202eevil\u2066", where="f\u200f.yaml").render() \
        == "f\\u200f.yaml: bad \\u202eevil\\u2066"


def test_a_bidi_override_in_a_file_name_reaches_the_terminal_visibly(tmp_path):
    result = run_cli("review", "--config", tmp_path / "review\u202elmy.toml", tmp_path)
    assert result.returncode == 2
    assert "\u202e" not in result.stderr and "review\\u202elmy.toml" in result.stderr


def test_names_in_the_terminal_report_are_text_not_rich_markup(advisor):
    from dataclasses import replace

    from rich.console import Console

    from advisor.presentation.consultation.data import build_report
    from advisor.presentation.consultation.text import render_report

    report = build_report(advisor.consult({"dataset_size": "small", "data_format": "tabular"}), advisor.knowledge)
    tag = "[/][red]x"  # a closing tag with nothing open is a MarkupError; an opening one restyles
    # The report is a dataclass; its parts are named tuples (_replace).
    report = replace(report, recommendations=tuple(
        rec._replace(decision="decision" + tag, choice="choice" + tag,
                     alternatives=tuple(alt._replace(choice="alternative" + tag) for alt in rec.alternatives))
        for rec in report.recommendations),
        open=tuple(item._replace(decision="open" + tag, settled_by=("fact" + tag,)) for item in report.open))
    assert report.recommendations and report.open
    console = Console(record=True, width=400, color_system=None)
    render_report(report, console, full=True)
    shown = console.export_text()
    for name in ("decision", "choice", "open", "fact"):
        assert name + tag in shown, name


# --- JSON documents: the fast indented writer is json.dumps's text ---------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_JSON_KEYS = st.one_of(st.text(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                       st.booleans(), st.none())
_JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
              st.text()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.lists(inner, max_size=4).map(tuple),
                            st.dictionaries(_JSON_KEYS, inner, max_size=4)),
    max_leaves=30)


# 30 documents while developing (each nests lists, tuples and dicts with every scalar type and
# non-text keys, up to 30 leaves: every branch of the writer), 300 in CI.
@settings(max_examples=examples(300), deadline=None)
@given(_JSON_VALUES)
def test_the_indented_writer_writes_what_json_dumps_writes(data):
    import json

    from advisor.presentation.escape.json import indented

    assert indented(data) == json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)


@pytest.mark.parametrize("bad", [float("nan"), [float("inf")], {"a": -float("inf")}, {float("nan"): 1},
                                 {(1, 2): 3}, [object()], {"a": {1, 2}}])
def test_the_indented_writer_refuses_what_json_dumps_refuses(bad):
    import json

    from advisor.presentation.escape.json import indented

    with pytest.raises((ValueError, TypeError)) as expected:
        json.dumps(bad, indent=2, ensure_ascii=False, allow_nan=False)
    with pytest.raises(expected.type):
        indented(bad)
