"""What the system refuses, when no command turned it into an AdvisorError, is still one line
with exit 2, never a traceback."""

from __future__ import annotations

from conftest import run_cli


def test_an_unexpected_os_error_is_one_line_with_exit_2(monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/srv/shared/\x1b]0;pwned\x07vocabulary")

    monkeypatch.setattr("advisor.knowledge.load_knowledge", refuse)
    result = run_cli("vocabulary")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("advisor: error: Permission denied: /srv/shared/")
    assert "\x1b" not in result.stderr and "Traceback" not in result.stderr

