"""The Python API (`advisor.consult`) and the shipped scenarios by name, through the real
engine; a notebook executed with nbclient shows the report as HTML with its diagram."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from conftest import SCENARIOS

import advisor
from advisor.errors import AdvisorError
from advisor.presentation.consultation.data import Report

EXAMPLE = SCENARIOS / "image-classifier.yaml"


def test_consult_takes_facts_and_returns_the_typed_report():
    report = advisor.consult({"data_format": "tabular"}, dataset_size="small")
    assert isinstance(report, Report)
    assert {r.decision: r.choice for r in report.recommendations}["processor"] == "cpu"
    assert report.open and all(o.settled_by for o in report.open)
    assert report.facts == {"data_format": "tabular", "dataset_size": "small"}
    assert "2 recommendations" in repr(report)


def test_consult_takes_a_file_or_a_shipped_name_alike():
    by_path = advisor.consult(EXAMPLE)
    by_name = advisor.consult("image-classifier")
    assert by_path.to_dict()["recommendations"] == by_name.to_dict()["recommendations"]
    assert by_name.title == "Image classifier for product photos" and by_name.warnings == by_path.warnings


def test_wrong_facts_are_the_scenario_files_errors():
    with pytest.raises(AdvisorError, match="did you mean dataset_size"):
        advisor.consult({"datset_size": "small"})
    with pytest.raises(AdvisorError, match="'huge' is not one of small, medium, large"):
        advisor.consult(dataset_size="huge")
    with pytest.raises(AdvisorError, match="no such file, nor a shipped scenario"):
        advisor.consult("no-such-scenario")


def test_why_names_the_chain_of_rules_and_the_sources():
    report = advisor.consult("image-classifier")
    why = report.why("processor")
    assert why == report.why("CPU or GPU")  # by id or by title
    assert why.startswith("CPU or GPU: GPU (certainty 0.81)")
    assert "compute.gpu-for-deep-learning" in why and "compute.vision-and-nlp-are-deep-learning" in why
    assert "given ml_task = computer_vision" in why and "https://learn.microsoft.com/" in why
    assert report.why("sampling").startswith("Sweep sampling method: open; would be settled by ")


def test_to_yaml_is_a_scenario_that_gives_the_same_report(tmp_path, cli):
    report = advisor.consult({"data_format": "unstructured", "dataset_size": "large"}, name="Photos")
    saved = tmp_path / "photos.yaml"
    saved.write_text(report.to_yaml(), encoding="utf-8")
    assert yaml.safe_load(saved.read_text())["name"] == "Photos"
    again = json.loads(cli("consult", saved, "--format", "json").stdout)
    assert again["recommendations"] == report.to_dict()["recommendations"]


def test_render_gives_every_format_and_the_notebook_html_is_a_fragment():
    report = advisor.consult("image-classifier")
    assert report.render("json") == advisor.consult(EXAMPLE).render("json")
    assert report.render("markdown").startswith("# Image classifier")
    assert report.render("text", summary=True).count("\n") < 70
    fragment = report._repr_html_()
    assert fragment.startswith('<div class="advisor-report">') and "<svg" in fragment
    assert "<html" not in fragment and "body {" not in fragment  # scoped: the notebook's page keeps its style
    assert fragment.index("Recommended architecture") < fragment.index("<svg") < fragment.index("Recommendations")


def test_import_advisor_loads_neither_the_engine_nor_the_cli():
    code = ("import sys, advisor; print(sorted(m for m in sys.modules if m.startswith('advisor')));"
            "print(any(m.split('.')[0] in ('experta', 'typer', 'rich', 'yaml') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["['advisor']", "False"]


# --- shipped scenarios by name ----------------------------------------------------------------

def test_scenarios_lists_the_library_and_consult_runs_one_by_name(cli, tmp_path):
    listing = cli("scenarios").stdout.splitlines()
    names = {line.split("\t")[0] for line in listing}
    assert "image-classifier" in names and "end-to-end/customer-churn-automl" in names
    assert "image-classifier\tImage classifier for product photos" in listing
    elsewhere = cli("consult", "customer-churn-automl", "--format", "json", cwd=tmp_path)
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert json.loads(elsewhere.stdout)["scenario"]["name"] == "Customer churn prediction with AutoML, scored weekly"
    assert cli("consult", "end-to-end/customer-churn-automl.yaml", "--format", "json", cwd=tmp_path).returncode == 0


def test_an_unknown_name_is_one_line_with_a_suggestion(cli, tmp_path):
    result = cli("consult", "image-clasifier", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("advisor: error: image-clasifier: no such file, nor a shipped scenario of that name; "
                             "did you mean image-classifier or automl-image-classification? "
                             "(advisor scenarios lists them)\n")


def test_a_file_of_that_name_wins_over_the_library(cli, tmp_path):
    (tmp_path / "image-classifier.yaml").write_text("name: Mine\nfacts:\n  data_format: tabular\n")
    out = json.loads(cli("consult", "image-classifier.yaml", "--format", "json", cwd=tmp_path).stdout)
    assert out["scenario"]["name"] == "Mine"


def test_a_scenario_piped_without_a_name(cli):
    result = cli("consult", "-", "--format", "json", input="facts:\n  data_format: tabular\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["scenario"]["name"] == "Scenario from standard input"


# --- a notebook ---------------------------------------------------------------------------------

NOTEBOOK_CELLS = [
    "import advisor\nreport = advisor.consult('image-classifier')\nreport",
    "print(report.why('CPU or GPU'))",
]


def test_a_notebook_shows_the_report_with_its_diagram(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in NOTEBOOK_CELLS])
    # The kernel is this interpreter (no kernelspec lookup, nothing from the network).
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    first, second = (cell.outputs for cell in notebook.cells)
    html = next(o for o in first if o.output_type == "execute_result").data["text/html"]
    assert html.startswith('<div class="advisor-report">') and "<svg" in html
    service = advisor.consult("image-classifier").chosen("training_service")[0].label
    assert service in html and "Recommended architecture" in html
    text = "".join(o.get("text", "") for o in second)
    assert text.startswith("CPU or GPU: GPU (certainty 0.81)")
