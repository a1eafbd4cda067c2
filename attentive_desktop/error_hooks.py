"""Errors nothing caught (a bug in a slot, a thread that died): logged, scrubbed like every
record, instead of lost on a packaged app's invisible stderr; and said in plain words.

Exceptions raised in Qt slots and event handlers reach `sys.excepthook` (PySide prints them and
carries on); Python threads' reach `threading.excepthook`. `install_error_hooks` sends both to
the log (the traceback goes through the log's redaction, so a key in an exception message never
reaches the file) and, on the GUI thread, tells the user in one plain sentence: neither the
error's message (it could hold anything) nor its class name is shown. The same error raised over and
over (a paint handler, say) is logged in full three times, then counted. No Qt here.
"""

from __future__ import annotations

import collections
import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType

log = logging.getLogger("attentive_desktop.unexpected")

FULL_REPORTS = 3  # the same error logged with its traceback this many times, then counted
COUNTED_AT = (10, 100, 1_000, 10_000)


UNEXPECTED_ERROR_TEXT = (
    "Something went wrong inside Attentive Desktop; the details are in its log file "
    "(Help ▸ About shows the folder)."
)


def install_error_hooks(tell: Callable[[str], object] | None = None) -> Callable[[], None]:
    """Route uncaught errors to the log, and `tell(sentence)` on the main thread. Returns a
    function that puts the previous hooks back."""
    previous_hook, previous_thread_hook = sys.excepthook, threading.excepthook
    seen: collections.Counter[tuple[str, str, int]] = collections.Counter()
    lock = threading.Lock()

    def report(
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
        where: str,
    ) -> None:
        last = tb
        while last is not None and last.tb_next is not None:
            last = last.tb_next  # where it was raised (no source read, as extract_tb would)
        signature = (
            exc_type.__name__,
            last.tb_frame.f_code.co_filename if last else "",
            last.tb_lineno if last else 0,
        )
        with lock:
            seen[signature] += 1
            count = seen[signature]
        if count <= FULL_REPORTS:
            log.error("Unexpected error %s", where, exc_info=(exc_type, exc, tb))
        elif count in COUNTED_AT:
            log.error("The same unexpected %s again (%d times)", exc_type.__name__, count)

    def on_error(
        exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous_hook(exc_type, exc, tb)
            return
        report(exc_type, exc, tb, "in the window")
        if sys.stderr is not None:  # None in a packaged app without a console
            # Not the traceback: its text is scrubbed in the log only.
            print("Attentive Desktop: an unexpected error; see the log.", file=sys.stderr)
        if tell is not None and threading.current_thread() is threading.main_thread():
            try:
                tell(UNEXPECTED_ERROR_TEXT)
            except Exception:  # telling must not raise into the hook
                log.exception("could not show the unexpected error")

    def on_thread_error(args: threading.ExceptHookArgs) -> None:
        if issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "a thread"
        report(args.exc_type, args.exc_value, args.exc_traceback, f"in {name}")

    sys.excepthook, threading.excepthook = on_error, on_thread_error

    def uninstall() -> None:
        sys.excepthook, threading.excepthook = previous_hook, previous_thread_hook

    return uninstall
