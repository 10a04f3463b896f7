"""The `advisor` console script. Commands import what they need when they run."""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path

from advisor import VERSION_FLAGS, __version__

COMMANDS_DIR = Path(__file__).parent / "commands"


def command_modules() -> list[str]:
    """Every module (or package, for a command group) in advisor/cli/commands has `register(app)`:
    adding a command is adding a file."""
    from advisor.paths import files_ending

    modules = [p.stem for p in files_ending(COMMANDS_DIR, ".py")]
    packages = [p.name for p in files_ending(COMMANDS_DIR, "") if (p / "__init__.py").is_file()]
    return sorted(name for name in modules + packages if not name.startswith("_"))


def build_app():
    """The `advisor` app. Each command module is imported only when its command runs, is
    completed or is listed (`advisor -h`): a consult pays for consult's imports alone."""
    from advisor.cli import framework as cli

    app = cli.App(
        name="advisor",
        help="Azure Machine Learning architecture advice from the DP-100 study guide, rule by rule.",
        no_args_is_help=True,
        add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
    )

    @app.callback()
    def _root(version: bool = cli.Option(False, *VERSION_FLAGS, help="Print the version and exit.")) -> None:
        if version:
            print(f"advisor {__version__}")
            raise cli.Exit()

    for name in command_modules():
        app.add_lazy(name, lambda app, name=name: import_module(f"advisor.cli.commands.{name}").register(app))
    return app


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    from advisor.cli.framework import UsageError
    from advisor.cli.output import safe_streams
    from advisor.errors import AdvisorError, os_error_text
    from advisor.files import forget_inputs

    forget_inputs()  # a new run: no file read yet may be written over
    safe_streams()
    app = build_app()
    try:
        code = app.run(args, prog_name="advisor")
    except UsageError as exc:  # told in the one style every other error has (advisor: error: ..., exit 2)
        usage_error(exc)
        sys.exit(2)
    except AdvisorError as exc:  # control characters from a file name or a file are shown, not sent
        from advisor.presentation.escape.terminal import visible

        print(f"advisor: error: {visible(exc.render(), one_line=True)}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        from advisor.stopping import stop_begun

        stop_begun()
        print("advisor: interrupted", file=sys.stderr)
        sys.exit(130)
    except OSError as exc:  # anything the system refused that no command turned into an AdvisorError
        from advisor.presentation.escape.terminal import visible

        where = f": {exc.filename}" if exc.filename else ""
        print(f"advisor: error: {visible(os_error_text(exc) + where, one_line=True)}", file=sys.stderr)
        sys.exit(2)
    sys.exit(code)


def usage_error(exc) -> None:
    """`advisor: error: MESSAGE` and where to find help, as every other error is told."""
    from advisor.presentation.escape.terminal import visible

    print(f"advisor: error: {visible(exc.message, one_line=True)}", file=sys.stderr)
    if exc.path is not None:
        print(f"Try '{' '.join(exc.path)} -h' for help.", file=sys.stderr)
