"""RateLimitPacer with a fake clock: spacing, learning, budgets, 429 cool-down, cancel."""

from __future__ import annotations

import itertools
import threading
import time

import pytest

from attentive_desktop.api import Cancelled, RateLimitPacer

from .support import FakeTime


def make_pacer(fake_time: FakeTime, limit: int = 150, **kwargs) -> RateLimitPacer:
    return RateLimitPacer(limit, clock=fake_time.clock, wait=fake_time.pacer_wait, **kwargs)


def headers(limit: int, remaining: int) -> dict[str, str]:
    return {"x-ratelimit-limit": str(limit), "x-ratelimit-remaining": str(remaining)}


class FixedWindowServer:
    """Counts like the sandbox: a window opens with the first request after the last expired."""

    def __init__(self, fake_time: FakeTime, limit: int) -> None:
        self.time = fake_time
        self.limit = limit
        self.start = -1e9
        self.count = 0
        self.refused = 0

    def hit(self) -> tuple[int, dict[str, str]]:
        now = self.time.now
        if now - self.start >= 1.0:
            self.start, self.count = now, 0
        self.count += 1
        status = 200 if self.count <= self.limit else 429
        self.refused += status == 429
        return status, headers(self.limit, max(0, self.limit - self.count))


def test_requests_are_spaced_by_the_learned_limit(fake_time):
    pacer = make_pacer(fake_time)
    times = []
    for _ in range(11):
        pacer.acquire()
        times.append(fake_time.now)
        pacer.observe(200, headers(10, 9))
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert pacer.limit == 10
    assert pacer.interval == pytest.approx(1 / (10 * 0.97))
    assert all(gap == pytest.approx(1 / 9.7) for gap in gaps)


def test_learning_a_lower_limit_slows_the_very_next_request(fake_time):
    pacer = make_pacer(fake_time)
    pacer.acquire()
    start = fake_time.now
    pacer.observe(200, headers(5, 4))
    pacer.acquire()
    assert fake_time.now - start == pytest.approx(1 / (5 * 0.97))


@pytest.mark.parametrize("limit", [5, 50, 150])
def test_a_burst_against_a_fixed_window_is_never_refused_and_keeps_95_percent(fake_time, limit):
    pacer = make_pacer(fake_time)
    server = FixedWindowServer(fake_time, limit)
    start = fake_time.now
    sends = limit * 4
    for _ in range(sends):
        pacer.acquire()
        pacer.observe(*server.hit())
    elapsed = fake_time.now - start
    assert server.refused == 0
    # n requests at rate r take (n-1)/r seconds.
    assert (sends - 1) / elapsed >= 0.95 * limit


def test_two_runs_sharing_the_limit_each_keep_to_half_of_it(fake_time):
    # What is left of a 150/s window for one of two runs on the same account: 75 a second.
    pacer = make_pacer(fake_time)
    pacer.share_with(lambda: 2)
    server = FixedWindowServer(fake_time, 75)
    start = fake_time.now
    sends = 300
    for _ in range(sends):
        pacer.acquire()
        status, _ = server.hit()
        pacer.observe(status, headers(150, 100))  # the server still advertises 150
    rate = (sends - 1) / (fake_time.now - start)
    assert server.refused == 0
    assert 0.95 * 75 <= rate <= 75


def test_a_run_joining_or_leaving_changes_the_very_next_request(fake_time):
    sharers = [1]
    pacer = make_pacer(fake_time)
    pacer.share_with(lambda: sharers[0])
    times = []
    for count in (1, 1, 3, 3, 1):
        sharers[0] = count
        pacer.acquire()
        times.append(fake_time.now)
        pacer.observe(200, headers(150, 100))
    gaps = [b - a for a, b in itertools.pairwise(times)]
    single = 1 / (150 * 0.97)
    assert gaps == pytest.approx([single, 3 * single, 3 * single, single])


def test_probe_holds_others_until_the_first_answer(fake_time):
    polls = 0

    def answer_on_third_poll(event, seconds):
        nonlocal polls
        polls += 1
        if polls == 3:
            pacer.observe(200, headers(150, 149))
        return fake_time.pacer_wait(event, seconds)

    pacer = RateLimitPacer(clock=fake_time.clock, wait=answer_on_third_poll, probe_timeout=2.0)
    pacer.acquire()
    probe_at = fake_time.now
    pacer.acquire()
    assert polls == 3
    assert fake_time.now - probe_at < 0.2


def test_probe_gives_up_after_its_timeout(fake_time):
    pacer = make_pacer(fake_time, probe_timeout=0.5)
    pacer.acquire()
    start = fake_time.now
    pacer.acquire()  # nobody observes: goes anyway once the probe timed out
    assert 0.5 <= fake_time.now - start < 0.6


def test_zero_remaining_waits_out_the_window(fake_time):
    pacer = make_pacer(fake_time)
    pacer.acquire()
    first = fake_time.now
    pacer.observe(200, headers(100, 1))
    pacer.acquire()
    pacer.observe(200, headers(100, 0))  # someone else used the budget
    pacer.acquire()
    assert fake_time.now == pytest.approx(first + 1.02)


def test_429_cools_everyone_down(fake_time):
    pacer = make_pacer(fake_time)
    pacer.acquire()
    first = fake_time.now
    pacer.observe(200, headers(100, 50))
    fake_time.now += 0.3
    pacer.acquire()
    pacer.observe(429, {})
    pacer.acquire()
    assert fake_time.now == pytest.approx(first + 1.02)
    # A 429 long after our last request still imposes at least one interval.
    fake_time.now += 5
    pacer.observe(429, headers(100, 0))
    before = fake_time.now
    pacer.acquire()
    assert fake_time.now - before == pytest.approx(1 / 97)


def test_odd_headers_are_ignored(fake_time):
    pacer = make_pacer(fake_time, limit=20)
    pacer.observe(200, {"X-RateLimit-Limit": "abc", "x-ratelimit-remaining": ""})
    pacer.observe(200, {"x-ratelimit-limit": "0"})
    pacer.observe(None, None)
    assert pacer.limit == 20
    pacer.observe(200, {"X-RateLimit-Limit": " 40 "})
    assert pacer.limit == 40


def test_acquire_with_a_set_cancel_event_raises(fake_time):
    pacer = make_pacer(fake_time)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        pacer.acquire(cancel)


def test_cancel_interrupts_a_pacing_wait_from_another_thread():
    waiting = threading.Event()

    def wait(event, seconds):
        waiting.set()
        return event.wait(seconds)

    pacer = RateLimitPacer(wait=wait, window=600.0)
    pacer.acquire()
    pacer.observe(429, headers(150, 0))  # blocks for about ten minutes
    cancel = threading.Event()
    outcome = []

    def run():
        try:
            pacer.acquire(cancel)
        except Cancelled as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert waiting.wait(5)
    cancel.set()
    worker.join(5)
    assert not worker.is_alive()
    assert len(outcome) == 1


def test_concurrent_callers_share_one_schedule():
    limit = 100
    pacer = RateLimitPacer(limit)
    pacer.observe(200, headers(limit, limit - 1))
    times: list[float] = []
    lock = threading.Lock()

    def run():
        for _ in range(25):
            pacer.acquire()
            with lock:
                times.append(time.monotonic())

    workers = [threading.Thread(target=run) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    times.sort()
    assert len(times) == 150
    # However the threads interleave, no second holds more than the limit, and the shared
    # schedule (not the thread count) sets the pace: close to, but under, the limit.
    for i, t in enumerate(times):
        assert sum(1 for u in times[i:] if u - t < 1.0) <= limit
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert 0.8 * limit <= rate <= limit
