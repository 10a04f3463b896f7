"""The format registry (advisor/presentation/registry.py) through the real CLI: every format of
every command renders and is what it says it is; `-o FILE` takes the format from the extension
when --format is not given, and says so when it can't; completion offers each command's own
formats and values."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from conftest import SCENARIOS

from advisor.presentation.formats import Format
from advisor.presentation.registry import COMMANDS, SINGLE_FORMAT, formats_of

EXAMPLE = SCENARIOS / "image-classifier.yaml"
FLAWED = SCENARIOS.parent / "tests" / "fixtures" / "azureml" / "flawed" / "automl-uri-folder.yml"
ARGUMENTS = {
    "consult": [EXAMPLE],
    "explain": [EXAMPLE, "--no-flips"],
    "evaluate": [SCENARIOS / "end-to-end" / "real-time-fraud-detection.yaml"],
    "review": [FLAWED],
    "vocabulary": [],
    "rules list": [],
    "rules lint": [],
    "rules coverage": [SCENARIOS / "end-to-end" / "real-time-fraud-detection.yaml"],
}
EXIT_CODES = {"review": (1,), "rules lint": (0, 1), "evaluate": (0, 1)}


def check(fmt: Format, text: str) -> None:
    """The text is a document of its format."""
    assert text.strip()
    if fmt in (Format.json, Format.sarif):
        json.loads(text)
    elif fmt in (Format.junit, Format.svg):
        ET.fromstring(text.encode("utf-8"))
    elif fmt is Format.html:
        assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    elif fmt is Format.mermaid:
        assert text.startswith("flowchart LR")
    elif fmt is Format.markdown:
        assert text.lstrip().startswith(("#", "|")), text[:80]
    elif fmt is Format.github:
        assert text.startswith("::")
    else:
        assert "\x1b" not in text and all(line == line.rstrip() for line in text.splitlines())


def test_every_command_with_a_format_is_declared_and_checked_here():
    assert set(ARGUMENTS) == set(COMMANDS)
    assert formats_of("consult") == (Format.text, Format.json, Format.markdown, Format.html, Format.svg,
                                     Format.mermaid)
    assert set(SINGLE_FORMAT) == {"rules show", "drill", "schema"}


@pytest.mark.parametrize(("command", "fmt"), [(c, f) for c in COMMANDS for f in formats_of(c)],
                         ids=lambda v: v.value if isinstance(v, Format) else v.replace(" ", "-"))
def test_every_format_of_every_command_renders(cli, command, fmt):
    result = cli(*command.split(), *ARGUMENTS[command], "--format", fmt.value)
    assert result.returncode in EXIT_CODES.get(command, (0,)), result.stderr
    check(fmt, result.stdout)


@pytest.mark.parametrize(("name", "fmt"), [("report.html", Format.html), ("report.md", Format.markdown),
                                           ("report.json", Format.json), ("architecture.svg", Format.svg),
                                           ("architecture.mmd", Format.mermaid), ("report.txt", Format.text)])
def test_output_takes_the_format_from_the_extension(cli, tmp_path, name, fmt):
    target = tmp_path / name
    result = cli("consult", EXAMPLE, "-o", target)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    check(fmt, target.read_text(encoding="utf-8"))


def test_format_wins_over_the_extension(cli, tmp_path):
    target = tmp_path / "report.html"
    assert cli("consult", EXAMPLE, "--format", "json", "-o", target).returncode == 0
    json.loads(target.read_text(encoding="utf-8"))


def test_an_extension_naming_no_format_is_said_and_text_written(cli, tmp_path):
    target = tmp_path / "report.out"
    result = cli("consult", EXAMPLE, "-o", target)
    assert result.returncode == 0
    assert "the extension names no format; wrote text" in result.stderr
    assert target.read_text(encoding="utf-8").lstrip().startswith("╭")


def test_an_extension_naming_a_format_the_command_lacks_is_an_error(cli, tmp_path):
    target = tmp_path / "why.html"
    result = cli("explain", EXAMPLE, "--no-flips", "-o", target)
    assert result.returncode == 2
    assert result.stderr.startswith("advisor: error: ") and "explain writes text, json, not html" in result.stderr
    assert not target.exists()


def test_evaluate_writes_junit_for_xml(cli, tmp_path):
    target = tmp_path / "results.xml"
    cli("evaluate", ARGUMENTS["evaluate"][0], "-o", target)
    assert ET.parse(target).getroot().tag in ("testsuites", "testsuite")


def complete(cli, words: str) -> list[str]:
    """What tab completion offers for `words` (bash's protocol; the last word is being typed)."""
    parts = words.split(" ")
    result = cli(env={"_ADVISOR_COMPLETE": "complete_bash", "COMP_WORDS": words,
                      "COMP_CWORD": str(len(parts) - 1)})
    assert result.returncode == 0, result.stderr
    return [line.split(",", 1)[-1] for line in result.stdout.splitlines()]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_completion_offers_only_the_commands_formats(cli, command):
    assert complete(cli, f"advisor {command} --format ") == [f.value for f in formats_of(command)]


def test_completion_offers_areas_sections_and_rule_ids(cli, knowledge):
    assert complete(cli, "advisor consult --focus ") == list(knowledge.areas)
    assert len(knowledge.areas) >= 12
    assert complete(cli, "advisor drill --section ") == list(knowledge.guide.section_ids)
    assert complete(cli, "advisor rules list --area m") == ["mlops", "models"]
    offered = complete(cli, "advisor rules show sweep.")
    assert offered and set(offered) == {r.id for r in knowledge.rules if r.id.startswith("sweep.")}


def test_focus_help_names_every_area(cli, knowledge):
    text = " ".join(cli("consult", "--help", env={"COLUMNS": "400"}).stdout.split())
    for area in knowledge.areas:
        assert area in text


def test_piped_text_follows_columns_without_trailing_spaces(cli):
    for columns in ("60", "100"):
        out = cli("consult", EXAMPLE, env={"COLUMNS": columns}).stdout
        lines = out.splitlines()
        assert all(line == line.rstrip() for line in lines)
        wrapped = [line for line in lines if "https://" not in line]  # a URL is never cut
        assert max(len(line) for line in wrapped) == int(columns)


# --- one wording: labels, plurals, one -o/--output, allowed values said once ---------------------

def test_explain_speaks_in_labels(cli):
    out = cli("explain", EXAMPLE, "--no-flips").stdout
    assert "CPU or GPU: GPU (processor = gpu)" in out
    assert not any(line.startswith("processor = gpu") for line in out.splitlines())


def test_a_what_if_error_lists_the_allowed_values_once(cli):
    result = cli("explain", EXAMPLE, "--what-if", "dataset_size=huge")
    assert result.returncode == 2
    assert result.stderr.count("small, medium, large") == 1, result.stderr


def test_emit_takes_output_like_every_command(cli, tmp_path):
    help_text = cli("emit", "--help").stdout
    assert "-o, --output, --out FOLDER" in help_text
    result = cli("emit", SCENARIOS / "optimize" / "bayesian-with-loguniform.yaml", "--output", tmp_path / "yaml")
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "yaml").glob("*.yml")) or list((tmp_path / "yaml").glob("*.yaml"))


