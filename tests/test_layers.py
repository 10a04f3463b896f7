"""The layers of docs/architecture.md, enforced: no module imports a layer above its own.

Every `import advisor...` in the package is read with ast (lazy imports inside functions
included) and checked against LAYERS. A new top-level module or package must be placed in a
layer here and in docs/architecture.md, or this test names it. The presentation layer's own
boundaries (rich only in presentation, interactive and cli; old render locations gone) are
checked at the end, on the same parse.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "advisor"

# Module prefix -> layer; the longest matching prefix wins. Lower layers never import higher ones.
BASE, KNOWLEDGE, ENGINE, FEATURES, PRESENTATION, CLI = range(6)
LAYER_NAMES = ("base", "knowledge", "engine", "features", "presentation", "cli")
LAYERS = {
    "advisor": BASE,                      # the package itself: its version
    "advisor.errors": BASE,
    "advisor.paths": BASE,
    "advisor.yamlio": BASE,
    "advisor.records": BASE,              # dataclasses made without compiling source at import
    "advisor.collector": BASE,            # the garbage collector paused over work that makes no cycles
    "advisor.files": BASE,
    "advisor.stopping": BASE,             # a stop once begun is not cut short by a second Ctrl-C
    "advisor.knowledge": KNOWLEDGE,
    "advisor.scenarios": KNOWLEDGE,       # scenario files: facts checked against the vocabulary
    "advisor.engine": ENGINE,
    "advisor.explain": FEATURES,
    "advisor.evaluation": FEATURES,
    "advisor.interactive": FEATURES,
    "advisor.drill": FEATURES,
    "advisor.azureml": FEATURES,
    "advisor.lint": FEATURES,
    "advisor.presentation": PRESENTATION,
    "advisor.cli": CLI,
    "advisor.api": CLI,                   # the Python API: a front end, as the command line is
    "advisor.__main__": CLI,
}
FEATURES_PACKAGES = ("explain", "evaluation", "interactive", "drill", "azureml", "lint")
# Features are independent of each other, except: evaluation and drill explain a rule that did
# not fire with explain's why-not, and drill's YAML completion questions are written by azureml's
# emit (one implementation each, see docs/architecture.md).
FEATURE_USES = {("evaluation", "explain"), ("drill", "explain"), ("drill", "azureml"),
                ("lint", "azureml")}  # lint counts review's annotated fixtures as rule examples

# `advisor.consult` is the package's own name for its Python API: the root module imports it
# inside the function (so `import advisor` stays cheap), the one way down from the top.
FRONT_DOOR = {("advisor", "advisor.api")}

# Upward imports still on main, each to be removed by the helper named. Keep this list empty.
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int | None:
    best = max((prefix for prefix in LAYERS if module == prefix or module.startswith(prefix + ".")),
               key=len, default=None)
    return None if best is None else LAYERS[best]


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FEATURES_PACKAGES else None


@functools.cache  # each module's source parsed once for the checks here (~0.5 CPU s for the package)
def imports(path: Path) -> frozenset[str]:
    """Every module the file imports by its absolute name, anywhere in it (lazy imports inside
    functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return frozenset(found)


def imported_modules(path: Path) -> set[str]:
    """Every advisor module the file imports, anywhere in it (`from advisor.x import y` may name
    the module advisor.x.y; the longest-prefix lookup places either correctly)."""
    return {name for name in imports(path) if name.split(".")[0] == "advisor"}


def all_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@functools.cache  # read by two tests: every module's source parsed once (~0.5 CPU s)
def violations() -> frozenset[tuple[str, str]]:
    found = set()
    for module, path in all_modules().items():
        own = layer_of(module)
        for target in imported_modules(path):
            theirs = layer_of(target)
            if own is None or theirs is None:
                continue  # reported by test_every_module_has_a_layer
            if theirs > own and (module, target) not in FRONT_DOOR:
                found.add((module, target))
            elif own == theirs == FEATURES:
                mine, other = feature_of(module), feature_of(target)
                if mine != other and (mine, other) not in FEATURE_USES:
                    found.add((module, target))
    return frozenset(found)


def test_every_module_has_a_layer():
    unplaced = sorted(m for m in all_modules() if layer_of(m) is None)
    assert not unplaced, f"place these in LAYERS here and in docs/architecture.md: {unplaced}"


def test_no_module_imports_a_layer_above_its_own():
    found = violations() - KNOWN_VIOLATIONS
    lines = [f"{m} ({LAYER_NAMES[layer_of(m)]}) imports {t} ({LAYER_NAMES[layer_of(t)]})"
             for m, t in sorted(found)]
    assert not lines, "upward or cross-feature imports:\n" + "\n".join(lines)


def test_known_violations_are_still_real():
    """A fixed violation must leave KNOWN_VIOLATIONS, so the list only shrinks."""
    assert KNOWN_VIOLATIONS <= violations(), sorted(KNOWN_VIOLATIONS - violations())


@pytest.mark.parametrize(("source", "target", "allowed"), [
    ("advisor.engine.advisor", "advisor.knowledge.base", True),
    ("advisor.knowledge.base", "advisor.engine.advisor", False),
    ("advisor.interactive.session", "advisor.cli.output", False),
    ("advisor.explain.certainty", "advisor.presentation.consultation.data", False),
    ("advisor.drill.feedback", "advisor.explain.whynot", True),
    ("advisor.lint.checks", "advisor.drill.questions", False),
    ("advisor.presentation.evaluation", "advisor.evaluation.results", True),
    ("advisor.presentation.explanation", "advisor.explain.whynot", True),
    ("advisor.cli.app", "advisor.presentation", True),
])
def test_the_checker_tells_up_from_down(source, target, allowed):
    own, theirs = layer_of(source), layer_of(target)
    upward = theirs > own or (own == theirs == FEATURES and feature_of(source) != feature_of(target)
                              and (feature_of(source), feature_of(target)) not in FEATURE_USES)
    assert upward is not allowed


# --- the presentation layer's own boundaries -------------------------------------------------
# (here, not in a file of their own, so the package's sources are parsed once for both checks)

RICH_ALLOWED = ("presentation", "interactive", "cli")


def test_the_scan_reads_real_imports():
    assert "rich.console" in imports(PACKAGE / "presentation" / "terminal.py")
    assert any("rich" in name for name in imports(PACKAGE / "interactive" / "display.py"))


def test_rich_is_imported_only_by_presentation_interactive_and_cli():
    """`rich` only in the presentation package, the interactive prompts and the CLI."""
    offenders = [str(path.relative_to(PACKAGE)) for path in sorted(PACKAGE.rglob("*.py"))
                 if str(path.relative_to(PACKAGE)).split("/")[0] not in RICH_ALLOWED
                 and any(name == "rich" or name.startswith("rich.") for name in imports(path))]
    assert offenders == []


def test_old_render_locations_are_gone():
    for old in ("report.py", "render", "evaluation/render", "explain/render.py", "drill/render.py",
                "explain/values.py"):
        assert not (PACKAGE / old).exists(), old
