"""Tab completion of the values options and arguments take: areas, guide sections, rule ids,
decisions. Each loads the knowledge only when the shell asks (never on an ordinary run)."""

from __future__ import annotations

from advisor.cli.options import completer


def _knowledge():
    from advisor.knowledge import load_knowledge

    return load_knowledge()


def area_names() -> list[str]:
    """The rule areas (a rules file each), without loading the knowledge: the rules folder's
    file names, for help text."""
    from advisor.paths import rules_dir

    skip = {"vocabulary", "guide"}
    return sorted(p.stem for p in rules_dir().glob("*.yaml")
                  if p.stem not in skip and not p.name.endswith(".examples.yaml"))


areas = completer(lambda: list(_knowledge().areas))
sections = completer(lambda: list(_knowledge().guide.section_ids))
rule_ids = completer(lambda: [r.id for r in _knowledge().rules])
decisions = completer(lambda: [d.name for d in _knowledge().vocabulary.decisions])
