"""The draft file: answers given so far, saved after every answer so nothing is lost.

It lives in the user's data directory (platformdirs), or in `$ADVISOR_DATA_DIR` when set.
Whatever is found at its path is read with care: only a regular file, at most 1 MiB,
opened without blocking (a FIFO or a link to /dev/zero is refused, not waited on or read
forever), and any JSON shape that is not a draft is one clear error. An unreadable draft is
set aside under a name no earlier one has, so none is ever overwritten.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from advisor.errors import AdvisorError, os_error_text
from advisor.files import make_folders
from advisor.interactive.answers import Answers, Survey, check_answer
from advisor.knowledge import KnowledgeBase
from advisor.paths import DATA_DIR_ENV, data_dir

DRAFT_NAME = "consultation-draft.json"
DRAFT_VERSION = 1


class DraftStore:
    def __init__(self, directory: Path | None = None) -> None:
        self.path = (directory or data_dir()) / DRAFT_NAME

    def exists(self) -> bool:
        """Something is at the draft's path (even a FIFO or a broken link: load says what)."""
        return os.path.lexists(self.path)

    def save(self, answers: Answers) -> None:
        """Write the draft atomically (a new file renamed over the old), so a crash mid-write
        leaves the previous draft whole."""
        folder = self.path.parent
        allowed = f"a folder you can write; set {DATA_DIR_ENV} to choose another"
        text = json.dumps({"version": DRAFT_VERSION, **answers.as_data()}, indent=2, ensure_ascii=False,
                          allow_nan=False)
        try:
            make_folders(folder)
        except OSError as exc:
            raise AdvisorError(f"cannot create the folder for saved answers: {os_error_text(exc)}",
                               where=str(folder), allowed=allowed) from None
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{self.path.name}.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            os.replace(tmp, self.path)
        except OSError as exc:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            raise AdvisorError(f"cannot save the answers: {os_error_text(exc)}", where=str(self.path),
                               allowed=allowed) from None

    def load(self, knowledge: KnowledgeBase) -> Answers:
        from advisor.yamlio import MAX_FILE_BYTES, read_limited

        where = str(self.path)
        try:
            raw_bytes = read_limited(self.path, MAX_FILE_BYTES)
        except FileNotFoundError:
            raise AdvisorError("no unfinished consultation to resume; start one with `advisor consult`",
                               where=where) from None
        except OSError as exc:
            raise AdvisorError(f"cannot read the saved answers: {os_error_text(exc)}", where=where) from None
        if raw_bytes is None:
            raise AdvisorError(f"cannot read the saved answers: over the {MAX_FILE_BYTES}-byte limit",
                               where=where)
        try:
            raw = json.loads(raw_bytes.decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else " ".join(str(exc).split())
            raise AdvisorError(f"cannot read the saved answers: {reason}", where=where) from None
        return _answers_from(raw, knowledge, where)

    def set_aside(self) -> Path:
        """Keep an unreadable draft under a new name (never over an earlier one), so starting
        afresh loses nothing."""
        for n in range(1, 1000):
            kept = self.path.with_name(self.path.name + (".unreadable" if n == 1 else f".unreadable-{n}"))
            if os.path.lexists(kept):
                continue
            try:
                os.link(self.path, kept, follow_symlinks=False)  # fails if `kept` appeared meanwhile
            except FileExistsError:
                continue
            except OSError:  # no hard links here: a rename after the check
                try:
                    os.replace(self.path, kept)
                except OSError as exc:
                    raise AdvisorError(f"cannot set the unreadable saved answers aside: {os_error_text(exc)}",
                                       where=str(self.path)) from None
                return kept
            self.path.unlink()
            return kept
        raise AdvisorError("too many unreadable drafts are kept; remove some", where=str(self.path.parent))

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _answers_from(raw: Any, knowledge: KnowledgeBase, where: str) -> Answers:
    if not isinstance(raw, dict) or raw.get("version") != DRAFT_VERSION \
            or not isinstance(raw.get("answers"), dict) or not isinstance(raw.get("asked"), list):
        raise AdvisorError("not a saved consultation this version of advisor understands", where=where)
    focus = raw.get("focus")
    if focus is not None and (not isinstance(focus, str) or focus not in knowledge.areas):
        raise AdvisorError(f"saved focus {str(focus)[:40]!r} is not an area", where=where,
                           allowed=", ".join(knowledge.areas))
    prefilled_from = raw.get("prefilled_from")
    if prefilled_from is not None and not isinstance(prefilled_from, str):
        raise AdvisorError("saved prefilled_from is not a file name", where=where)
    answers = Answers(focus=focus, prefilled_from=prefilled_from)
    vocabulary = knowledge.vocabulary
    for name, value in raw["answers"].items():
        spec = vocabulary.fact(name)
        if not vocabulary.is_input(name):
            raise AdvisorError(f"saved answer for unknown fact {name!r} (has the vocabulary changed?)",
                               where=where)
        try:
            answers.values[name] = check_answer(spec, value)
        except (ValueError, TypeError) as exc:
            raise AdvisorError(f"saved answer {name}: {exc}", where=where) from None
    answers.asked = [name for name in raw["asked"] if isinstance(name, str) and name in answers.values]
    groups = raw.get("together")
    for group in groups if isinstance(groups, list) else ():
        kept = tuple(n for n in group if isinstance(n, str) and n in answers.asked) if isinstance(group, list) else ()
        if len(kept) > 1:
            answers.together.append(kept)
    answers.restore_mode(raw.get("existing"), knowledge)
    skipped = raw.get("skipped_topics")  # absent in drafts older than the topic checklist
    if isinstance(skipped, list):
        answers.skipped = tuple(t for t in skipped if isinstance(t, str) and t in knowledge.areas)
    answers.mode_in_topics = raw.get("mode_in_topics") is True and answers.existing is not None
    in_topics = raw.get("in_topics")  # absent in drafts older than the goal in the checklist
    if isinstance(in_topics, list):
        answers.in_topics = tuple(n for n in in_topics if isinstance(n, str) and n in answers.values
                                  and n not in answers.asked)
    retired = raw.get("retired")
    if isinstance(retired, dict):
        answers.retired = {name: topic for name, topic in retired.items()
                           if name in answers.asked and isinstance(topic, str) and topic in knowledge.areas}
    answers.surveying = raw.get("surveying") is True  # absent in drafts older than the surveys
    surveys = raw.get("surveys")
    for item in surveys if isinstance(surveys, list) else ():
        survey = _survey_from(item, knowledge, len(answers.asked))
        if survey is not None:
            answers.surveys.append(survey)
    return answers


def _survey_from(raw: Any, knowledge: KnowledgeBase, answered: int) -> Survey | None:
    """A saved survey, keeping only input facts (None when it is not one)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("at"), int) or isinstance(raw.get("at"), bool):
        return None
    listed, unknown = raw.get("listed"), raw.get("unknown")
    if not isinstance(listed, list) or not isinstance(unknown, list):
        return None
    facts = tuple(n for n in listed if isinstance(n, str) and knowledge.vocabulary.is_input(n))
    return Survey(min(max(raw["at"], 0), answered), facts, tuple(n for n in unknown if n in facts),
                  raw.get("opening") is True)
