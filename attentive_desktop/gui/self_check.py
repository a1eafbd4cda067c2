"""--self-test, --smoke-lookup and --exit-when-shown: checks a packaged app can run."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from attentive_desktop import APP_NAME, __version__

SMOKE_TIMEOUT_MS = 30_000


class _ExposeWatcher(QObject):
    """Calls ``callback`` once, the first time the window is exposed (really on screen)."""

    def __init__(self, window: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(window)
        self._callback: Callable[[], None] | None = callback
        window.winId()  # creates the native window so its handle can be watched
        handle = window.windowHandle()
        handle.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Expose
            and self._callback is not None
            and watched.isExposed()  # type: ignore[attr-defined]
        ):
            callback, self._callback = self._callback, None
            callback()
        return False


def on_first_expose(window: QWidget, callback: Callable[[], None]) -> QObject:
    """Run ``callback`` when ``window`` is first exposed; keep the returned object alive."""
    return _ExposeWatcher(window, callback)


def quit_when_shown(app: QApplication, window: Any, idle_ms: int = 500) -> QObject:
    """For bench/startup.py: print "window shown" once the window is exposed and "window
    ready" once start-up has finished (the sandbox account in use, or start() done without
    a sandbox); idle ``idle_ms`` and quit."""
    from attentive_desktop.gui.main_window import SANDBOX_ACCOUNT

    done = False

    def ready(name: str | None = None) -> None:
        nonlocal done
        sandbox = window.banner is not None
        if done or (sandbox and name != SANDBOX_ACCOUNT):
            return
        done = True
        print("window ready", flush=True)
        QTimer.singleShot(idle_ms, app.quit)

    window.accountChanged.connect(ready)
    window.started.connect(lambda: ready(window.account_name))
    return on_first_expose(window, lambda: print("window shown", flush=True))


class SmokeLookup(QObject):
    """Types one phone or email into the window, presses Look up and reports the outcome:
    "lookup ok: N attributes" on stdout and exit code 0, or the error on stderr and 1."""

    def __init__(self, app: QApplication, session: Any, text: str) -> None:
        super().__init__(app)
        self._app = app
        self._session = session
        self._text = text
        self._job: int | None = None
        self.exit_code = 1
        session.api.lookedUp.connect(self._looked_up)
        session.api.failed.connect(self._failed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self._finish("lookup failed: no answer in 30 s", 1))
        self._timer.start(SMOKE_TIMEOUT_MS)
        session.window.accountChanged.connect(self._account_changed)

    def _account_changed(self, name: str) -> None:
        from attentive_desktop.gui.main_window import SANDBOX_ACCOUNT

        if name == SANDBOX_ACCOUNT and self._job is None:
            self.start()

    def start(self) -> None:
        """Fill the form and look up (runs once the sandbox account is in use)."""
        form = self._session.window.form
        edit = form.email_edit if "@" in self._text else form.phone_edit
        edit.setText(self._text)
        self._job = self._session.window.flow.lookup()
        if self._job is None:
            self._finish(f"lookup failed: {form.status_label.text() or 'invalid input'}", 1)

    def _looked_up(self, job: int, attributes: list) -> None:
        if job == self._job:
            self._finish(f"lookup ok: {len(attributes)} attributes", 0)

    def _failed(self, job: int, message: str, kind: str) -> None:
        if job == self._job:
            shown = self._session.window.form.status_label.text()  # what the user would read
            self._finish(f"lookup failed ({kind}): {shown or message}", 1)

    def _finish(self, line: str, code: int) -> None:
        self._timer.stop()
        self.exit_code = code
        print(line, file=sys.stdout if code == 0 else sys.stderr, flush=True)
        self._app.quit()


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise RuntimeError(what)


def run_self_test() -> int:
    """Build the whole window offscreen against a throw-away data folder and check that the
    parts a frozen build tends to lose are there. Prints the version; 0 when all is well."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        with tempfile.TemporaryDirectory(prefix="attentive-self-test-") as home:
            _self_test(Path(home))
    except Exception as exc:
        print(f"{APP_NAME} {__version__}")
        print(f"self-test failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"{APP_NAME} {__version__}")
    print("self-test ok")
    return 0


def _self_test(home: Path) -> None:
    import keyring
    from keyring.backends import fail

    from attentive_desktop.api.client import AttentiveClient
    from attentive_desktop.app import build_window
    from attentive_desktop.core.identifiers import normalize_phone
    from attentive_desktop.gui.account_dialog import AccountDialog
    from attentive_desktop.gui.qt_app import app_icon, make_application
    from attentive_desktop.store.paths import AppPaths
    from attentive_desktop.store.secrets import SecretStore

    app = make_application()
    _check(normalize_phone("(415) 555-0100") == "+14155550100", "phone number metadata")
    _check(callable(AttentiveClient), "HTTP client")
    keyring.get_keyring()  # the keyring backends load (their import is what freezing breaks)
    # Rendering a pixmap proves the file is there and its image plugin (SVG) loads.
    _check(not app_icon().pixmap(64).isNull(), "the application icon does not load")
    paths = AppPaths(home / "data", home / "config")
    session = build_window(
        paths, SecretStore(keyring_backend=fail.Keyring()), first_run_dialog=False
    )
    window = session.window
    try:
        window.show()
        app.processEvents()
        _check(window.isVisible(), "the main window did not show")
        for name in ("phoneEdit", "propertyTable", "sendButton", "historyTable"):
            _check(window.findChild(QWidget, name) is not None, f"widget {name} missing")
        dialog = AccountDialog(session.api, session.book, window.keychain, parent=window)
        _check(dialog.findChild(QWidget, "apiKeyEdit") is not None, "account dialog")
        dialog.deleteLater()
        _check(not window.grab().isNull(), "the window does not render")
    finally:
        window.close()
        session.shutdown()
        app.processEvents()
