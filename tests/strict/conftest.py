"""Fixtures of the strict journeys: the strict server, a fake keychain and the window built
by the composition root (``build_window``, the only code entry point)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from attentive_desktop.app import Session, build_window
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.secrets import SecretStore
from tests.fakes import FakeKeyring
from tests.strict import ui
from tests.strict.journey import WAIT
from tests.strict.strict_api import StrictApi
from tests.window_start import wait_started


@pytest.fixture
def strict_api() -> Iterator[StrictApi]:
    with StrictApi() as api:
        yield api


@pytest.fixture
def keyring() -> FakeKeyring:
    """One keychain for the whole test, so a restart finds the key saved before it."""
    return FakeKeyring()


@pytest.fixture
def open_window(qtbot, keyring, strict_api) -> Iterator[Callable[[], Session]]:
    """The entry point: the real window built by the composition root, shown. Closed (and the
    strict server stopped, by its own fixture) afterwards."""
    sessions: list[Session] = []

    def open_() -> Session:
        session = build_window(AppPaths.from_environment(), SecretStore(keyring_backend=keyring))
        sessions.append(session)
        qtbot.addWidget(session.window)
        session.window.show()
        qtbot.waitExposed(session.window)
        wait_started(qtbot, session.window, timeout=WAIT)
        return session

    yield open_
    for window in ui.windows():  # dialogs left open by a failing test
        if window not in [s.window for s in sessions]:
            window.close()
    for session in sessions:
        session.window.close()
        session.shutdown()
