"""The GUI thread never waits on the disk once the window is up (DESIGN.md, Architecture).

While a user adds two accounts, switches between them, looks a user up, edits, sends, picks a
history row and opens the Bulk dialog, every SQL statement run on the GUI thread's own
database connection and every file the GUI thread opens are recorded (SQLite's trace callback
on the connections the GUI thread opens, and Python's "open" audit event). Start-up (before
the window reports ready) may read: opening the database and the one read of the accounts.
Modules imported on first use are code, not data, and are not counted.
"""

from __future__ import annotations

import importlib.machinery
import sys
import threading
from collections.abc import Iterator

import pytest

from attentive_desktop.store import database as database_module
from tests.strict import ui
from tests.strict.accounts_support import (
    HARBOR_ME,
    OUTDOOR_ME,
    CompanyApi,
    add_company,
    company_line,
    harbor_users,
    switch_to,
)
from tests.strict.journey import (
    LEFT,
    OFFSCREEN_POPUP_WARNINGS,
    WAIT,
    click,
    confirm_send,
    first_run,
    history_rows,
    history_table,
    look_up,
    send_result,
    send_with_keyboard,
    set_attribute,
    wait_window,
    writing_to,
)

pytestmark = OFFSCREEN_POPUP_WARNINGS


class GuiThreadDisk:
    """What the GUI thread did on the disk while ``watching``: SQL run and files opened."""

    def __init__(self) -> None:
        self.watching = False
        self.statements: list[str] = []
        self.opened: list[str] = []

    def statement(self, sql: str) -> None:
        if self.watching:
            self.statements.append(sql.strip().splitlines()[0][:120])

    def audit(self, event: str, args: tuple) -> None:
        if event == "open" and self.watching and threading.current_thread() is MAIN:
            path = str(args[0])
            if not path.endswith(CODE_SUFFIXES):  # a module loaded on first use is code
                self.opened.append(path)


MAIN = threading.main_thread()
CODE_SUFFIXES = (*importlib.machinery.all_suffixes(), ".pyc")
_RECORDERS: list[GuiThreadDisk] = []


def _audit(event: str, args: tuple) -> None:
    for recorder in _RECORDERS:
        recorder.audit(event, args)


sys.addaudithook(_audit)  # audit hooks cannot be removed: this one only reads _RECORDERS


@pytest.fixture
def gui_disk(monkeypatch) -> Iterator[GuiThreadDisk]:
    recorder = GuiThreadDisk()
    open_connection = database_module.Database._open_connection

    def traced(self):
        conn = open_connection(self)
        if threading.current_thread() is MAIN:
            conn.set_trace_callback(recorder.statement)
        return conn

    monkeypatch.setattr(database_module.Database, "_open_connection", traced)
    _RECORDERS.append(recorder)
    yield recorder
    _RECORDERS.remove(recorder)


def test_the_gui_thread_touches_no_disk_through_a_two_account_journey(
    qtbot, open_window, strict_api, gui_disk
):
    with CompanyApi(me=HARBOR_ME, write_key="harbor-key-1b2c3d", users=harbor_users()) as harbor:
        window = open_window().window
        gui_disk.watching = True
        first_run(qtbot, strict_api, name="Outdoor")
        qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME))
        add_company(qtbot, window, harbor, "Harbor", "harbor-key-1b2c3d", HARBOR_ME)

        assert look_up(qtbot, window, "Phone", "(415) 555-0100").startswith("Found")
        set_attribute(qtbot, window, "Favorite color", "teal")
        send_with_keyboard(qtbot, window)
        confirm_send(qtbot)
        qtbot.waitUntil(lambda: send_result(window).startswith("Sent, then re-read"), timeout=WAIT)

        switch_to(qtbot, window, "Outdoor", OUTDOOR_ME)
        assert look_up(qtbot, window, "Phone", "(415) 555-0100").startswith("Found")
        switch_to(qtbot, window, "Harbor", HARBOR_ME)

        qtbot.waitUntil(lambda: ("POST", "/attributes/custom", "200") in history_rows(window))
        history = history_table(window)
        index = ui.cell(history, 0, "Method")
        qtbot.mouseClick(history.viewport(), LEFT, pos=history.visualRect(index).center())

        ui.menu_action(window, "Actions", "Bulk update from CSV…").trigger()
        dialog = wait_window(qtbot, "Bulk update from CSV")
        click(qtbot, ui.button(dialog, "Close"))
        gui_disk.watching = False

    assert gui_disk.statements == [], "SQL on the GUI thread"
    assert gui_disk.opened == [], "files opened on the GUI thread"
