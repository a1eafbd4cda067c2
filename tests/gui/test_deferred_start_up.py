"""Start-up budget (issue 3): what waits for the first frame exists once the window is ready.

app.build_window builds the menus' actions, the bulk action, the profile tools' panels and
actions and the safety net one event-loop tick after the first frame (Session.complete),
before MainWindow.start reports ready; the Bulk dialog is built hidden once start-up is done.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton

from attentive_desktop.app import build_window
from attentive_desktop.gui.main_window import MENU_TITLES
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.secrets import SecretStore
from tests.fakes import FakeKeyring

ACTIONS = {  # object name → shortcut ("" for none)
    "quitAction": "Ctrl+Q",
    "addAccountAction": "",
    "lookupAction": "Ctrl+L",
    "sendAction": "Ctrl+Return",
    "cancelAction": "Esc",
    "showRequestAction": "Ctrl+Shift+R",
    "newRowAction": "Ctrl+N",
    "removeRowAction": "Ctrl+Del",
    "pasteRowsAction": "",
    "toggleHistoryAction": "Ctrl+H",
    "filterHistoryAction": "Ctrl+F",
    "shortcutsAction": "",
    "bulkAction": "Ctrl+B",
    "revertLastSendAction": "Ctrl+Shift+Z",
    "linkIdentifiersAction": "Ctrl+Shift+I",
    "catalogAction": "Ctrl+Shift+U",
    "preferencesAction": "Ctrl+,",
    "maskPersonalDataAction": None,  # its shortcut belongs to the privacy helper
    "aboutAction": "",
}


def _build(qtbot, sandbox):
    built = build_window(
        AppPaths.from_environment(),
        SecretStore(keyring_backend=FakeKeyring()),
        sandbox_url=sandbox.base_url,
        sandbox_key=sandbox.api_key,
        first_run_dialog=False,
    )
    qtbot.addWidget(built.window)
    return built


@pytest.fixture
def session(qtbot, sandbox):
    built = _build(qtbot, sandbox)
    yield built
    built.window.close()
    built.shutdown()


def _menu_actions(window) -> dict[str, list[str]]:
    return {
        action.text(): [a.objectName() for a in action.menu().actions() if a.objectName()]
        for action in window.menuBar().actions()
    }


def test_before_the_first_frame_only_the_first_screen_is_built(session) -> None:
    window = session.window
    assert [a.text() for a in window.menuBar().actions()] == list(MENU_TITLES)
    assert all(names == [] for names in _menu_actions(window).values())
    assert not hasattr(window, "bulk")
    assert not window.profile_tools.completed
    # The form is complete in the first frame: its Link identifiers button is already there.
    assert window.findChild(QPushButton, "linkIdentifiersButton") is not None
    assert session.pending  # waiting for the first frame


def test_every_action_exists_once_the_window_reports_ready(qtbot, session) -> None:
    window = session.window
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.is_ready)
    for name, shortcut in ACTIONS.items():
        action = window.findChild(QAction, name)
        assert action is not None, name
        if shortcut is not None:
            assert action.shortcut().toString() == shortcut, name
    menus = _menu_actions(window)
    assert menus["&Account"] == [
        "addAccountAction",
        "replaceKeyAction",
        "removeAccountAction",
        "quitAction",
    ]
    assert "bulkAction" in menus["Ac&tions"] and "revertLastSendAction" in menus["Ac&tions"]
    assert "catalogAction" in menus["&Edit"]
    assert "maskPersonalDataAction" in menus["&View"]
    assert menus["&Help"] == ["shortcutsAction", "aboutAction"]
    assert window.profile_tools.completed
    assert window.profile_tools.subscriptions.isHidden()  # until a lookup
    assert window.drafts is not None and window.safety is not None
    assert not session.pending
    assert window.bulk.shutdown in session.closers  # stopped with the session
    assert session.closers.index(window.drafts.shutdown) < session.closers.index(
        session.database.close
    )


def test_help_lists_every_shortcut_the_window_answers_to(qtbot, session) -> None:
    # The sheet is written by hand; Ctrl+B (bulk) and Ctrl+Q (quit) were once left out.
    window = session.window
    window.show()
    qtbot.waitUntil(lambda: window.is_ready)
    sheet = window.show_shortcuts()
    listed = [QKeySequence(keys) for keys in re.findall(r"<b>(.*?)</b>", sheet.text())]
    sheet.close()
    bound = {
        action.objectName(): action.shortcut()
        for action in window.findChildren(QAction)
        if not action.shortcut().isEmpty()
    }
    assert {name for name, keys in ACTIONS.items() if keys} <= set(bound)  # all are built
    missing = {name: keys.toString() for name, keys in bound.items() if keys not in listed}
    assert missing == {}
    assert len(listed) == len(set(listed))  # and none twice


def test_complete_runs_once_and_never_after_shutdown(qtbot, sandbox) -> None:
    built = _build(qtbot, sandbox)
    built.shutdown()
    built.complete()  # the database is closed: nothing may be built on it
    assert not hasattr(built.window, "bulk")
    built.window.close()


def test_the_bulk_dialog_is_built_hidden_when_idle_and_ctrl_b_only_shows_it(qtbot, session) -> None:
    window = session.window
    window.show()
    qtbot.waitUntil(lambda: window.is_ready)
    bulk = window.bulk
    qtbot.waitUntil(lambda: bulk.prepared, timeout=10_000)
    dialog = bulk.dialog
    assert dialog is not None and not dialog.isVisible()
    assert bulk.open() is dialog
    assert dialog.isVisible()
    dialog.close()
