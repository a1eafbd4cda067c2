"""gui/serial_calls.SerialCalls: slow calls in order on a thread of their own."""

from __future__ import annotations

import threading

from attentive_desktop.gui.serial_calls import SerialCalls


def test_calls_run_in_order_off_the_gui_thread_and_answer_on_it(qtbot) -> None:
    calls = SerialCalls("test-serial")
    ran: list[tuple[int, str]] = []
    answered: list[tuple[object, str]] = []
    for n in range(3):
        calls.call(
            lambda n=n: ran.append((n, threading.current_thread().name)) or n * 10,
            lambda result: answered.append((result, threading.current_thread().name)),
        )
    qtbot.waitUntil(lambda: len(answered) == 3)
    gui = threading.current_thread().name
    assert [n for n, _thread in ran] == [0, 1, 2]
    assert all(thread != gui for _n, thread in ran)
    assert answered == [(0, gui), (10, gui), (20, gui)]
    calls.stop()


def test_a_call_that_raises_answers_with_its_message(qtbot) -> None:
    calls = SerialCalls("test-serial")
    failures: list[str] = []

    def locked() -> None:
        raise RuntimeError("the keychain is locked")

    calls.call(locked, lambda _result: None, failures.append)
    qtbot.waitUntil(lambda: failures == ["the keychain is locked"])
    calls.stop()


def test_stop_aborts_the_call_under_way_and_drops_the_rest(qtbot) -> None:
    calls = SerialCalls("test-serial")
    started, release = threading.Event(), threading.Event()
    answered: list[object] = []
    calls.call(
        lambda: started.set() or release.wait(30),
        answered.append,
        on_cancel=release.set,  # the long call's own abort
    )
    later: list[str] = []
    calls.call(lambda: later.append("ran"), answered.append)
    qtbot.waitUntil(started.is_set)
    calls.stop()  # returns once the call under way has given up
    assert release.is_set() and later == [] and answered == []
    calls.call(lambda: later.append("ran"), answered.append)  # stopped: a no-op
    assert later == []
