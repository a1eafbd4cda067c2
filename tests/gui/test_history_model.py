"""The history model over 100,000 stored rows: paging, filtering, live rows, off-thread reads."""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from attentive_desktop.gui.history_model import (
    ATTEMPTS,
    DURATION,
    STATUS,
    TIME,
    HistoryTableModel,
    RecordRole,
)
from attentive_desktop.gui.history_proxy import HistoryFilterProxy
from attentive_desktop.gui.history_service import HistoryService
from attentive_desktop.store.database import Database
from attentive_desktop.store.history import HistoryRecord, HistoryStore
from attentive_desktop.store.history_order import NEWEST_FIRST
from tests.gui.cell_roles import answers_match_data

ROWS = 100_000
NEEDLE_EVERY = 1000  # every 1000th row's user is "needle-<n>": 100 rows in all
WAIT = 10_000
T0 = 1_700_000_000.0


class ThreadSpyStore(HistoryStore):
    """Records which threads read the database."""

    def __init__(self, db):
        super().__init__(db)
        self.threads: set[int] = set()
        self.gate: threading.Event | None = None  # when set, count() waits for it

    def page(self, *args, **kwargs):
        self.threads.add(threading.get_ident())
        return super().page(*args, **kwargs)

    def page_ordered(self, *args, **kwargs):
        self.threads.add(threading.get_ident())
        return super().page_ordered(*args, **kwargs)

    def count(self, *args, **kwargs):
        self.threads.add(threading.get_ident())
        if self.gate is not None:
            self.gate.wait(10)
        return super().count(*args, **kwargs)


def _rows(count: int):
    for i in range(1, count + 1):
        user = f"needle-{i}" if i % NEEDLE_EVERY == 0 else f"+1415555{i % 10000:04d}"
        status = None if i % 97 == 0 else (200 if i % 5 else 429)
        method = "POST" if i % 3 == 0 else "GET"
        yield (T0 + i, method, "/attributes/custom", user, status, 12.5 + i % 50, 1, "Acme", "ua")


@pytest.fixture(scope="module")
def big_db(tmp_path_factory):
    db = Database(tmp_path_factory.mktemp("history") / "big.sqlite3")
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO history (started_at, method, endpoint, user, status, duration_ms, "
            "attempt, account, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _rows(ROWS),
        )
    yield db
    db.close()


@pytest.fixture
def store(big_db):
    return ThreadSpyStore(big_db)


@pytest.fixture
def service(qtbot, store):
    svc = HistoryService(store)
    yield svc
    svc.shutdown()


@pytest.fixture
def model(qtbot, service):
    model = HistoryTableModel(service)
    qtbot.waitUntil(lambda: model.rowCount() == 200 and model.total >= 0, timeout=WAIT)
    return model


def record(record_id: int, **changes) -> HistoryRecord:
    base = HistoryRecord(
        id=record_id,
        started_at=T0 + record_id,
        method="GET",
        endpoint="/attributes/custom",
        url="http://127.0.0.1/v1/attributes/custom?phone=%2B14155550100",
        user="+14155550100",
        status=200,
        duration_ms=123.4,
        attempt=1,
        user_agent="attentive-desktop/0.1.0",
        request_body="",
        response_body="[]",
        error=None,
        account="Acme",
    )
    return dataclasses.replace(base, **changes)


def settle(qtbot, model, count: int) -> None:
    """Wait until the model shows `count` rows, all that match, with nothing in flight."""
    qtbot.waitUntil(
        lambda: model.total == count and model.rowCount() == count and not model.loading,
        timeout=WAIT,
    )


def ids(model) -> list[int]:
    return [model.record_at(r).id for r in range(model.rowCount())]


def test_first_page_is_200_newest_rows_and_count_is_exact(model, store):
    assert model.rowCount() == 200
    assert model.total == ROWS
    assert ids(model) == list(range(ROWS, ROWS - 200, -1))
    assert model.canFetchMore(QModelIndex())
    assert threading.get_ident() not in store.threads, "the GUI thread never reads the DB"


def test_fetch_more_adds_pages_without_gaps_or_repeats(qtbot, model):
    for pages in (2, 3):
        model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda n=pages: model.rowCount() == 200 * n, timeout=WAIT)
    assert ids(model) == list(range(ROWS, ROWS - 600, -1))
    assert not model.loading


