"""The draft file: answers given so far, saved after every answer so nothing is lost.

It lives in the user's data directory (platformdirs), or in `$ADVISOR_DATA_DIR` when set.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from advisor.errors import AdvisorError
from advisor.interactive.answers import Answers, check_answer
from advisor.knowledge import KnowledgeBase
from advisor.paths import data_dir

DRAFT_NAME = "consultation-draft.json"
DRAFT_VERSION = 1


class DraftStore:
    def __init__(self, directory: Path | None = None) -> None:
        self.path = (directory or data_dir()) / DRAFT_NAME

    def exists(self) -> bool:
        return self.path.is_file()

    def save(self, answers: Answers) -> None:
        from advisor.cli.output import write_file_atomically

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AdvisorError(f"cannot create the folder for saved answers: {exc.strerror or exc}",
                               where=str(self.path.parent)) from None
        text = json.dumps({"version": DRAFT_VERSION, **answers.as_data()}, indent=2, ensure_ascii=False)
        write_file_atomically(self.path, text + "\n")

    def load(self, knowledge: KnowledgeBase) -> Answers:
        where = str(self.path)
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise AdvisorError("no unfinished consultation to resume; start one with `advisor consult`",
                               where=where) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise AdvisorError(f"cannot read the saved answers: {exc}", where=where) from None
        return _answers_from(raw, knowledge, where)

    def set_aside(self) -> Path:
        """Keep an unreadable draft under another name, so starting afresh loses nothing."""
        kept = self.path.with_name(self.path.name + ".unreadable")
        self.path.replace(kept)
        return kept

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def _answers_from(raw: Any, knowledge: KnowledgeBase, where: str) -> Answers:
    if not isinstance(raw, dict) or raw.get("version") != DRAFT_VERSION \
            or not isinstance(raw.get("answers"), dict) or not isinstance(raw.get("asked"), list):
        raise AdvisorError("not a saved consultation this version of advisor understands", where=where)
    focus = raw.get("focus")
    if focus is not None and focus not in knowledge.areas:
        raise AdvisorError(f"saved focus {focus!r} is not an area", where=where,
                           allowed=", ".join(knowledge.areas))
    answers = Answers(focus=focus, prefilled_from=raw.get("prefilled_from"))
    vocabulary = knowledge.vocabulary
    for name, value in raw["answers"].items():
        spec = vocabulary.fact(name)
        if not vocabulary.is_input(name):
            raise AdvisorError(f"saved answer for unknown fact {name!r} (has the vocabulary changed?)",
                               where=where)
        try:
            answers.values[name] = check_answer(spec, value)
        except ValueError as exc:
            raise AdvisorError(f"saved answer {name}: {exc}", where=where) from None
    answers.asked = [name for name in raw["asked"] if name in answers.values]
    return answers
