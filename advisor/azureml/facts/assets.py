"""Assets: environments, data assets, datastores, models."""

from __future__ import annotations

from typing import Any

from advisor.azureml.facts.reader import (
    CONNECTION_SECRETS,
    DATASTORE_SECRETS,
    FILE_EXTENSION,
    Reader,
    file_kind,
    is_placeholder,
    mapping,
    shown,
    text,
    trains,
)


def environment(r: Reader) -> None:
    """An environment file: checked as a training environment unless it serves a model (an
    inference_config, or its name, description or folder says inference, scoring, deployment)."""
    folders = "/".join(r.document.folder.parts[-4:])
    serving = isinstance(r.get("inference_config"), dict) or not trains(
        r.get("name"), r.get("description"), folders, r.document.path.rsplit("/", 1)[-1])
    if serving:
        r.note("an environment that serves a model (by its inference_config, name, description or "
               "folder): not checked for MLflow or a pinned image")
    r.environment(training=not serving)


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
    r.set("datastore_has_credentials", bool(mapping(credentials)),
          *(("credentials",) if credentials is not None else ()),
          origin="file" if credentials is not None else "not in the file")
    _credentials(r, DATASTORE_SECRETS)


def connection(r: Reader) -> None:
    """A workspace connection: a secret in its credentials (or a top-level api_key) is
    reported; a placeholder is noted as one."""
    _credentials(r, CONNECTION_SECRETS, top_level=("api_key", "key"))


def _credentials(r: Reader, names: tuple[str, ...], top_level: tuple[str, ...] = ()) -> None:
    credentials = r.get("credentials")
    places = [(("credentials", k), v) for k, v in mapping(credentials).items() if k in names]
    places += [((k,), r.get(k)) for k in top_level if r.get(k) is not None]
    secrets = []
    for path, value in places:
        if not isinstance(value, str) or not value.strip():
            continue
        if is_placeholder(value):
            r.note(f"{'.'.join(map(str, path))} is a placeholder, to be filled in when the asset is created; "
                   "not a secret")
        else:
            secrets.append(path)
    if secrets:
        r.set("credentials_in_file", True, *secrets[0])
    else:
        given = credentials is not None or any(len(p) == 1 for p, _ in places)
        r.set("credentials_in_file", False, *(("credentials",) if credentials is not None else ()),
              origin="file" if given else "not in the file")


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

