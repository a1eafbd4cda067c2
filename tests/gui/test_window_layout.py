"""The window's layout outlives a restart: the history's split and its column widths and shown
columns come back; a settings file from before (or a damaged one) changes nothing."""

from __future__ import annotations

from attentive_desktop.gui.geometry import SETTINGS_KEY
from attentive_desktop.gui.history_model import ACCOUNT, ENDPOINT, TIME, USER
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.settings import Settings
from tests.gui.test_main_window import open_window  # noqa: F401 (fixture)


def sandbox_window(open_window, sandbox):  # noqa: F811
    return open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key)


def test_splitters_and_history_columns_come_back_after_a_restart(qtbot, open_window, sandbox):  # noqa: F811
    session = sandbox_window(open_window, sandbox)
    window = session.window
    # The offscreen screen is 800×800 and restoreGeometry keeps a window on its screen: at its
    # narrowest (wider than 800 px) the window comes back at the same width, and so does the
    # history's splitter, so its position can be compared.
    narrowest = window.minimumSizeHint().width()
    window.resize(narrowest, 700)
    qtbot.waitUntil(lambda: window.width() == narrowest)
    table = window.history.table
    defaults = table.columnWidth(TIME), table.columnWidth(ENDPOINT)
    table.setColumnWidth(ENDPOINT, defaults[1] + 111)
    table.setColumnHidden(USER, True)
    table.setColumnHidden(ACCOUNT, False)  # an optional column the user chose to show
    history = window.history.splitter
    history.setSizes([history.width() - 200, 200])
    history_sizes = history.sizes()
    assert history_sizes != [0, 0]
    window.close()
    session.shutdown()

    again = sandbox_window(open_window, sandbox).window
    qtbot.waitUntil(lambda: again.width() == narrowest)
    table = again.history.table
    assert table.columnWidth(ENDPOINT) == defaults[1] + 111
    assert table.columnWidth(TIME) == defaults[0]
    assert table.isColumnHidden(USER) and not table.isColumnHidden(ACCOUNT)
    assert again.history.splitter.sizes() == history_sizes
    assert table.horizontalHeader().sortIndicatorSection() == -1  # newest first, as always


def test_settings_without_the_layout_or_with_damaged_parts_leave_the_built_layout(
    qtbot,
    open_window,  # noqa: F811
    sandbox,
):
    paths = AppPaths.from_environment().ensure()
    settings = Settings(paths.settings_file)
    settings.set(
        SETTINGS_KEY,
        {
            "geometry": "not base64!",
            "splitters": {"historySplitter": 42},
            "columns": {"historyTable": {"widths": ["wide", -5, None], "hidden": "all"}},
        },
    )
    settings.flush()
    window = sandbox_window(open_window, sandbox).window
    table = window.history.table
    assert table.columnWidth(TIME) == 150 and table.columnWidth(1) == 60
    assert not table.isColumnHidden(USER) and table.isColumnHidden(ACCOUNT)
    assert all(size > 0 for size in window.history.splitter.sizes())