def test_counts_are_plural_aware(cli, tmp_path):
    scenario = tmp_path / "one.yaml"
    scenario.write_text("name: One\nfacts:\n  hyperparameter_expressions: [choice, uniform]\n"
                        "  learn_from_previous_trials: true\n", encoding="utf-8")
    out = cli("consult", scenario).stdout
    assert "1 warning," in out and "1 warnings" not in out
    assert "1 Warning ─" in out


def test_usage_errors_are_told_in_the_one_error_style(cli):
    for args, said in ((["consult", "--bogus"], "No such option: --bogus"),
                       (["consult", EXAMPLE, "-f", "xx"], "'xx' is not one of text, json"),
                       (["drill", "-n", "0"], "'--count' / '-n': must be at least 1")):
        result = cli(*args)
        assert result.returncode == 2
        first, hint = result.stderr.splitlines()[:2]
        assert first.startswith("advisor: error: ") and said in first, result.stderr
        assert hint.startswith("Try 'advisor ") and "Error:" not in result.stderr


def test_urls_stay_whole_and_are_links_on_a_terminal(advisor):

    from advisor.presentation.consultation.data import build_report
    from advisor.presentation.consultation.outline import sources
    from advisor.presentation.consultation.text import render_report
    from advisor.presentation.terminal import rich_text
    from advisor.scenarios import load_scenario

    scenario = load_scenario(EXAMPLE, advisor.knowledge)
    report = build_report(advisor.consult(scenario.facts), advisor.knowledge, {"name": scenario.name})
    urls = [s["url"] for s in sources(report)]
    plain = rich_text(lambda console: render_report(report, console), width=50)
    lines = plain.splitlines()
    for url in urls:
        assert any(url in line for line in lines), url  # whole, on one line, never folded
    assert "\x1b" not in plain
    on_terminal = rich_text(lambda console: render_report(report, console), width=50, color=True)
    assert all("\x1b]8;id=" in on_terminal and url in on_terminal for url in urls)  # OSC 8 hyperlinks
    words = {w.strip(".,:;()") for line in lines for w in line.split()}
    vocabulary_words = " ".join(r.title + " " + r.label for r in report.recommendations).split()
    for word in vocabulary_words:  # no word of a title or label is cut in two
        if word.isalpha() and len(word) > 3:
            assert word in words, word
