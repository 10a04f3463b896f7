"""The `advisor` console script and `python -m advisor`.

`advisor -V` is answered here, before the CLI module and its imports (pathlib, typer) load:
printing the version is all start-up, so it costs only the interpreter's own.
"""

import sys

from advisor import VERSION_FLAGS, __version__


def main() -> None:
    if len(sys.argv) == 2 and sys.argv[1] in VERSION_FLAGS:
        print(f"advisor {__version__}")
        return
    from advisor.cli.app import main as run_cli

    run_cli()


if __name__ == "__main__":
    main()
