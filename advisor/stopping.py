"""A stop, once begun, is not cut short by a second Ctrl-C.

People press Ctrl-C twice. The first stops the run, which then saves the draft (or commits the
drill's answers) and says how to resume; a second one landing meanwhile, or while the
interpreter shuts down, cut that short: a second "advisor: interrupted" line, or the process
killed by SIGINT mid-shutdown (1 and 7 of 20 runs, two SIGINTs 5 ms apart). So once a stop has
begun, SIGINT is ignored until the process ends, in the console script's own process only: a
program that imports the advisor (a notebook, the test suite) keeps its Ctrl-C.
"""

from __future__ import annotations

import signal
import threading

_process_is_ours = False


def own_the_process() -> None:
    """The console script runs: the advisor may change the process's signal handling for good."""
    global _process_is_ours
    _process_is_ours = True


def stop_begun() -> None:
    """The run is stopping (Ctrl-C, a closed terminal, end of input): a further SIGINT is ignored."""
    if _process_is_ours and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
