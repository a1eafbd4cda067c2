"""Each API failure reaches the user as the right plain sentence: 401, 403, 404, 400, 429."""

from __future__ import annotations

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt

from attentive_desktop.app import build_window
from attentive_desktop.sandbox import SANDBOX_READONLY_KEY
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.secrets import SecretStore
from tests.window_start import wait_started


@pytest.fixture
def sandbox_window(qtbot, sandbox):
    """The window in --sandbox mode; ``key`` picks the API key the Sandbox account uses."""
    sessions = []

    def open_(key: str | None = None):
        session = build_window(
            AppPaths.from_environment(),
            SecretStore(keyring_backend=fail.Keyring()),
            sandbox_url=sandbox.base_url,
            sandbox_key=key or sandbox.api_key,
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


def lookup(qtbot, session, phone: str):
    """Look ``phone`` up with the button; returns the failure (job, message, kind)."""
    session.window.form.phone_edit.setText(phone)
    failures = []
    session.api.failed.connect(lambda *args: failures.append(args))
    qtbot.mouseClick(session.window.form.lookup_button, Qt.MouseButton.LeftButton)
    job = session.window.flow.lookup_job
    qtbot.waitUntil(lambda: any(f[0] == job for f in failures), timeout=10_000)
    return next(f for f in failures if f[0] == job)


def test_401_says_the_key_was_not_accepted(qtbot, sandbox_window):
    session = sandbox_window(key="wrong-key-123")
    _job, _message, kind = lookup(qtbot, session, "+14155550100")
    assert kind == "unauthorized"
    status = session.window.form.status_label.text()
    assert "did not accept this API key" in status
    assert "wrong-key-123" not in status
    assert session.window.statusBar().currentMessage() == status


def test_403_on_send_names_the_missing_scope(qtbot, sandbox_window):
    session = sandbox_window(key=SANDBOX_READONLY_KEY)
    window = session.window
    window.form.phone_edit.setText("+14155550100")
    window.editor.model.add_row("Favorite color", "red")
    with qtbot.waitSignal(session.api.failed, timeout=10_000) as failed:
        qtbot.mouseClick(window.editor.send_button, Qt.MouseButton.LeftButton)
    assert failed.args[2] == "access-denied"
    result = window.editor.result_label.text()
    assert result.startswith("Not sent.")
    assert "attributes:write" in result
    assert window.editor.send_button.text() == "Send"
    assert window.editor.model.row(0).state.name == "NONE"  # not marked sent


def test_404_reads_as_a_friendly_sentence(qtbot, sandbox_window):
    session = sandbox_window()
    _job, _message, kind = lookup(qtbot, session, "+14155550199")
    assert kind == "not-found"
    status = session.window.form.status_label.text()
    assert status.startswith("No Attentive user has this phone number yet (+14155550199).")
    assert "404" not in status
    assert session.window.form.status_label.property("statusKind") == "warning"


def test_array_values_are_refused_before_sending(qtbot, sandbox_window, sandbox):
    session = sandbox_window()
    window = session.window
    window.form.phone_edit.setText("+14155550100")
    model = window.editor.model
    model.add_row("Sizes", '["S", "M"]')
    assert model.has_errors()
    assert not window.editor.send_button.isEnabled()
    check = model.index(0, 4).data()
    assert "array" in check.lower() or "list" in check.lower()
    assert window.editor.check_label.text().startswith("Fix before sending:")
    posts_before = [r for r in sandbox.requests if r.method == "POST"]
    window.flow.send()  # Ctrl+Return is refused the same way
    assert "Fix the errors" in window.editor.result_label.text()
    assert [r for r in sandbox.requests if r.method == "POST"] == posts_before


def test_server_side_400_shows_what_the_server_said(qtbot, sandbox_window):
    session = sandbox_window()
    window = session.window
    # Phone and email of two different seeded users: the sandbox answers 400.
    window.form.phone_edit.setText("+14155550100")
    window.form.email_edit.setText("grace@example.com")
    window.editor.model.add_row("Favorite color", "red")
    with qtbot.waitSignal(session.api.failed, timeout=10_000) as failed:
        window.flow.send()
    assert failed.args[2] == "bad-request"
    result = window.editor.result_label.text()
    assert "rejected the request as invalid" in result
    assert "belong to different subscribers" in result


def test_429_burst_is_retried_then_explained_when_it_persists(qtbot, sandbox_window, sandbox):
    session = sandbox_window()
    window = session.window
    qtbot.waitUntil(lambda: "(" in window.editor.target_label.text())

    sandbox.burst_429(2)  # short burst: the client backs off and succeeds
    window.form.phone_edit.setText("+14155550100")
    with qtbot.waitSignal(session.api.lookedUp, timeout=15_000):
        window.flow.lookup()
    statuses = [r.status for r in sandbox.requests if r.path.endswith("/attributes/custom")]
    assert statuses[-3:] == [429, 429, 200]
    assert "9 attributes" in window.form.status_label.text()
    panel = window.profile_tools.subscriptions
    qtbot.waitUntil(lambda: not panel.loading, timeout=15_000)  # its GET is done too

    sandbox.burst_429(50)  # a burst longer than the retries: a plain sentence
    with qtbot.waitSignal(session.api.failed, timeout=30_000) as failed:
        window.flow.lookup()
    assert failed.args[2] == "rate-limited"
    assert "rate-limiting this key" in window.form.status_label.text()
    assert window.form.lookup_button.isEnabled()
