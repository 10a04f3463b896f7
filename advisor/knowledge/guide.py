"""The study guide's six sections and its units (the only valid rule sources)."""

from __future__ import annotations

from advisor.records import record


@record(frozen=True)
class Section:
    """One of the study guide's sections."""

    id: str
    number: int
    title: str

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"


@record(frozen=True)
class Unit:
    """A unit of the study guide: a URL a rule can cite."""

    url: str
    title: str
    section: str
    kind: str = "content"  # or "introduction", "exercise": units no rule needs to cite

    @property
    def is_content(self) -> bool:
        return self.kind == "content"


@record(frozen=True)
class Guide:
    """The study guide's sections and units."""

    sections: tuple[Section, ...]
    units: tuple[Unit, ...]

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def unit(self, url: str) -> Unit | None:
        return next((u for u in self.units if u.url == url), None)

    @property
    def content_units(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.is_content)

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections)
