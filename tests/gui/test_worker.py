"""The background worker: order, threads, failures, cancellation, progress and a clean stop."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from attentive_desktop.gui.worker import CancelToken, WorkerThread


@pytest.fixture
def worker_thread(qtbot):
    wt = WorkerThread("test-worker")
    wt.start()
    yield wt
    assert wt.stop(5000)


def test_jobs_run_in_order_on_one_background_thread(qtbot, worker_thread):
    worker = worker_thread.worker
    ran: list[tuple[int, int]] = []
    results: dict[int, object] = {}
    worker.jobSucceeded.connect(lambda job, value: results.__setitem__(job, value))

    def job(n):
        def fn(token):
            ran.append((n, threading.get_ident()))
            return n * 10

        return fn

    ids = [worker.submit(job(n)) for n in range(5)]
    qtbot.waitUntil(lambda: len(results) == 5, timeout=5000)

    assert [n for n, _ in ran] == [0, 1, 2, 3, 4]
    threads = {ident for _, ident in ran}
    assert len(threads) == 1
    assert threading.get_ident() not in threads
    assert [results[i] for i in ids] == [0, 10, 20, 30, 40]
    assert len(set(ids)) == 5


def test_signals_arrive_on_the_gui_thread_even_for_lambdas(qtbot, worker_thread):
    worker = worker_thread.worker
    seen: list[int] = []
    worker.jobStarted.connect(lambda job: seen.append(threading.get_ident()))
    worker.jobSucceeded.connect(lambda job, value: seen.append(threading.get_ident()))
    with qtbot.waitSignal(worker.jobSucceeded, timeout=5000):
        worker.submit(lambda token: "done")
    assert seen == [threading.get_ident()] * 2


def test_failure_arrives_as_the_exception(qtbot, worker_thread):
    worker = worker_thread.worker
    error = ValueError("broken")

    def fail(token):
        raise error

    with qtbot.waitSignal(worker.jobFailed, timeout=5000) as blocker:
        job = worker.submit(fail)
    assert blocker.args == [job, error]


def test_cancel_running_job_emits_cancelled_at_once_and_drops_the_result(qtbot, worker_thread):
    worker = worker_thread.worker
    hooked = threading.Event()
    registered = threading.Event()
    succeeded: list[int] = []
    worker.jobSucceeded.connect(lambda job, value: succeeded.append(job))

    def slow(token: CancelToken):
        token.add_callback(hooked.set)
        registered.set()
        token.wait(30)
        return "late result"

    job = worker.submit(slow)
    # jobStarted is emitted just before the job runs: wait until it has hooked its callback.
    assert registered.wait(5)
    with qtbot.waitSignal(worker.jobCancelled, timeout=1000) as blocker:
        assert worker.cancel(job)
    assert blocker.args == [job]
    assert hooked.is_set()
    assert not worker.is_active(job)

    # A later job completes after the cancelled one has returned: its result was dropped.
    with qtbot.waitSignal(worker.jobSucceeded, timeout=5000) as after:
        follow = worker.submit(lambda token: "next")
    assert after.args == [follow, "next"]
    assert succeeded == [follow]
    assert not worker.cancel(job), "cancelling twice reports nothing new"


def test_cancel_queued_job_never_runs_it(qtbot, worker_thread):
    worker = worker_thread.worker
    gate = threading.Event()
    ran: list[str] = []
    cancelled: list[int] = []
    succeeded: list[int] = []
    worker.jobCancelled.connect(cancelled.append)
    worker.jobSucceeded.connect(lambda job, value: succeeded.append(job))

    with qtbot.waitSignal(worker.jobStarted, timeout=5000):
        first = worker.submit(lambda token: gate.wait(10))
    queued = worker.submit(lambda token: ran.append("queued"))
    assert worker.cancel(queued)
    gate.set()
    last = worker.submit(lambda token: ran.append("last"))
    qtbot.waitUntil(lambda: last in succeeded, timeout=5000)
    assert succeeded == [first, last]
    assert ran == ["last"]
    assert cancelled == [queued]


def test_progress_reports_reach_the_gui_thread(qtbot, worker_thread):
    worker = worker_thread.worker
    progress: list[tuple[int, object, int]] = []
    worker.jobProgress.connect(lambda job, v: progress.append((job, v, threading.get_ident())))

    def counting(token):
        for i in range(3):
            token.report(i)
        return "ok"

    with qtbot.waitSignal(worker.jobSucceeded, timeout=5000):
        job = worker.submit(counting)
    assert progress == [(job, i, threading.get_ident()) for i in range(3)]


def test_cancel_all_cancels_running_and_queued(qtbot, worker_thread):
    worker = worker_thread.worker
    cancelled: list[int] = []
    worker.jobCancelled.connect(cancelled.append)
    with qtbot.waitSignal(worker.jobStarted, timeout=5000):
        a = worker.submit(lambda token: token.wait(30))
    b = worker.submit(lambda token: "b")
    worker.cancel_all()
    assert sorted(cancelled) == sorted([a, b])


def test_cancel_all_marks_the_queued_job_before_the_running_one_lets_go(qtbot, worker_thread):
    # The running job's cancel hook frees it at once; the runner must then find the queued
    # job already cancelled, not start it in the gap before cancel_all reached it.
    worker = worker_thread.worker
    released, ran = threading.Event(), threading.Event()
    with qtbot.waitSignal(worker.jobStarted, timeout=5000):
        a = worker.submit(lambda token: token.add_callback(released.set) or released.wait(30))
    b = worker.submit(lambda token: ran.set())

    def on_cancelled(job: int) -> None:
        if job == a:  # give the runner every chance to reach b before b's own cancel
            qtbot.waitUntil(lambda: ran.is_set() or b not in worker._jobs, timeout=5000)

    worker.jobCancelled.connect(on_cancelled)
    worker.cancel_all()
    qtbot.waitUntil(lambda: ran.is_set() or b not in worker._jobs, timeout=5000)
    assert released.is_set() and not ran.is_set()


def test_stop_ends_a_job_waiting_on_its_token(qtbot):
    wt = WorkerThread()
    wt.start()
    with qtbot.waitSignal(wt.worker.jobStarted, timeout=5000):
        wt.worker.submit(lambda token: token.wait(60))
    assert wt.stop(5000)
    assert not wt.is_running()
    with pytest.raises(RuntimeError):
        wt.worker.submit(lambda token: None)


def test_stop_does_not_hang_on_a_job_that_ignores_cancellation(qtbot):
    wt = WorkerThread()
    wt.start()
    release = threading.Event()
    with qtbot.waitSignal(wt.worker.jobStarted, timeout=5000):
        wt.worker.submit(lambda token: release.wait(30))
    assert not wt.stop(50), "the stuck job outlives the short timeout"
    assert wt.is_running()
    release.set()
    qtbot.waitUntil(lambda: wt.thread.isFinished(), timeout=5000)


def test_stop_before_start_and_twice_is_harmless(qtbot):
    wt = WorkerThread()
    assert wt.stop()
    assert wt.stop()


def test_cancel_token_callbacks_run_once_and_late_ones_at_once():
    token = CancelToken()
    calls: list[str] = []
    token.add_callback(lambda: calls.append("early"))
    removed = lambda: calls.append("removed")  # noqa: E731
    token.add_callback(removed)
    token.remove_callback(removed)
    assert not token.cancelled
    assert not token.wait(0)
    token.cancel()
    token.cancel()
    assert token.cancelled
    assert token.wait(0)
    token.add_callback(lambda: calls.append("late"))
    assert calls == ["early", "late"]


def test_process_exit_waits_for_a_lingering_job_without_qt_errors(tmp_path):
    script = tmp_path / "linger.py"
    script.write_text(
        "import threading\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from attentive_desktop.gui.worker import WorkerThread\n"
        "app = QCoreApplication([])\n"
        "started = threading.Event()\n"
        "wt = WorkerThread()\n"
        "wt.start()\n"
        # The job ignores cancellation and ends by itself 0.5 s later, after stop() gave up.
        "wt.worker.submit(lambda token: (started.set(), threading.Event().wait(0.5)))\n"
        "started.wait(10)\n"
        "assert not wt.stop(50)\n"
        "print('exiting', flush=True)\n"
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "exiting" in result.stdout
    assert "QThread" not in result.stderr


def test_the_thread_goes_by_its_name_in_logs(qtbot, worker_thread):
    names: list[str] = []
    worker_thread.worker.jobSucceeded.connect(lambda _job, name: names.append(name))
    with qtbot.waitSignal(worker_thread.worker.jobSucceeded, timeout=5000):
        worker_thread.worker.submit(lambda token: threading.current_thread().name)
    assert names == ["test-worker"]  # what %(threadName)s prints, instead of "Dummy-3"
