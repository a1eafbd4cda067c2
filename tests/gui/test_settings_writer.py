"""gui/settings_writer.SettingsWriter: settings hold at once and reach the disk off-thread."""

from __future__ import annotations

import json
import threading

from PySide6.QtCore import QTimer

from attentive_desktop.gui.settings_writer import SettingsWriter
from attentive_desktop.store.errors import write_error
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.settings import Settings


class SlowDisk(Settings):
    """Settings whose writes wait until released (an fsync behind a busy disk)."""

    def __init__(self, path) -> None:
        super().__init__(path)
        self.writing, self.release = threading.Event(), threading.Event()
        self.full = False
        self.writer_threads: list[str] = []

    def flush(self) -> None:
        self.writer_threads.append(threading.current_thread().name)
        self.writing.set()
        self.release.wait(30)
        if self.full:
            raise write_error("disk-full", self.path.parent, "The setting was not saved.")
        super().flush()


def _slow_settings() -> SlowDisk:
    return SlowDisk(AppPaths.from_environment().ensure().settings_file)


def test_a_setting_holds_at_once_while_the_disk_is_slow(qtbot) -> None:
    disk = _slow_settings()
    writer = SettingsWriter(disk)
    try:
        writer.set("last_account", "Main")
        assert writer.get("last_account") == "Main"
        qtbot.waitUntil(disk.writing.is_set)
        ticks: list[int] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(10)
        qtbot.waitUntil(lambda: len(ticks) >= 3)  # the event loop runs while the write waits
        timer.stop()
        assert not disk.path.exists()
        assert threading.current_thread().name not in disk.writer_threads
    finally:
        disk.release.set()
    qtbot.waitUntil(disk.path.exists)
    assert json.loads(disk.path.read_text()) == {"last_account": "Main"}
    writer.stop()


def test_a_failed_write_is_told_and_the_value_still_holds(qtbot) -> None:
    disk = _slow_settings()
    disk.full = True
    disk.release.set()
    writer = SettingsWriter(disk)
    with qtbot.waitSignal(writer.failed) as told:
        writer.set("maskPersonalData", True)
    assert "the disk is full" in told.args[0] and "The setting was not saved." in told.args[0]
    assert writer.get("maskPersonalData") is True
    disk.full = False
    writer.stop()  # quitting writes what is still unwritten
    assert json.loads(disk.path.read_text()) == {"maskPersonalData": True}


def test_stop_writes_what_the_background_had_not_written_yet(qtbot) -> None:
    disk = _slow_settings()
    writer = SettingsWriter(disk)
    writer.set("last_account", "Main")
    qtbot.waitUntil(disk.writing.is_set)
    writer.set("default_region", "GB")  # queued behind the write under way
    disk.release.set()
    writer.stop()
    assert json.loads(disk.path.read_text()) == {"default_region": "GB", "last_account": "Main"}
    assert writer.get("default_region") == "GB"
