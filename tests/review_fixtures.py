"""The Azure ML YAML fixtures of tests/fixtures/azureml and the annotations in their header:
`# expect: rule.id, other.id@12` (the findings the review must give, and where one is given,
the line it must sit on), `# facts: name=value, ...`
(context given as --fact), `# loader: rejects` (the official loader already refuses it)."""

from __future__ import annotations

from pathlib import Path

from advisor.azureml.fixtures import header as fixture_header

FIXTURES = Path(__file__).parent / "fixtures" / "azureml"
FLAWED = sorted((FIXTURES / "flawed").glob("*.yml"))
CLEAN = sorted((FIXTURES / "clean").glob("*.yml"))
UNREADABLE = sorted((FIXTURES / "unreadable").glob("*.yml"))
NOTED = sorted((FIXTURES / "noted").glob("*.yml"))
TEMPLATES = sorted((FIXTURES / "templates").glob("*.yml"))
FOLDERS = sorted(p for p in (FIXTURES / "folders").iterdir() if p.is_dir())
FOLDER_FILES = sorted(p for folder in FOLDERS for p in folder.glob("*.yml"))


def header(path: Path) -> dict[str, str]:
    """The `# key: value` annotations before the file's first setting (as rules lint reads them)."""
    return fixture_header(path.read_text(encoding="utf-8"))


def expected_rules(path: Path) -> set[str]:
    return set(expected_lines(path))


def expected_lines(path: Path) -> dict[str, int | None]:
    """Each expected rule id, with the line its finding must sit on (None: any line)."""
    expect = header(path).get("expect", "")
    found: dict[str, int | None] = {}
    for item in (r.strip() for r in expect.split(",")):
        if item:
            rule, _, line = item.partition("@")
            found[rule.strip()] = int(line) if line.strip() else None
    return found


def given_facts(path: Path) -> list[str]:
    facts = header(path).get("facts", "")
    return [f.strip() for f in facts.split(",") if f.strip()]


def loader_rejects(path: Path) -> bool:
    return header(path).get("loader", "").startswith("rejects")
