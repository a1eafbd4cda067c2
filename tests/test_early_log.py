"""EarlyLogBuffer: records made before the log file opens reach it, in order, once it does."""

from __future__ import annotations

import logging

import pytest

from attentive_desktop.early_log import EarlyLogBuffer


class ListHandler(logging.Handler):
    def __init__(self, level: int = logging.NOTSET) -> None:
        super().__init__(level)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(f"{record.levelname} {record.getMessage()}")


@pytest.fixture
def clean_root():
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    root.handlers = []
    yield root
    root.setLevel(saved[0])
    root.handlers = saved[1]


def test_kept_records_reach_the_handlers_set_up_later_in_order(clean_root) -> None:
    log = logging.getLogger("attentive_desktop.early")
    buffer = EarlyLogBuffer("INFO")
    log.debug("below the level")
    log.info("first %s", "line")
    log.warning("second")
    buffer.detach()
    handler = ListHandler(logging.INFO)
    clean_root.handlers = [handler]  # only the "log file" (pytest adds capture handlers)
    log.info("the log is open")
    buffer.replay()
    buffer.replay()  # once only
    assert handler.seen == ["INFO the log is open", "INFO first line", "WARNING second"]
    assert buffer not in clean_root.handlers


def test_without_a_log_file_warnings_go_to_stderr_and_the_level_is_restored(
    clean_root, capsys
) -> None:
    clean_root.setLevel(logging.WARNING)
    log = logging.getLogger("attentive_desktop.early")
    buffer = EarlyLogBuffer("DEBUG")
    assert clean_root.level == logging.DEBUG
    log.info("only for the file")
    log.error("the disk is full")
    buffer.detach()
    clean_root.handlers = []  # pytest's own capture handlers join during the test call
    buffer.replay()
    assert "the disk is full" in capsys.readouterr().err
    assert clean_root.level == logging.WARNING
