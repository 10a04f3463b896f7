"""Shapes found in Microsoft's azureml-examples that are neither today's kinds nor broken
files: a key given twice (Azure ML's CLI keeps the later value), a missing setting's finding
(on the line saying what the file is) and a misspelt data type (refused, as the CLI refuses it).
The 2021 preview shapes are fixtures in tests/fixtures/azureml/noted (legacy-*.yml)."""

from __future__ import annotations

import pytest

from advisor.azureml.documents import read_document
from advisor.azureml.review import review_file
from advisor.errors import AdvisorError
from advisor.yamlio import parse_yaml


def test_a_duplicate_key_is_reviewed_with_the_later_value_and_noted(advisor, tmp_path):
    path = tmp_path / "cluster.yml"
    path.write_text("type: amlcompute\nname: cpu\nmin_instances: 2\nmax_instances: 4\nmin_instances: 0\n",
                    encoding="utf-8")
    review = review_file(path, advisor)
    facts = {f.name: f for f in review.facts}
    assert facts["cluster_min_instances"].value == 0 and facts["cluster_min_instances"].line == 5
    assert any(n.startswith("line 5: duplicate key 'min_instances' (first on line 3)") for n in review.notes)


def test_a_duplicate_mapping_keeps_only_the_later_mapping(advisor, tmp_path):
    path = tmp_path / "job.yml"
    path.write_text("command: echo $A\nenvironment:\n  image: debian:12\nenvironment_variables:\n  A: '1'\n"
                    "environment_variables:\n  B: '2'\n", encoding="utf-8")
    document = read_document(path)
    assert document.kind == "command_job" and document.data["environment_variables"] == {"B": "2"}
    assert len(document.duplicates) == 1


def test_scenario_files_still_refuse_duplicate_keys():
    with pytest.raises(AdvisorError, match="duplicate key 'a' .first on line 1."):
        parse_yaml("a: 1\na: 2\n", "s.yaml")


def test_a_missing_setting_sits_on_the_type_line_and_is_suppressed_there(advisor, tmp_path):
    path = tmp_path / "instance.yml"
    text = "$schema: https://azuremlschemas.azureedge.net/latest/computeInstance.schema.json\nname: dev\n" \
           "type: computeinstance\nsize: Standard_DS3_v2\n"
    path.write_text(text, encoding="utf-8")
    [finding] = review_file(path, advisor).findings
    assert (finding.rule_id, finding.line) == ("review.instance-never-stops", 3)
    path.write_text(text.replace("type: computeinstance", "type: computeinstance  "
                                 "# advisor: ignore[review.instance-never-stops] stopped by a runbook"),
                    encoding="utf-8")
    review = review_file(path, advisor)
    assert review.findings == () and [s.finding.rule_id for s in review.suppressed] == ["review.instance-never-stops"]


def test_a_misspelt_data_type_is_refused_with_the_types_allowed(tmp_path):
    path = tmp_path / "data.yml"
    path.write_text("$schema: https://azuremlschemas.azureedge.net/latest/dataset.schema.json\nname: d\n"
                    "type: uri_foler\npath: ./data\n", encoding="utf-8")
    with pytest.raises(AdvisorError, match="'uri_foler' is not a data asset type") as raised:
        read_document(path)
    assert raised.value.line == 3


@pytest.mark.parametrize("scale", ["{type: default}", "{type: target_utilization, min_instances: 1}"])
def test_todays_scale_settings_are_not_the_preview_shape(tmp_path, scale):
    path = tmp_path / "deployment.yml"
    path.write_text(f"name: blue\nendpoint_name: e\nmodel: azureml:m:1\ninstance_type: Standard_DS3_v2\n"
                    f"instance_count: 3\nscale_settings: {scale}\n", encoding="utf-8")
    assert read_document(path).kind == "online_deployment"


def test_a_preview_schema_url_alone_does_not_make_a_file_the_preview_shape(tmp_path):
    # The CLI ignores `$schema`: today's endpoints in Microsoft's examples still carry this URL.
    path = tmp_path / "endpoint.yml"
    path.write_text("$schema: https://azuremlsdk2.blob.core.windows.net/latest/managedOnlineEndpoint.schema.json\n"
                    "name: tfserving-endpoint\nauth_mode: aml_token\n", encoding="utf-8")
    assert read_document(path).kind == "online_endpoint"
