"""A stop, once begun, is not cut short by a second Ctrl-C.

People press Ctrl-C twice. The first stops the run, which then saves the draft (or commits the
drill's answers) and says how to resume; a second one landing meanwhile, or while the
interpreter shuts down, cut that short: a second "advisor: interrupted" line, or the process
killed by SIGINT mid-shutdown (1 and 7 of 20 runs, two SIGINTs 5 ms apart). So once a stop has
begun, SIGINT is ignored until the process ends, in the console script's own process only: a
program that imports the advisor (a notebook, the test suite) keeps its Ctrl-C.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
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


def let_a_closed_terminal_go() -> None:
    """Output left in a buffer for a terminal that has closed (EIO) is dropped, so the interpreter's
    exit does not fail over it: it did, with exit 120 instead of the stop's 130, wherever output
    is buffered (PYTHONUNBUFFERED unset: a user's terminal). Any other failure to write (a full
    disk) is left for the interpreter's exit to report, as before."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError as exc:  # io.UnsupportedOperation too: a stream without a descriptor
            if getattr(exc, "errno", None) != errno.EIO:
                continue
            try:
                nowhere = os.open(os.devnull, os.O_WRONLY)
                try:
                    os.dup2(nowhere, stream.fileno())  # the buffer's last flush now succeeds
                finally:
                    os.close(nowhere)
            except (OSError, ValueError):
                pass
        except (AttributeError, ValueError):  # replaced or closed streams: nothing of ours to flush
            pass
