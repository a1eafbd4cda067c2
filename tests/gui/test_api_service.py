"""ApiService against the live sandbox: results, error kinds, history, cancellation, retries."""

from __future__ import annotations

import dataclasses
import threading

import pytest
from PySide6.QtCore import QTimer

from attentive_desktop.api import AttentiveClient, CustomAttribute, MeInfo, RetryPolicy
from attentive_desktop.core.attributes import AttributeType
from attentive_desktop.core.identifiers import LookupQuery, UserRef
from attentive_desktop.gui.api_service import ApiService, describe_error
from attentive_desktop.sandbox import SANDBOX_API_KEY, SANDBOX_READONLY_KEY
from attentive_desktop.store.history import HistoryStore

ADA = "+14155550100"
WAIT = 10_000


class SpyHistory(HistoryStore):
    """A HistoryStore that remembers which thread appended each row."""

    def __init__(self, db):
        super().__init__(db)
        self.threads: list[int] = []

    def append(self, exchange, *, account=""):
        self.threads.append(threading.get_ident())
        return super().append(exchange, account=account)


def fast_retry_factory(base_url, api_key, on_exchange):
    policy = RetryPolicy(max_attempts=5, base_delay=0.01, max_delay=0.05, max_total=5.0)
    return AttentiveClient(base_url, api_key, on_exchange=on_exchange, retry=policy, timeout=10)


@pytest.fixture
def history(database):
    return SpyHistory(database)


@pytest.fixture
def make_service(qtbot, history, registry):
    services = []

    def make(factory=fast_retry_factory):
        service = ApiService(factory, history=history, registry=registry)
        services.append(service)
        return service

    yield make
    for service in services:
        service.shutdown()


@pytest.fixture
def service(make_service, sandbox, qtbot):
    svc = make_service()
    with qtbot.waitSignal(svc.accountSet, timeout=WAIT):
        svc.set_account(sandbox.base_url, SANDBOX_API_KEY, "Sandbox")
    return svc


def test_check_key_ok_returns_company(qtbot, make_service, sandbox):
    svc = make_service()
    with qtbot.waitSignal(svc.keyChecked, timeout=WAIT) as blocker:
        job = svc.check_key(sandbox.base_url, SANDBOX_API_KEY, "New account")
    assert blocker.args[0] == job
    me = blocker.args[1]
    assert isinstance(me, MeInfo)
    assert me.company_name == "Northwind Outfitters (Sandbox)"


def test_check_key_wrong_key_fails_as_unauthorized(qtbot, make_service, sandbox):
    svc = make_service()
    with qtbot.waitSignal(svc.failed, timeout=WAIT) as blocker:
        job = svc.check_key(sandbox.base_url, "not-the-right-key-123", "")
    job_id, message, kind = blocker.args
    assert (job_id, kind) == (job, "unauthorized")
    assert message and "not-the-right-key-123" not in message


def test_check_key_insecure_base_url_is_invalid(qtbot, make_service):
    svc = make_service()
    with qtbot.waitSignal(svc.failed, timeout=WAIT) as blocker:
        svc.check_key("http://example.com/v1", SANDBOX_API_KEY)
    assert blocker.args[2] == "invalid"
    assert SANDBOX_API_KEY not in blocker.args[1]


def test_lookup_before_any_account_is_refused(qtbot, make_service):
    svc = make_service()
    with qtbot.waitSignal(svc.failed, timeout=WAIT) as blocker:
        svc.lookup(LookupQuery("phone", ADA))
    assert blocker.args[2] == "invalid"
    assert "account" in blocker.args[1]


def test_lookup_returns_attributes_teaches_registry_and_records_history(
    qtbot, service, history, registry
):
    recorded = []
    service.historyRecorded.connect(recorded.append)
    with qtbot.waitSignal(service.lookedUp, timeout=WAIT) as blocker:
        job = service.lookup(LookupQuery("phone", ADA))
    assert blocker.args[0] == job
    attributes = blocker.args[1]
    assert all(isinstance(a, CustomAttribute) for a in attributes)
    assert ("age", "36") in attributes
    assert registry.type_of("age") is AttributeType.NUMBER
    assert registry.type_of("VIP") is AttributeType.BOOLEAN

    qtbot.waitUntil(lambda: len(recorded) == 1, timeout=WAIT)
    record = recorded[0]
    assert (record.method, record.endpoint, record.status) == ("GET", "/attributes/custom", 200)
    assert record.user == ADA and record.account == "Sandbox"
    assert history.count() == 1
    assert history.threads and threading.get_ident() not in history.threads


def test_history_never_contains_the_key(qtbot, service, history, sandbox):
    with qtbot.waitSignal(service.lookedUp, timeout=WAIT):
        service.lookup(LookupQuery("email", "ada@example.com"))
    with qtbot.waitSignal(service.sent, timeout=WAIT):
        service.send(UserRef.parse(phone=ADA), {"nickname": "Countess"})
    with qtbot.waitSignal(service.failed, timeout=WAIT):
        service.check_key(sandbox.base_url, SANDBOX_READONLY_KEY + "x")
    records = history.page(0, 100)
    assert len(records) == 3
    for record in records:
        for field in dataclasses.fields(record):
            value = str(getattr(record, field.name))
            assert SANDBOX_API_KEY not in value, field.name
            assert SANDBOX_READONLY_KEY not in value, field.name


