"""Where the knowledge base (the `rules/` folder) lives."""

from __future__ import annotations

import os
from pathlib import Path

RULES_DIR_ENV = "ADVISOR_RULES_DIR"


def rules_dir() -> Path:
    """`$ADVISOR_RULES_DIR`, else the copy inside an installed wheel, else the source tree's."""
    override = os.environ.get(RULES_DIR_ENV)
    if override:
        return Path(override)
    package = Path(__file__).resolve().parent.parent
    packaged = package / "_knowledge" / "rules"
    if packaged.is_dir():
        return packaged
    return package.parent / "rules"