def test_filter_shows_matching_rows_only(qtbot, model):
    model.set_filter("NEEDLE")
    settle(qtbot, model, ROWS // NEEDLE_EVERY)
    assert all(model.record_at(r).user.startswith("needle-") for r in range(model.rowCount()))
    assert not model.canFetchMore(QModelIndex())
    assert model.filter_text() == "NEEDLE"


def test_a_filter_change_drops_the_stale_generation(qtbot, model):
    model.set_filter("POST")
    model.set_filter("429")
    model.set_filter("needle-5")  # needle-5000 and needle-50000 … needle-59000
    settle(qtbot, model, 11)
    assert all("needle-5" in model.record_at(r).user for r in range(11))


def test_service_skips_queued_requests_of_older_generations(qtbot, service, store):
    pages: list[int] = []
    service.pageLoaded.connect(lambda gen, offset, rows: pages.append(gen))
    store.gate = threading.Event()
    service.request_count("GET", generation=1)  # blocks the worker until the gate opens
    service.request_ordered_page(NEWEST_FIRST, None, 10, text="GET", generation=1)
    service.request_ordered_page(NEWEST_FIRST, None, 10, text="POST", generation=2)
    with qtbot.waitSignal(service.pageLoaded, timeout=WAIT) as blocker:
        store.gate.set()
    assert blocker.args[0] == 2
    assert all(r.method == "POST" for r in blocker.args[2])
    assert pages == [2]


def test_prepend_inserts_live_rows_at_the_top_respecting_the_filter(qtbot, model):
    inserted: list[int] = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append(first))
    model.prepend(record(ROWS + 1))
    assert model.record_at(0).id == ROWS + 1
    assert model.total == ROWS + 1
    assert inserted == [0]
    model.prepend(record(ROWS + 1))
    assert model.rowCount() == 201, "a record already shown is not shown twice"

    model.set_filter("needle")
    settle(qtbot, model, 100)
    model.prepend(record(ROWS + 2, user="+14155550100"))
    assert model.rowCount() == 100
    model.prepend(record(ROWS + 3, user="needle-live"))
    assert model.rowCount() == 101
    assert model.record_at(0).user == "needle-live"


def test_columns_are_formatted_for_people(model):
    model.prepend(record(ROWS + 1, status=None, error="Could not reach Attentive."))
    model.prepend(record(ROWS + 2, status=None))
    model.prepend(record(ROWS + 3, duration_ms=123.4, attempt=3))

    def text(row, column):
        return model.data(model.index(row, column))

    assert text(2, STATUS) == "network error"
    assert model.data(model.index(2, STATUS), Qt.ItemDataRole.ToolTipRole) == (
        "Could not reach Attentive."
    )
    assert text(1, STATUS) == "—"
    assert text(0, STATUS) == "200"
    assert text(0, DURATION) == "123 ms"
    assert text(0, ATTEMPTS) == "3"
    local = datetime.fromtimestamp(T0 + ROWS + 3).strftime("%Y-%m-%d %H:%M:%S")
    assert text(0, TIME) == local
    assert model.data(model.index(0, 0), RecordRole).id == ROWS + 3
    assert model.headerData(STATUS, Qt.Orientation.Horizontal) == "Status"
    assert model.data(model.index(0, STATUS), Qt.ItemDataRole.AccessibleTextRole) == "Status: 200"


def test_sorting_orders_the_whole_history_not_the_loaded_page(qtbot, model):
    proxy = HistoryFilterProxy()
    proxy.setSourceModel(model)
    with qtbot.waitSignal(model.modelReset, timeout=WAIT):
        proxy.sort(STATUS, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: proxy.rowCount() == 200, timeout=WAIT)
    # No response (-1) sorts first: rows 97, 194, … of 100,000, the oldest first on ties.
    assert [proxy.record_at(r).id for r in range(3)] == [97, 194, 291]
    assert proxy.canFetchMore(QModelIndex())
    proxy.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: proxy.rowCount() == 400, timeout=WAIT)
    keys = [(-1 if r.status is None else r.status, r.id) for r in map(proxy.record_at, range(400))]
    assert keys == sorted(keys) and len({k[1] for k in keys}) == 400

    proxy.sort(DURATION, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: proxy.rowCount() == 200 and not model.loading, timeout=WAIT)
    top = proxy.record_at(0)
    assert top.duration_ms == 12.5 + 49 and top.id == ROWS - 1  # i % 50 == 49, newest
    assert model.total == ROWS

    proxy.sort(-1, Qt.SortOrder.AscendingOrder)  # back to newest first
    qtbot.waitUntil(lambda: model.rowCount() == 200 and not model.loading, timeout=WAIT)
    assert ids(model)[:3] == [ROWS, ROWS - 1, ROWS - 2]


def test_a_live_row_lands_where_the_order_puts_it(qtbot, model):
    model.sort(ATTEMPTS, Qt.SortOrder.DescendingOrder)  # every stored row has 1 attempt
    qtbot.waitUntil(lambda: model.rowCount() == 200 and not model.loading, timeout=WAIT)
    model.prepend(record(ROWS + 1, attempt=3))
    assert model.record_at(0).id == ROWS + 1
    model.prepend(record(ROWS + 2, attempt=1))  # ties go newest first: just below the 3
    assert model.record_at(1).id == ROWS + 2
    model.sort(ATTEMPTS, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.rowCount() == 200 and not model.loading, timeout=WAIT)
    model.prepend(record(ROWS + 3, attempt=5))
    assert model.rowCount() == 200, "sorted last: a later page brings it, not the top"


