"""View ▸ Mask personal data beyond the history: the Bulk dialog (preview, dry run, results,
summaries), the property editor's cells, the status bar, and the choice surviving a restart."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from attentive_desktop.gui.property_model import CURRENT, VALUE
from tests.gui.test_profile_tools import (
    ADA,
    WAIT,
    look_up,
    tools_window,  # noqa: F401  (fixture)
)

RUN_TIMEOUT = 30_000
ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
# Everything personal the CSV below holds, as typed and as E.164.
BULK_PERSONAL = (
    "(415) 555-0131",
    "4155550131",
    "+14155550131",
    "+14155550132",
    "4155550132",
    "ada.lovelace@example.com",
    "backup.ada@example.com",
    "(415) 555-01",
    "grace@@example",
)
EDITOR_PERSONAL = ("backup@example.com", "+14155550199", "old.backup@example.com")


def write_csv(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(
        "phone,email,Backup email,points\n"
        "(415) 555-0131,,backup.ada@example.com,1\n"  # national format: valid, sent
        "+14155550132,ada.lovelace@example.com,,2\n"  # E.164 and an email: sent
        "(415) 555-01,,,3\n"  # invalid phone: quoted in the problem, skipped
        ",grace@@example,,4\n",  # invalid email: quoted in the problem, skipped
        encoding="utf-8",
    )
    return path


def model_texts(model) -> list[str]:
    texts: list[str] = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column, QModelIndex())
            texts += [str(index.data(role) or "") for role in ROLES]
    for orientation, count in (
        (Qt.Orientation.Horizontal, model.columnCount()),
        (Qt.Orientation.Vertical, model.rowCount()),
    ):
        for section in range(count):
            texts += [str(model.headerData(section, orientation, role) or "") for role in ROLES]
    return texts


def bulk_texts(dialog) -> str:
    texts = []
    for model in (dialog.preview_model, dialog.problems_model, dialog.results_model):
        texts += model_texts(model)
    texts += [label.text() for label in dialog.findChildren(QLabel)]
    texts += [label.accessibleName() for label in dialog.findChildren(QLabel)]
    return "\n".join(texts)


def run_bulk(qtbot, dialog, path: Path) -> None:
    with qtbot.waitSignal(dialog.session.previewReady, timeout=RUN_TIMEOUT):
        dialog.open_file(path)
    with qtbot.waitSignal(dialog.session.checked, timeout=RUN_TIMEOUT):
        assert dialog.dry_run() is not None
    assert dialog.problems_model.rowCount() >= 2
    with qtbot.waitSignal(dialog.session.finished, timeout=RUN_TIMEOUT):
        assert dialog.start() is not None
    dialog.results_model.flush()
    qtbot.waitUntil(lambda: dialog.results_model.rowCount() == 4, timeout=WAIT)


def test_bulk_dialog_masks_preview_problems_results_and_summaries(
    qtbot,
    tools_window,  # noqa: F811
    tmp_path,
):
    session = tools_window()
    window = session.window
    privacy = window.profile_tools.privacy
    privacy.action.trigger()
    assert privacy.masked
    dialog = window.bulk.open()  # built after masking was turned on: starts masked
    run_bulk(qtbot, dialog, write_csv(tmp_path))
    assert dialog.summary.sent == 2
    shown = bulk_texts(dialog)
    for secret in BULK_PERSONAL:
        assert secret not in shown, secret
    assert "(•••) •••-••31" in shown  # the preview's phone cell, as typed
    assert "+1 415 ••• ••32" in shown  # a result's identifier
    assert "b••@example.com" in shown and "g••@@example" in shown
    # Off: the same cells show the data again, live (dataChanged, not a reload).
    with qtbot.waitSignal(dialog.results_model.dataChanged, timeout=WAIT):
        privacy.action.trigger()
    shown = bulk_texts(dialog)
    for secret in ("(415) 555-0131", "+14155550132", "backup.ada@example.com", "(415) 555-01"):
        assert secret in shown, secret
    assert "grace@@example" in shown
    # On again while the dialog is open: masked again, headers too.
    with qtbot.waitSignal(dialog.preview_model.headerDataChanged, timeout=WAIT):
        privacy.action.trigger()
    shown = bulk_texts(dialog)
    assert not any(secret in shown for secret in BULK_PERSONAL)


def test_property_editor_masks_values_and_current_but_edits_the_real_value(
    qtbot,
    tools_window,  # noqa: F811
):
    session = tools_window()
    window, model = session.window, session.window.editor.model
    model.add_row("Backup email", "backup@example.com")
    model.add_row("Backup phone", "+14155550199")
    model.set_current({"Backup email": "old.backup@example.com"})
    window.profile_tools.privacy.action.trigger()
    shown = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            for role in (*ROLES, Qt.ItemDataRole.AccessibleTextRole):
                shown.append(str(index.data(role) or ""))
    everything = "\n".join(shown)
    for secret in EDITOR_PERSONAL:
        assert secret not in everything, secret
    assert "b••@example.com" in everything and "o••@example.com" in everything
    assert "+1 415 ••• ••99" in everything
    value = model.index(0, VALUE)
    assert value.data(Qt.ItemDataRole.EditRole) == "backup@example.com"
    table = window.editor.table
    table.setCurrentIndex(value)
    table.edit(value)
    qtbot.waitUntil(lambda: window.editor.findChild(QLineEdit, "valueEditor") is not None)
    assert window.editor.findChild(QLineEdit, "valueEditor").text() == "backup@example.com"
    table.closePersistentEditor(value)
    with qtbot.waitSignal(model.dataChanged, timeout=WAIT):
        window.profile_tools.privacy.action.trigger()
    assert model.index(0, VALUE).data() == "backup@example.com"
    assert model.index(0, CURRENT).data() == "old.backup@example.com"


def test_status_bar_message_comes_back_unmasked(qtbot, tools_window):  # noqa: F811
    window = tools_window().window
    privacy = window.profile_tools.privacy
    bar = window.statusBar()
    raw = "Found +14155550100 and ada@example.com: 3 attributes."
    window.show_message(raw)
    privacy.set_masked(True)
    assert "ada@example.com" not in bar.currentMessage()
    assert "+1 415 ••• ••00" in bar.currentMessage()
    privacy.set_masked(False)
    assert bar.currentMessage() == raw
    privacy.set_masked(True)
    window.show_message("Sent to grace@example.com.", "error")
    assert bar.currentMessage() == "Sent to g••@example.com."
    privacy.set_masked(False)
    assert bar.currentMessage() == "Sent to grace@example.com."


def test_masking_survives_a_restart_and_masks_the_history(qtbot, tools_window):  # noqa: F811
    first = tools_window()
    look_up(qtbot, first)
    first.window.profile_tools.privacy.action.trigger()
    first.window.close()
    first.shutdown()
    second = tools_window()  # same ATTENTIVE_DESKTOP_HOME, so the same settings and database
    window = second.window
    privacy = window.profile_tools.privacy
    assert privacy.masked and privacy.action.isChecked()
    history = window.history
    assert history.model.masked
    qtbot.waitUntil(lambda: history.proxy.rowCount() >= 2, timeout=WAIT)  # old + new rows
    texts = []
    for row in range(history.proxy.rowCount()):
        for column in range(history.proxy.columnCount()):
            texts += [str(history.proxy.index(row, column).data(role) or "") for role in ROLES]
    everything = "\n".join(texts)
    assert "/attributes/custom" in everything  # the first session's lookup is there…
    assert ADA not in everything and "4155550100" not in everything  # …masked
    assert "+1 415 ••• ••00" in everything
