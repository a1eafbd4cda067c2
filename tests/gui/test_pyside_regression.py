"""Guards the PySide6 version bound in pyproject.toml.

PySide6 6.12.0 dropped one reference to ``True`` on every signal emit; on Python 3.11 the
interpreter aborts (``bool_dealloc``) after a few hundred signals, i.e. mid-way through any
bulk run. If this fails after a dependency bump, keep the bound.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    """Emits one signal; nothing needs to be connected for the leak to show."""

    ping = Signal(int)


def test_signal_emit_keeps_the_reference_count_of_true() -> None:
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(50):
        emitter.ping.emit(1)
    # Other threads may briefly hold or drop a few references; a leak shows as -50.
    assert sys.getrefcount(True) - before > -10
