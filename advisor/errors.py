"""Errors a user can cause. The CLI turns each into one message and exit code 2."""

from __future__ import annotations

from advisor.visible import visible


class AdvisorError(Exception):
    """A problem with user input: names what, where, and what is allowed."""

    def __init__(self, message: str, *, where: str | None = None, line: int | None = None,
                 allowed: str | None = None) -> None:
        self.message = message
        self.where = where
        self.line = line
        self.allowed = allowed
        super().__init__(self.render())

    def render(self) -> str:
        location = ""
        if self.where:
            location = self.where + (f":{self.line}" if self.line else "") + ": "
        text = location + self.message
        if self.allowed:
            text += f" (allowed: {self.allowed})"
        # One line, whatever a library's message held, and no raw control or bidi characters: a
        # file name or a value can carry escape sequences that would otherwise reach the terminal.
        return visible(" ".join(text.splitlines()), one_line=True)


def os_error_text(exc: OSError) -> str:
    """An OSError in words, without Python's "[Errno 13]" prefix or a repeated path."""
    return exc.strerror or str(exc) or type(exc).__name__


class KnowledgeError(AdvisorError):
    """The rule base or vocabulary is invalid."""


class ScenarioError(AdvisorError):
    """A scenario file cannot be read or does not fit the vocabulary."""
