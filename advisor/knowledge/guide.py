"""The study guide's six sections and its units (the only valid rule sources)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    id: str
    number: int
    title: str

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"


@dataclass(frozen=True)
class Unit:
    url: str
    title: str
    section: str


@dataclass(frozen=True)
class Guide:
    sections: tuple[Section, ...]
    units: tuple[Unit, ...]

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def unit(self, url: str) -> Unit | None:
        return next((u for u in self.units if u.url == url), None)

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections)
