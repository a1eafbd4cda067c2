"""gui/database_check.DatabaseCheck: one check, on a thread of its own that ends with it."""

from __future__ import annotations

import threading

import pytest

from attentive_desktop.gui.database_check import DatabaseCheck


class Check:
    def __init__(self, verdict: str | None = None, *, fail: bool = False, block: bool = False):
        self.verdict, self.fail = verdict, fail
        self.started, self.release = threading.Event(), threading.Event()
        self.thread_name = ""
        self.interrupted = False
        if not block:
            self.release.set()

    def __call__(self) -> str | None:
        self.thread_name = threading.current_thread().name
        self.started.set()
        self.release.wait(60)
        if self.fail:
            raise RuntimeError("disk I/O error")
        return self.verdict

    def interrupt(self) -> None:
        self.interrupted = True
        self.release.set()


def test_the_verdict_arrives_once_and_the_thread_ends(qtbot) -> None:
    check = DatabaseCheck(Check("page 7: damaged"))
    with qtbot.waitSignal(check.finished) as blocker:
        check.start()
    assert blocker.args == ["page 7: damaged"]
    assert check.done


def test_a_check_that_fails_gives_no_verdict_and_says_why_in_the_log(qtbot, caplog) -> None:
    check = DatabaseCheck(Check(fail=True))
    with qtbot.waitSignal(check.finished) as blocker:
        check.start()
    assert blocker.args == [None]
    assert "disk I/O error" in caplog.text


def test_it_runs_off_the_gui_thread(qtbot) -> None:
    job = Check()
    check = DatabaseCheck(job)
    with qtbot.waitSignal(check.finished):
        check.start()
    assert job.thread_name != threading.current_thread().name


@pytest.mark.parametrize("started", [True, False])
def test_stop_interrupts_a_running_check(qtbot, started: bool) -> None:
    job = Check(block=True)
    check = DatabaseCheck(job)
    check.start()
    if started:
        qtbot.waitUntil(job.started.is_set)
    check.stop()
    assert job.interrupted or not job.started.is_set()
    assert not check.done  # no verdict from an interrupted check
