"""The `advisor` console script and `python -m advisor`.

`advisor -V` is answered here, before the CLI module and its imports (pathlib, the command-line framework) load:
printing the version is all start-up, so it costs only the interpreter's own.
"""

import sys

from advisor import VERSION_FLAGS, __version__


def main() -> None:
    if len(sys.argv) == 2 and sys.argv[1] in VERSION_FLAGS:
        print(f"advisor {__version__}")
        return
    from advisor.stopping import let_a_closed_terminal_go, own_the_process, stop_begun

    own_the_process()
    try:
        _run()
    except KeyboardInterrupt:  # Ctrl-C while the CLI's modules load, before its own handler is set
        stop_begun()
        print("advisor: interrupted", file=sys.stderr)
        sys.exit(130)
    finally:
        stop_begun()  # however it ended: the output's flush and the interpreter's exit are not cut short
        let_a_closed_terminal_go()


def _run() -> None:
    import gc

    # Start-up makes ~10^5 objects that live as long as the process (modules, the knowledge,
    # the engine; get_advisor freezes them): at the default threshold the collector walked
    # them ~50 times, ~6% of a consult's CPU. Cyclic garbage is rare here (none from a
    # consultation, a test checks it); a larger first generation costs little memory.
    gc.set_threshold(100_000, 10, 10)
    from advisor.cli.app import main as run_cli

    run_cli()


if __name__ == "__main__":
    main()
