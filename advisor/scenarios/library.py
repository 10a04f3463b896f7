"""The shipped scenario library by name: `advisor scenarios` lists it, and `advisor consult
NAME` (or `advisor.consult("NAME")`) finds a shipped scenario by its file name when no such
file exists where the user is."""


from pathlib import Path
from typing import NamedTuple

from advisor.errors import ScenarioError
from advisor.paths import scenarios_dir

SUFFIXES = (".yaml", ".yml")


class ShippedScenario(NamedTuple):  # not a frozen dataclass: ~1 ms less on every consult's start
    """A scenario of the shipped library, by group and name."""

    name: str          # the file name without .yaml: what `advisor consult NAME` takes
    group: str         # its folder in the library ("" at the top)
    path: Path


def shipped_scenarios() -> list[ShippedScenario]:
    """Every scenario in the library, by group and name."""
    root = scenarios_dir()
    if root is None:
        return []
    found = [p for p in root.rglob("*") if p.suffix in SUFFIXES and p.is_file()]
    return sorted((ShippedScenario(p.stem, p.parent.relative_to(root).as_posix().replace(".", ""), p)
                   for p in found), key=lambda s: (s.group, s.name))


def resolve_scenario(given: str | Path) -> Path:
    """`given` itself when it exists (or is `-`); else the shipped scenario of that name
    (`image-classifier`, `image-classifier.yaml`, `end-to-end/customer-churn-automl`)."""
    path = Path(given)
    if str(given) == "-" or path.exists():
        return path
    text = str(given).replace("\\", "/")
    stem = text[:-len(path.suffix)] if path.suffix in SUFFIXES else text
    library = shipped_scenarios()
    matches = [s for s in library if stem in (s.name, f"{s.group}/{s.name}")]
    if len(matches) == 1:
        return matches[0].path
    import difflib  # only for a name that matches nothing: not on every consult's path

    close = difflib.get_close_matches(Path(stem).name, [s.name for s in library], n=3)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise ScenarioError(f"no such file, nor a shipped scenario of that name{hint} "
                        "(advisor scenarios lists them)", where=str(given))


def scenario_title(path: Path) -> str:
    """A scenario file's `name:` (read from its text, without parsing the whole library)."""
    import re

    try:
        text = path.read_text(encoding="utf-8")[:4096]
    except (OSError, UnicodeDecodeError):
        return ""
    found = re.search(r"^name:[ \t]*(.+?)[ \t]*$", text, re.M)
    return found.group(1).strip("'\"") if found else ""
