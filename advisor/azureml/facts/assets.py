"""Assets: environments, data assets, datastores, models."""

from __future__ import annotations

from typing import Any

from advisor.azureml.facts.reader import (
    DATASTORE_SECRETS,
    FILE_EXTENSION,
    PLACEHOLDER,
    Reader,
    file_kind,
    mapping,
    shown,
    text,
)


def environment(r: Reader) -> None:
    r.environment()


def data_asset(r: Reader) -> None:
    declared_type = text(r.get("type"))
    if declared_type in ("uri_file", "uri_folder", "mltable"):
        r.set("data_asset_declared_type", declared_type, "type")
    target = _path_target(r, r.get("path"))
    if target:
        r.set("data_path_target", target, "path")


def _path_target(r: Reader, value: Any) -> str | None:
    name = text(value)
    if not name:
        return None
    local = r.local(name)
    if local is not None:
        kind = file_kind(local)
        if kind == "file":
            return "file"
        if kind == "folder":
            return "folder_with_mltable" if file_kind(local / "MLTable") == "file" else "folder_without_mltable"
        r.note(f"path {shown(name)} is not found next to the file; what it points at is not checked")
        return None
    if "*" in name:
        return None
    if name.endswith("/"):
        return "folder"
    last = name.rstrip("/").rsplit("/", 1)[-1]
    return "file" if FILE_EXTENSION.search(last.split("?", 1)[0]) else None


def datastore(r: Reader) -> None:
    kind = text(r.get("type"))
    if kind in ("azure_blob", "azure_file", "azure_data_lake_gen2", "azure_data_lake_gen1"):
        r.set("datastore_kind", kind, "type")
    credentials = r.get("credentials")
    secrets = [k for k, v in mapping(credentials).items()
               if k in DATASTORE_SECRETS and isinstance(v, str) and v.strip() and not PLACEHOLDER.match(v)]
    r.set("datastore_has_credentials", bool(mapping(credentials)),
          *(("credentials",) if credentials is not None else ()),
          origin="file" if credentials is not None else "not in the file")
    if secrets:
        r.set("credentials_in_file", True, "credentials", secrets[0])
    else:
        r.set("credentials_in_file", False, *(("credentials",) if credentials is not None else ()),
              origin="file" if credentials is not None else "not in the file")


def model(r: Reader) -> None:
    model_type = text(r.get("type"))
    if model_type in ("mlflow_model", "custom_model", "triton_model"):
        r.set("registered_model_type", model_type, "type")
    model_folder(r, r.get("path"), "path")


def model_folder(r: Reader, value: Any, *path: Any) -> None:
    local = r.local(value)
    if local is None:
        return
    kind = file_kind(local)
    if kind == "folder":
        r.set("model_folder_has_mlmodel", file_kind(local / "MLmodel") == "file", *path)
    elif kind == "file":
        r.set("model_folder_has_mlmodel", local.name == "MLmodel", *path)

