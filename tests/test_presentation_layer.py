"""The presentation layer's boundaries, read from the source: `rich` only in the
presentation package, the interactive prompts and the CLI; old render locations are gone.
(Upward imports in general: tests/test_layers.py.)"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "advisor"
RICH_ALLOWED = ("presentation", "interactive", "cli")


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules() -> list[tuple[str, Path]]:
    return [(str(p.relative_to(PACKAGE)), p) for p in sorted(PACKAGE.rglob("*.py"))]


def test_the_scan_reads_real_imports():
    assert "rich.console" in imports(PACKAGE / "presentation" / "terminal.py")
    assert any("rich" in name for name in imports(PACKAGE / "interactive" / "display.py"))


def test_rich_is_imported_only_by_presentation_interactive_and_cli():
    offenders = [rel for rel, path in modules()
                 if rel.split("/")[0] not in RICH_ALLOWED
                 and any(name == "rich" or name.startswith("rich.") for name in imports(path))]
    assert offenders == []


def test_old_render_locations_are_gone():
    for old in ("report.py", "render", "evaluation/render", "explain/render.py", "drill/render.py",
                "explain/values.py"):
        assert not (PACKAGE / old).exists(), old
