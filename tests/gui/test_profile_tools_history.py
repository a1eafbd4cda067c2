"""Issue 7 history tools and privacy, against the sandbox: search and filters, replay (never
sends), copy as curl (no key), export of the filtered rows, retention, masking."""

from __future__ import annotations

import csv
import dataclasses
import json
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QPushButton

from attentive_desktop.store.history import HistoryStore
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.settings import Settings
from tests.gui.test_profile_tools import (
    ADA,
    WAIT,
    look_up,
    send_through_diff,
    tools_window,  # noqa: F401  (fixture)
)

PERSONAL = (
    "+14155550100",
    "4155550100",
    "%2B14155550100",
    "ada@example.com",
    "ada%40example.com",
    "grace@example.com",
    "crm-team@northwind",
)


def rows_of(history) -> int:
    return history.proxy.rowCount()


def row_with(history, method: str) -> int:
    return next(r for r in range(rows_of(history)) if history.proxy.index(r, 1).data() == method)


@pytest.fixture
def busy_window(qtbot, tools_window):  # noqa: F811
    """A window whose history holds lookups by phone and email, a 404 and a send."""
    session = tools_window()
    window, history = session.window, session.window.history
    look_up(qtbot, session)
    window.editor.model.add_row("Favorite color", "teal")
    send_through_diff(qtbot, window)
    window.form.phone_edit.clear()
    window.form.email_edit.setText("grace@example.com")
    with qtbot.waitSignal(window.flow.userLookedUp, timeout=WAIT):
        window.flow.lookup()
    window.form.email_edit.setText("nobody@example.com")
    with qtbot.waitSignal(window.flow.userLookedUp, timeout=WAIT):
        window.flow.lookup()
    qtbot.waitUntil(lambda: not window.profile_tools.subscriptions.loading, timeout=WAIT)
    store = HistoryStore(session.database)
    qtbot.waitUntil(lambda: rows_of(history) == store.count(), timeout=WAIT)
    return session


def test_full_text_search_finds_bodies_and_status_filter_narrows(qtbot, busy_window):
    history = busy_window.window.history
    history.filter_edit.setText("teal")  # only in the POST body (and the re-read's reply)
    history.apply_filter()
    qtbot.waitUntil(lambda: rows_of(history) >= 1 and history.model.total >= 0, timeout=WAIT)
    methods = {history.proxy.index(r, 1).data() for r in range(rows_of(history))}
    assert "POST" in methods
    assert rows_of(history) < HistoryStore(busy_window.database).count()
    history.filter_edit.clear()
    history.tools.status_buttons["4xx"].setChecked(True)
    history.apply_filter()
    qtbot.waitUntil(lambda: rows_of(history) == 1, timeout=WAIT)
    assert history.proxy.index(0, 4).data() == "404"
    history.tools.range_combo.setCurrentText("Today")
    history.apply_filter()
    qtbot.waitUntil(lambda: rows_of(history) == 1, timeout=WAIT)
    history.tools.range_combo.setCurrentText("Custom range")
    history.tools.from_edit.setDate(history.tools.from_edit.date().addDays(-30))
    history.tools.to_edit.setDate(history.tools.from_edit.date().addDays(1))
    history.apply_filter()
    qtbot.waitUntil(lambda: rows_of(history) == 0 and history.model.total == 0, timeout=WAIT)


def test_replay_loads_the_send_and_never_sends(qtbot, busy_window, sandbox):
    window, history = busy_window.window, busy_window.window.history
    window.editor.model.clear()
    window.form.email_edit.clear()
    history.table.selectRow(row_with(history, "POST"))
    before = len(sandbox.requests)
    with qtbot.assertNotEmitted(busy_window.api.sent, wait=200):
        history.tools.replay_button.click()
    assert len(sandbox.requests) == before
    assert not window.flow.busy
    assert window.form.phone_edit.text() == ADA
    assert window.editor.model.properties() == {"Favorite color": "teal"}
    assert "Nothing was sent" in window.statusBar().currentMessage()


def open_question(window) -> QMessageBox | None:
    boxes = [b for b in window.findChildren(QMessageBox, "replayConfirm") if b.isVisible()]
    return boxes[0] if boxes else None


def test_replay_asks_before_replacing_unsent_edits(qtbot, busy_window):
    window, history = busy_window.window, busy_window.window.history
    model = window.editor.model
    model.clear()
    model.add_row("Loyalty tier", "Gold")
    model.add_row("Referral code", "ABC")
    history.table.selectRow(row_with(history, "POST"))
    history.tools.replay_button.click()
    qtbot.waitUntil(lambda: open_question(window) is not None)
    box = open_question(window)
    assert "2 unsent edits" in box.text()
    assert model.properties() == {"Loyalty tier": "Gold", "Referral code": "ABC"}  # kept
    box.findChild(QPushButton, "replayConfirmNo").click()
    qtbot.waitUntil(lambda: open_question(window) is None)
    assert model.properties() == {"Loyalty tier": "Gold", "Referral code": "ABC"}
    history.tools.replay_button.click()
    qtbot.waitUntil(lambda: open_question(window) is not None)
    open_question(window).findChild(QPushButton, "replayConfirmYes").click()
    assert model.properties() == {"Favorite color": "teal"}
    assert history.tools.replay_button.isEnabled()
    history.tools.replay_button.click()  # the same edits as the send's: nothing to lose
    assert open_question(window) is None
    assert "Nothing was sent" in window.statusBar().currentMessage()


