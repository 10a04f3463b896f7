"""A baseline file, as ruff and Checkov keep one: the findings a team has accepted, so a CI run
fails only on new ones. Each finding is keyed by its rule, its file (relative to the baseline
file's folder, so a checkout elsewhere still matches) and a fingerprint of the setting it sits
on (the rule, the step and the text of that line), not its line number: editing lines above
it doesn't make it new."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from advisor.errors import AdvisorError
from advisor.records import record

VERSION = 1


@record(frozen=True)
class BaselineKey:
    rule_id: str
    path: str
    fingerprint: str


def relative_to(path: str, folder: Path) -> str:
    try:
        return Path(os.path.relpath(Path(path).resolve(), folder.resolve())).as_posix()
    except (ValueError, OSError):
        return Path(path).as_posix()


def fingerprint(rule_id: str, step: str | None, line_text: str) -> str:
    text = f"{rule_id}\n{step or ''}\n{' '.join(line_text.split())}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def key_of(finding, path: str, file_text: str, folder: Path) -> BaselineKey:
    lines = file_text.splitlines()
    line_text = lines[finding.line - 1] if finding.line and 0 < finding.line <= len(lines) else ""
    return BaselineKey(finding.rule_id, relative_to(path, folder), fingerprint(finding.rule_id, finding.step,
                                                                              line_text))


def read_baseline(path: Path) -> set[BaselineKey]:
    """The keys of a baseline file; AdvisorError (exit 2) when it isn't one."""
    from advisor.yamlio import read_text_file

    text = read_text_file(path, "an advisor review baseline (JSON)")
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
            raise ValueError("not an advisor review baseline")
        return {BaselineKey(str(f["rule_id"]), str(f["path"]), str(f["fingerprint"])) for f in data["findings"]}
    except (ValueError, KeyError, TypeError) as exc:
        raise AdvisorError(f"not a baseline written by advisor review --baseline ({exc})", where=str(path)) from None


def baseline_text(keys: list[BaselineKey]) -> str:
    rows = [{"rule_id": k.rule_id, "path": k.path, "fingerprint": k.fingerprint}
            for k in sorted(set(keys), key=lambda k: (k.path, k.rule_id, k.fingerprint))]
    return json.dumps({"version": VERSION, "findings": rows}, indent=2, ensure_ascii=False) + "\n"