def test_unknown_user_is_not_found(qtbot, service):
    with qtbot.waitSignal(service.failed, timeout=WAIT) as blocker:
        service.lookup(LookupQuery("phone", "+14155550199"))
    assert blocker.args[2] == "not-found"


def test_send_stores_values_and_teaches_registry(qtbot, service, sandbox, registry):
    with qtbot.waitSignal(service.sent, timeout=WAIT) as blocker:
        job = service.send(UserRef.parse(phone=ADA), {"points": "120", "tier note": "gold"})
    assert blocker.args == [job]
    stored = sandbox.user_attributes(phone=ADA)
    assert stored["points"] == "120"
    assert registry.type_of("points") is AttributeType.NUMBER


def test_send_with_read_only_key_is_access_denied(qtbot, make_service, sandbox):
    svc = make_service()
    with qtbot.waitSignal(svc.accountSet, timeout=WAIT):
        svc.set_account(sandbox.base_url, SANDBOX_READONLY_KEY, "Read only")
    with qtbot.waitSignal(svc.failed, timeout=WAIT) as blocker:
        svc.send(UserRef.parse(phone=ADA), {"points": "1"})
    _job, message, kind = blocker.args
    assert kind == "access-denied"
    assert "attributes:write" in message
    assert SANDBOX_READONLY_KEY not in message


def test_invalid_properties_are_refused_without_a_request(qtbot, service, sandbox):
    sandbox.clear_requests()
    with qtbot.waitSignal(service.failed, timeout=WAIT) as blocker:
        service.send(UserRef.parse(phone=ADA), {"tags": '["a","b"]'})
    assert blocker.args[2] == "invalid"
    assert sandbox.requests == []


def test_429_burst_is_retried_and_succeeds(qtbot, service, sandbox, history):
    sandbox.burst_429(2)
    with qtbot.waitSignal(service.lookedUp, timeout=WAIT):
        service.lookup(LookupQuery("phone", ADA))
    statuses = [r.status for r in reversed(history.page(0, 10))]
    assert statuses == [429, 429, 200]


def test_cancel_of_slow_request_is_immediate_and_loop_keeps_running(qtbot, service, sandbox):
    sandbox.set_latency(2.0)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    looked_up: list[int] = []
    service.lookedUp.connect(lambda job, attrs: looked_up.append(job))
    busy: list[bool] = []
    service.busyChanged.connect(busy.append)

    job = service.lookup(LookupQuery("phone", ADA))
    qtbot.waitUntil(lambda: len(sandbox.requests) == 1, timeout=WAIT)
    # The server holds the answer for 2 s; the GUI thread's timer keeps firing meanwhile.
    in_flight_since = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= in_flight_since + 5, timeout=WAIT)
    ticks_at_cancel: list[int] = []
    service.cancelled.connect(lambda j: ticks_at_cancel.append(len(ticks)))
    with qtbot.waitSignal(service.cancelled, timeout=1000) as blocker:
        service.cancel(job)
    assert blocker.args == [job]
    assert ticks_at_cancel[0] - in_flight_since >= 5
    assert looked_up == [], "cancelled while the request was still in flight"
    assert busy == [True, False]

    # The next call waits for the abandoned request to come back; its result is dropped.
    sandbox.set_latency(0.0)
    with qtbot.waitSignal(service.lookedUp, timeout=WAIT):
        follow = service.lookup(LookupQuery("phone", ADA))
    timer.stop()
    assert looked_up == [follow]


def test_busy_changes_once_per_busy_period(qtbot, service):
    busy: list[bool] = []
    service.busyChanged.connect(busy.append)
    with qtbot.waitSignal(service.lookedUp, timeout=WAIT):
        service.lookup(LookupQuery("phone", ADA))
        service.lookup(LookupQuery("email", "ada@example.com"))
    qtbot.waitUntil(lambda: busy == [True, False], timeout=WAIT)
    assert not service.is_busy()


def test_describe_error_blanks_secrets():
    message, kind = describe_error(ValueError("bad key sbx_secret_value"), ["sbx_secret_value"])
    assert kind == "invalid"
    assert "sbx_secret_value" not in message
    message, kind = describe_error(KeyError("x"))
    assert kind == "error" and "KeyError" in message


def test_cancel_during_backoff_stops_the_retries_at_once(qtbot, make_service, sandbox):
    def slow_retry_factory(base_url, api_key, on_exchange):
        policy = RetryPolicy(max_attempts=5, base_delay=5.0, max_delay=5.0, max_total=30.0)
        return AttentiveClient(base_url, api_key, on_exchange=on_exchange, retry=policy)

    svc = make_service(slow_retry_factory)
    with qtbot.waitSignal(svc.accountSet, timeout=WAIT):
        svc.set_account(sandbox.base_url, SANDBOX_API_KEY, "Sandbox")
    sandbox.burst_429(1)
    job = svc.lookup(LookupQuery("phone", ADA))
    qtbot.waitUntil(lambda: len(sandbox.requests) == 1, timeout=WAIT)
    with qtbot.waitSignal(svc.cancelled, timeout=1000):
        svc.cancel(job)
    with qtbot.waitSignal(svc.lookedUp, timeout=4000):
        svc.lookup(LookupQuery("phone", ADA))
    assert len(sandbox.requests) == 2, "the cancelled lookup was not retried"
