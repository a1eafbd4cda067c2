"""A hard crash leaves every thread's stack in crash.log (owner-only, bounded)."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from attentive_desktop.crash_trace import CRASH_FILE_NAME, MAX_BYTES, enable_crash_traces
from attentive_desktop.logs import log_file
from attentive_desktop.store.paths import AppPaths

from .support import API_KEY

# In a child process: pytest keeps faulthandler for itself in this one.
CRASH = """
import faulthandler, sys, threading
from pathlib import Path
from attentive_desktop.crash_trace import enable_crash_traces
enable_crash_traces(Path(sys.argv[1]))
threading.Thread(target=threading.Event().wait, name="attentive-api", daemon=True).start()
faulthandler._sigsegv()  # what a crash inside Qt looks like from here
"""


def _crash(log_dir: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", CRASH, str(log_dir)], capture_output=True, timeout=60
    )


def test_a_segfault_leaves_every_threads_stack_owner_only(tmp_path) -> None:
    log_dir = tmp_path / "logs"
    result = _crash(log_dir)
    assert result.returncode != 0  # it did crash
    path = log_dir / CRASH_FILE_NAME
    text = path.read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in text
    assert "Current thread" in text and text.count("Thread 0x") >= 1  # the other thread too
    assert "<string>" in text  # the crashing frame's location
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(log_dir.stat().st_mode) == 0o700


def test_crashes_add_up_until_the_file_is_too_big_then_it_restarts(tmp_path) -> None:
    log_dir = tmp_path / "logs"
    _crash(log_dir)
    _crash(log_dir)
    path = log_dir / CRASH_FILE_NAME
    assert path.read_text(encoding="utf-8").count("Fatal Python error") == 2
    with path.open("a", encoding="utf-8") as big:
        big.write("x" * (MAX_BYTES + 1))
    _crash(log_dir)
    assert path.read_text(encoding="utf-8").count("Fatal Python error") == 1
    assert path.stat().st_size < MAX_BYTES


def test_an_unwritable_folder_means_no_crash_traces_not_a_failed_start(tmp_path, caplog) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be", encoding="utf-8")
    stop = enable_crash_traces(blocker / "logs")
    stop()  # a no-op, callable all the same
    assert "no crash traces this session" in caplog.text


WINDOW_LOGGING = """
import logging, sys
from attentive_desktop.session_log import start_window_logging
from attentive_desktop.store.paths import AppPaths
close = start_window_logging(AppPaths.from_environment().ensure(), "INFO", lambda: [sys.argv[1]])
logging.getLogger("attentive_desktop.test").warning("the key is %s", sys.argv[1])
close()
import faulthandler
print("crash traces still on:", faulthandler.is_enabled())
"""


def test_the_window_opens_its_log_and_crash_traces_together_and_closes_both(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("ATTENTIVE_DESKTOP_HOME", str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", WINDOW_LOGGING, API_KEY],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "crash traces still on: False" in result.stdout
    log_dir = log_file(AppPaths.from_environment()).parent
    assert "the key is [redacted]" in (log_dir / "attentive-desktop.log").read_text("utf-8")
    assert (log_dir / CRASH_FILE_NAME).exists()
