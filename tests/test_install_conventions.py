"""Conventions users expect of a Python CLI: -h, -V, shell completion; and CI runs README's command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONSOLE_SCRIPT, run_process

from advisor import __version__
from advisor.cli.app import build_app, main

ROOT = Path(__file__).resolve().parents[1]


def run_main(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


def command_paths() -> list[tuple[str, ...]]:
    """Every command and command group, e.g. ("consult",), ("rules", "lint")."""
    from advisor.cli.framework import App

    paths: list[tuple[str, ...]] = []

    def walk(command, path: tuple[str, ...]) -> None:
        paths.append(path)
        if isinstance(command, App):
            for name, sub in sorted(command.all_commands().items()):
                walk(sub, (*path, name))

    walk(build_app(), ())
    return paths


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version_flags(capsys, flag):
    assert run_main(capsys, flag) == (0, f"advisor {__version__}\n", "")


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_the_console_script_answers_the_version_before_loading_the_cli(flag):
    """A fresh interpreter (the point of this test): only the entry module is imported."""
    code = ("import sys; sys.argv = ['advisor', sys.argv[1]]\n"
            "from advisor.__main__ import main; main()\n"
            "print(sorted(m for m in ('advisor.cli.app', 'advisor.cli.framework', 'pathlib') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, flag], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    version, loaded = result.stdout.splitlines()
    assert version == f"advisor {__version__}"
    assert "advisor.cli.app" not in loaded and "advisor.cli.framework" not in loaded


def test_a_cached_consult_imports_neither_pydantic_nor_a_cli_library_nor_openssl(tmp_path):
    """Every CLI call pays its imports (issue 26): once the knowledge cache is written, a consult
    reads a scenario and parses its command line without pydantic, typer or click, and imports
    no other command's module, and checks the cache's digest without OpenSSL (_hashlib). A fresh
    interpreter each time (the point of this test); the first run writes the cache."""
    code = ("import sys\nfrom advisor.cli.app import main\n"
            "try:\n    main(['consult', sys.argv[1], '--format', 'json'])\nexcept SystemExit as exit_:\n"
            "    assert exit_.code == 0, exit_.code\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'typer', 'click', '_hashlib'}),"
            " file=sys.stderr)\n"
            "print(sorted(m for m in sys.modules if m.startswith('advisor.cli.commands.')), file=sys.stderr)")
    env = {**os.environ, "ADVISOR_CACHE_DIR": str(tmp_path / "cache")}
    scenario = str(ROOT / "scenarios" / "image-classifier.yaml")
    runs = [subprocess.run([sys.executable, "-c", code, scenario], capture_output=True, text=True, env=env,
                           timeout=120) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[-1].stderr
    assert "pydantic" in runs[0].stderr  # the first run validates the rule files, writing the cache
    assert runs[1].stderr.splitlines()[-2:] == ["[]", "['advisor.cli.commands.consult']"]  # its command alone


def test_version_flag_through_the_cli_framework(capsys):
    """Not only the fast path: the root option itself answers -V."""
    code = build_app().run(["-V"], prog_name="advisor")
    assert (code, capsys.readouterr().out) == (0, f"advisor {__version__}\n")


def test_every_command_is_found():
    paths = command_paths()
    assert {("consult",), ("drill",), ("evaluate",), ("explain",), ("review",), ("rules",)} <= set(paths)
    assert any(len(p) == 2 for p in paths)  # nested commands (rules ...) are walked too


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "advisor")
def test_short_and_long_help_on_every_command(capsys, path):
    code, long_help, _ = run_main(capsys, *path, "--help")
    assert code == 0 and long_help.startswith("Usage: advisor")
    assert run_main(capsys, *path, "-h") == (0, long_help, "")
    assert "-h, --help" in long_help


def test_root_help_offers_version_and_completion(capsys):
    _, text, _ = run_main(capsys, "-h")
    assert "-V, --version" in text
    assert "--install-completion" in text and "--show-completion" in text


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_show_completion_prints_a_script_for_the_shell(capsys, monkeypatch, shell):
    monkeypatch.delenv("SHELL", raising=False)  # the shell named, not the one this test runs under
    code, script, _ = run_main(capsys, "--show-completion", shell)
    assert code == 0
    assert "_ADVISOR_COMPLETE" in script and f"complete_{shell}" in script


def complete_bash(capsys, monkeypatch, line: str) -> list[str]:
    """What bash completion offers for the last word of `line` (as the script above asks)."""
    words = line.split(" ")
    monkeypatch.setenv("_ADVISOR_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", line)
    monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    code, out, _ = run_main(capsys)
    assert code == 0
    return out.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion_through_the_script_it_prints():
    """The real round trip: bash sources `--show-completion bash`, which calls the console script
    back with the words bash joins by its IFS (a newline in the script, not a space)."""
    script = run_process("--show-completion", "bash").stdout
    line = ('source /dev/stdin; COMP_WORDS=(advisor consult --format ""); COMP_CWORD=3; _advisor_completion; '
            'echo "${COMPREPLY[*]}"; COMP_WORDS=(advisor rules sh); COMP_CWORD=2; _advisor_completion; '
            'echo "${COMPREPLY[*]}"')
    env = {**os.environ, "PATH": f"{Path(CONSOLE_SCRIPT).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(["bash", "-c", line], input=script, capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["text json markdown html svg mermaid", "show"]


def test_completion_offers_commands(capsys, monkeypatch):
    assert complete_bash(capsys, monkeypatch, "advisor con") == ["consult"]
    assert set(complete_bash(capsys, monkeypatch, "advisor rules ")) >= {"list", "show", "lint"}


def test_completion_offers_a_commands_options(capsys, monkeypatch):
    assert "--format" in complete_bash(capsys, monkeypatch, "advisor consult --f")


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick_start, re.S)
    assert block, "README's Quick start has a ```sh block"
    test_command = block.group(1).strip().splitlines()[-1]
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert ci_lines[-1] == test_command