def test_replay_of_another_accounts_request_says_whose_it_was(busy_window):
    window, history = busy_window.window, busy_window.window.history
    history.table.selectRow(row_with(history, "POST"))
    record = dataclasses.replace(history.selected_record(), account="Northwind EU")
    assert window.profile_tools.history_actions.replay(record)
    message = window.statusBar().currentMessage()
    assert "“Northwind EU”" in message and f"“{window.account_name}”" in message
    assert "Nothing was sent" in message


def test_copy_as_curl_leaves_the_key_to_the_shell(qtbot, busy_window, sandbox):
    history = busy_window.window.history
    history.table.selectRow(row_with(history, "POST"))
    history.tools.curl_button.click()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("curl -X POST ")
    assert '"Authorization: Bearer $ATTENTIVE_API_KEY"' in text
    assert sandbox.api_key not in text
    assert "Favorite color" in text


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_export_writes_only_the_filtered_rows(qtbot, busy_window, tmp_path, suffix):
    history = busy_window.window.history
    history.filter_edit.setText("grace@")
    history.apply_filter()
    qtbot.waitUntil(lambda: rows_of(history) == 2, timeout=WAIT)  # lookup and subscriptions
    target = tmp_path / f"history.{suffix}"
    with qtbot.waitSignal(busy_window.window.profile_tools.history_actions.exported, timeout=WAIT):
        busy_window.window.profile_tools.history_actions.export_to(str(target))
    text = target.read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines())) if suffix == "csv" else json.loads(text)
    assert len(rows) == 2
    assert {r["user"] for r in rows} == {"grace@example.com"}
    assert busy_window.book.key_for("Sandbox") not in text


def test_masking_hides_every_phone_and_email_in_the_history_view(qtbot, busy_window):
    window, history = busy_window.window, busy_window.window.history
    privacy = window.profile_tools.privacy
    history.table.setColumnHidden(8, False)  # the optional Account / OS user columns
    privacy.action.trigger()
    assert privacy.masked
    proxy = history.proxy
    assert proxy.rowCount() >= 6
    shown = []
    for row in range(proxy.rowCount()):
        for column in range(proxy.columnCount()):
            index = proxy.index(row, column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                shown.append(str(index.data(role) or ""))
        history.table.selectRow(row)
        shown.append(history.details.toPlainText())
    everything = "\n".join(shown)
    for secret in PERSONAL:
        assert secret not in everything, secret
    assert "+1 415 ••• ••00" in everything
    assert "g••@example.com" in everything
    # The form, its status lines, the status bar: masked too; the fields show only in edit.
    form_texts = [label.text() for label in window.findChildren(QLabel)]
    form_texts.append(window.statusBar().currentMessage())
    for secret in PERSONAL:
        assert all(secret not in text for text in form_texts), secret
    assert window.form.email_edit.echoMode() == QLineEdit.EchoMode.PasswordEchoOnEdit
    # Turning it off shows the data again; the choice is remembered.
    settings_file = AppPaths.from_environment().settings_file  # written off the GUI thread
    qtbot.waitUntil(lambda: Settings(settings_file).get("mask_personal_data") is True)
    privacy.action.trigger()
    history.table.selectRow(row_with(history, "POST"))
    assert ADA in history.details.toPlainText()
    assert window.form.email_edit.echoMode() == QLineEdit.EchoMode.Normal


def test_details_show_account_and_os_user(qtbot, busy_window):
    history = busy_window.window.history
    history.table.selectRow(0)
    details = history.details.toPlainText()
    store = HistoryStore(busy_window.database)
    assert f"Account: Sandbox · OS user: {store.os_user or '—'}" in details
    assert history.model.headerData(9, Qt.Orientation.Horizontal) == "OS user"


def test_retention_prunes_old_rows_off_the_gui_thread(qtbot, tools_window):  # noqa: F811
    session = tools_window()
    store = HistoryStore(session.database)

    class Old:
        started_at = time.time() - 120 * 86_400
        method, url, endpoint, user = "GET", "http://x/v1/me", "/me", ""
        status, duration_ms, attempt = 200, 1.0, 1
        request_body = response_body = user_agent = ""
        error = None

    old_id = store.append(Old(), account="Sandbox")
    assert store.get(old_id) is not None
    dialog = session.window.profile_tools.open_preferences()
    assert dialog.days_spin.value() == 90
    dialog.days_spin.setValue(30)
    dialog.save()
    qtbot.waitUntil(lambda: store.get(old_id) is None, timeout=WAIT)
    assert session.window.settings.get("history_retention_days") == 30


def test_preferences_choose_the_region_of_numbers_typed_without_a_plus(qtbot, tools_window):  # noqa: F811
    session = tools_window()
    window = session.window
    window.form.phone_edit.setText("020 7946 0958")  # a London number, written as in the UK
    assert "Reads as" not in window.form.phone_status.text()  # not a US number
    dialog = window.profile_tools.open_preferences()
    combo = dialog.region_combo
    assert combo.currentData() == "US"
    assert combo.findText("United Kingdom (GB, +44)") >= 0  # named in words, with its code
    combo.setCurrentIndex(combo.findData("GB"))
    dialog.save()
    assert window.settings.get("default_region") == "GB"
    assert window.form.phone_status.text() == "✓ Reads as +442079460958"
    assert "GB" in window.statusBar().currentMessage()
