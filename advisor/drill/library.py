"""Questions from the scenario library (scenarios/**/*.yaml), read lazily.

Files are read only when the session needs another question; a file that fails to load,
or has no decision with one clear answer, is skipped (the library may be mid-edit).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

from advisor.drill.questions import DrillQuestion, build_question, usable_decisions
from advisor.engine.advisor import Advisor
from advisor.errors import AdvisorError


class LibrarySource:
    """Yields library questions, one decision per file in turn, in a seeded order."""

    def __init__(self, folder: Path | None, advisor: Advisor, rng: random.Random,
                 wanted: Callable[[str], bool], loaded: dict[Path, tuple | None] | None = None) -> None:
        self.folder = folder
        self.advisor = advisor
        self.rng = rng
        self.wanted = wanted  # decision name -> whether this session asks about it
        self.skipped: list[str] = []
        # path -> (scenario, consultation), or None for a file that failed: shared by the
        # sources of one session (one per exam domain), so each file is consulted once
        self.loaded = {} if loaded is None else loaded

    def questions(self) -> Iterator[DrillQuestion]:
        if self.folder is None or not self.folder.is_dir():
            return
        paths = sorted(self.folder.rglob("*.yaml"))
        self.rng.shuffle(paths)
        # Round robin: one question per file per pass, so a session mixes scenarios.
        pending: list[tuple[Path, tuple | None, list[str]]] = [(path, None, []) for path in paths]
        while pending:
            next_round = []
            for path, loaded, decisions in pending:
                if loaded is None:
                    loaded = self._load(path)
                    if loaded is None:
                        continue
                    decisions = [d for d in usable_decisions(loaded[1], self.advisor.knowledge)
                                 if self.wanted(d)]
                    self.rng.shuffle(decisions)
                if not decisions:
                    continue
                scenario, consultation = loaded
                question = build_question(consultation, decisions.pop(), self.advisor.knowledge, self.rng,
                                          origin=f"library:{self._relative(path)}",
                                          description=_scenario_text(scenario))
                if question is not None:
                    yield question
                next_round.append((path, loaded, decisions))
            pending = next_round

    def _load(self, path: Path):
        from advisor.scenarios import load_scenario

        if path not in self.loaded:
            try:
                scenario = load_scenario(path, self.advisor.knowledge)
                self.loaded[path] = (scenario, self.advisor.consult(scenario.facts))
            except AdvisorError:
                self.loaded[path] = None
        if self.loaded[path] is None:
            self._skip(path)
        return self.loaded[path]

    def _skip(self, path: Path) -> None:
        name = self._relative(path)
        if name not in self.skipped:
            self.skipped.append(name)

    def _relative(self, path: Path) -> str:
        assert self.folder is not None
        try:
            return path.relative_to(self.folder).as_posix()
        except ValueError:
            return path.as_posix()


def _scenario_text(scenario) -> str:
    text = scenario.name.strip()
    if scenario.description:
        text += ": " + " ".join(scenario.description.split())
    return text