def test_proxy_answers_every_role_of_a_cell_as_data_does(model):
    # The view's delegate asks for a cell's roles in one multiData call, answered in Python.
    proxy = HistoryFilterProxy()
    proxy.setSourceModel(model)
    roles = [
        Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.DecorationRole,
    ]  # fmt: skip
    coloured = 0
    for row in (0, 1, proxy.rowCount() - 1):
        for column in range(proxy.columnCount()):
            answers = answers_match_data(proxy, proxy.index(row, column), roles)
            coloured += sum(isinstance(answer, QColor) for answer in answers)
    assert coloured >= 1  # the failed statuses at the top are coloured


def test_the_view_paints_a_failed_status_in_the_error_colour(qtbot, model, qapp):
    # The model answers ForegroundRole with a QColor (cheaper at start-up than a QBrush); the
    # default delegate must still turn it into the text colour.
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

    from attentive_desktop.gui.theme import palette_status_color

    proxy = HistoryFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(STATUS, Qt.SortOrder.DescendingOrder)  # 429s first, from the database
    qtbot.waitUntil(lambda: proxy.rowCount() == 200 and not model.loading, timeout=WAIT)
    failed = proxy.index(0, STATUS)
    assert proxy.record_at(0).status == 429
    assert proxy.data(failed, Qt.ItemDataRole.ForegroundRole) is not None
    option = QStyleOptionViewItem()
    QStyledItemDelegate().initStyleOption(option, failed)
    error = palette_status_color(QGuiApplication.palette(), "error")  # the palette's own
    assert option.palette.color(option.palette.ColorRole.Text) == error


def test_model_passes_the_qt_model_checks(qtmodeltester, model):
    qtmodeltester.check(model)


def test_clearing_the_store_empties_the_model(qtbot, tmp_path):
    db = Database(tmp_path / "small.sqlite3")
    try:
        store = HistoryStore(db)
        with db.transaction() as conn:
            conn.executemany(
                "INSERT INTO history (started_at, method, endpoint, user, status, duration_ms, "
                "attempt, account, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _rows(5),
            )
        service = HistoryService(store)
        model = HistoryTableModel(service)
        qtbot.waitUntil(lambda: model.rowCount() == 5 and model.total == 5, timeout=WAIT)
        assert not model.canFetchMore(QModelIndex())
        with qtbot.waitSignal(service.cleared, timeout=WAIT):
            service.clear()
        qtbot.waitUntil(lambda: model.total == 0, timeout=WAIT)
        assert model.rowCount() == 0
        with qtbot.waitSignal(service.recordLoaded, timeout=WAIT) as blocker:
            service.request_record(1)
        assert blocker.args == [None]
        service.shutdown()
    finally:
        db.close()


class SlowPageStore(HistoryStore):
    """Reads a page, then holds it until `release` is set: a record stored meanwhile is not
    in the page the model receives."""

    def __init__(self, db):
        super().__init__(db)
        self.read = threading.Event()
        self.release = threading.Event()

    def page_ordered(self, *args, **kwargs):
        page = super().page_ordered(*args, **kwargs)
        self.read.set()
        self.release.wait(10)
        return page


@pytest.mark.parametrize("stored", [300, 3], ids=["more pages", "one page"])
def test_a_row_stored_while_a_page_is_on_its_way_is_not_lost(qtbot, tmp_path, stored):
    db = Database(tmp_path / "race.sqlite3")
    store = SlowPageStore(db)
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO history (started_at, method, endpoint, user, status, duration_ms, "
            "attempt, account, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _rows(stored),
        )
    service = HistoryService(store)
    try:
        model = HistoryTableModel(service)
        assert store.read.wait(10) and model.loading  # the first page is read, not yet shown
        live_id = store.append(FakeLiveExchange())
        model.prepend(dataclasses.replace(store.get(live_id), request_body=""))
        store.release.set()
        qtbot.waitUntil(lambda: not model.loading and model.rowCount() > 0, timeout=WAIT)
        assert model.record_at(0).id == live_id
        assert ids(model).count(live_id) == 1
    finally:
        store.release.set()
        service.shutdown()
        db.close()


@dataclasses.dataclass(frozen=True)
class FakeLiveExchange:
    started_at: float = T0 + 1_000_000
    method: str = "GET"
    url: str = "http://127.0.0.1/v1/me"
    endpoint: str = "/me"
    user: str = ""
    status: int | None = 200
    duration_ms: float = 9.0
    attempt: int = 1
    request_body: str = ""
    response_body: str = "{}"
    user_agent: str = "attentive-desktop/0.1.0"
    error: str | None = None
