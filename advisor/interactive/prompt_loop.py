"""One prompt's run: its Application in an event loop of its own that an interrupt cannot leave
half-made.

prompt_toolkit's Application.run() makes its coroutine, then asyncio.run() builds an event loop
(selector, self-pipe) and a Runner with a SIGINT handler of its own; only once the coroutine runs
does prompt_toolkit turn SIGINT into a key, and it stops before the coroutine ends. A signal whose
Python handler raises (SIGINT's default, KeyboardInterrupt; the interview's SIGHUP on a closed
terminal) raised wherever Python was in between: inside the loop's constructor it left a half-built
loop, whose __del__ then printed "Exception ignored in ... BaseEventLoop.__del__" and a "coroutine
'Application.run_async' was never awaited" warning after the clean exit; inside loop.close() a
half-closed one; and a SIGINT landing while prompt_toolkit wound down (its handler still set, the
prompt already answered) was lost.

So for the whole of a prompt's life those signals are caught here: one that comes while the prompt
is on screen ends it as Ctrl-C does (KeyboardInterrupt through prompt_toolkit's own exit, the
terminal restored), and once the loop is closed the first one caught is handed to the handler it
was meant for, which raises where nothing is half-made. Signals left to the system (SIG_DFL,
SIG_IGN) are not touched.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import Any

HELD_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGHUP") if hasattr(signal, name))
_NOTHING = object()


class _Held:
    """The held signals' own handlers, and the signals caught while a prompt runs."""

    def __init__(self) -> None:
        self.previous: dict[int, Callable[[int, Any], Any]] = {}
        self.caught: list[int] = []
        self.holding = True
        self.loop: Any = None
        self.app: Any = None

    def install(self) -> None:
        for signum in HELD_SIGNALS:
            handler = signal.getsignal(signum)
            if callable(handler):
                self.previous[signum] = handler  # known before it is replaced: release restores it
                signal.signal(signum, self.catch)

    def catch(self, signum: int, frame: Any) -> None:
        if not self.holding:  # the prompt is over (a restore was cut short): as if never replaced
            self.previous[signum](signum, frame)
            return
        self.caught.append(signum)
        if self.loop is not None and self.loop.is_running():
            self.loop.call_soon_threadsafe(self.stop)  # wakes the selector too

    def stop(self) -> None:
        """End the prompt on screen as Ctrl-C does; before it is on screen, `started` does."""
        future = self.app.future if self.app is not None else None
        if future is not None and not future.done():
            self.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    def started(self) -> None:
        if self.caught:
            self.stop()

    def release(self) -> None:
        """The handlers back, then the first signal caught given to its own handler (which raises).
        The held signals are blocked while the handlers go back, so none cuts that short: one that
        comes meanwhile is delivered when they are unblocked, to its own handler."""
        unchanged = signal.pthread_sigmask(signal.SIG_BLOCK, ())  # may raise: nothing changed yet
        try:
            signal.pthread_sigmask(signal.SIG_BLOCK, self.previous)
            self.holding = False
            for signum, handler in self.previous.items():
                if signal.getsignal(signum) == self.catch:
                    signal.signal(signum, handler)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, unchanged)
        if self.caught:
            signum = self.caught[0]
            self.previous[signum](signum, None)


def run(build: Callable[[], Any]) -> Any:
    """The result of the Application that `build` makes, run to its end in a new event loop
    (Application.run() without asyncio.run(): see the module's docstring)."""
    import asyncio

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        return build().run()  # signal handlers are the main thread's (and POSIX's)
    held = _Held()
    result: Any = _NOTHING
    try:
        held.install()
        app = held.app = build()
        loop = held.loop = asyncio.new_event_loop()
        try:
            if not held.caught:  # else nothing is drawn: the interrupt came first
                result = loop.run_until_complete(app.run_async(pre_run=held.started, handle_sigint=False))
        finally:
            _close(loop)
    finally:
        held.release()
    if result is _NOTHING:  # interrupted before it ran, by a signal whose handler did not raise
        raise KeyboardInterrupt
    return result


def _close(loop: Any) -> None:
    """What asyncio.run does at the end: cancel what is left, wait for it, then close."""
    import asyncio

    try:
        left = asyncio.all_tasks(loop)
        for task in left:
            task.cancel()
        if left:
            loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        loop.close()
