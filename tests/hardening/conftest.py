"""Hardening fixtures: the real window from the composition root, on the test's private home."""

from __future__ import annotations

import pytest

from attentive_desktop.app import build_window
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.secrets import SecretStore
from tests.fakes import FakeKeyring
from tests.window_start import wait_started


@pytest.fixture
def keyring() -> FakeKeyring:
    return FakeKeyring()


@pytest.fixture
def open_window(qtbot, keyring):
    """Builds, shows and starts the real window; everything is shut down after the test."""
    sessions = []

    def open_(**options):
        options.setdefault("first_run_dialog", False)
        session = build_window(
            AppPaths.from_environment(), SecretStore(keyring_backend=keyring), **options
        )
        sessions.append(session)
        qtbot.addWidget(session.window)
        session.window.show()
        qtbot.waitExposed(session.window)
        wait_started(qtbot, session.window)  # start-up finishes after the show
        return session

    yield open_
    for session in sessions:
        session.window.close()
        session.shutdown()
