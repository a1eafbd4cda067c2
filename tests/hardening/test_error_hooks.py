"""Errors nothing caught: in the log (scrubbed), told in a plain sentence, never lost."""

from __future__ import annotations

import logging
import sys
import threading

import pytest

from attentive_desktop.error_hooks import UNEXPECTED_ERROR_TEXT, install_error_hooks
from attentive_desktop.logs import configure_logging
from attentive_desktop.store.paths import AppPaths

from ..privacy import find_secret
from .support import API_KEY, assert_plain


def _raise_in_a_slot() -> None:
    raise ValueError(f"a bug that quotes {API_KEY}")


def _uncaught(fn) -> tuple:
    try:
        fn()
    except BaseException:
        return sys.exc_info()
    raise AssertionError("nothing raised")


@pytest.fixture
def hooks():
    told: list[str] = []
    uninstall = install_error_hooks(told.append)
    yield told
    uninstall()


def test_an_error_in_the_window_is_logged_scrubbed_and_told_plainly(hooks, capsys) -> None:
    paths = AppPaths.from_environment().ensure()
    setup = configure_logging(paths, "INFO", lambda: [API_KEY], background=True)
    try:
        sys.excepthook(*_uncaught(_raise_in_a_slot))  # what PySide does for a slot that raised
        setup.flush()
        text = setup.path.read_text(encoding="utf-8")
    finally:
        setup.close()
    assert "Unexpected error in the window" in text
    assert "Traceback" in text and "_raise_in_a_slot" in text  # what a developer needs
    assert "a bug that quotes [redacted]" in text
    assert find_secret([setup.path], API_KEY) == []
    assert hooks == [UNEXPECTED_ERROR_TEXT]
    assert_plain(UNEXPECTED_ERROR_TEXT)
    stderr = capsys.readouterr().err
    assert "unexpected error; see the log" in stderr and API_KEY not in stderr


def test_an_error_in_a_thread_is_logged_with_its_name_and_not_told(hooks, caplog) -> None:
    worker = threading.Thread(target=_raise_in_a_slot, name="attentive-export")
    worker.start()
    worker.join(10)
    assert "Unexpected error in attentive-export" in caplog.text
    assert hooks == []  # widgets are the GUI thread's: nothing is told from elsewhere


def test_the_same_error_over_and_over_is_counted_not_flooded(hooks, caplog) -> None:
    caplog.set_level(logging.ERROR, "attentive_desktop.unexpected")
    for _ in range(12):
        sys.excepthook(*_uncaught(_raise_in_a_slot))  # same place every time: a paint handler
    full = [r for r in caplog.records if r.exc_info]
    counted = [r.getMessage() for r in caplog.records if not r.exc_info]
    assert len(full) == 3
    assert counted == ["The same unexpected ValueError again (10 times)"]


def test_ctrl_c_and_uninstalling_leave_python_as_it_was(caplog) -> None:
    before = (sys.excepthook, threading.excepthook)
    reached: list[type] = []
    sys.excepthook = lambda exc_type, exc, tb: reached.append(exc_type)
    try:
        uninstall = install_error_hooks()
        sys.excepthook(*_uncaught(lambda: (_ for _ in ()).throw(KeyboardInterrupt())))
        uninstall()
        assert reached == [KeyboardInterrupt] and "Unexpected" not in caplog.text
        assert threading.excepthook is before[1]
    finally:
        sys.excepthook = before[0]
