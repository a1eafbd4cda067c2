"""Run by test_crash_recovery in a subprocess: the real window against a sandbox URL, an edit
typed, Send pressed; prints "sending" and then waits to be killed (SIGKILL) mid-request."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from attentive_desktop.app import build_window
from attentive_desktop.sandbox.seed import SANDBOX_API_KEY
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.secrets import SecretStore

PHONE = "+14155550100"
ROWS = (("Crash test colour", "teal"), ("Crash test note", "typed, then the app died"))


def main() -> int:
    app = QApplication([])
    session = build_window(
        AppPaths.from_environment(),
        SecretStore(),
        sandbox_url=sys.argv[1],
        sandbox_key=SANDBOX_API_KEY,
        first_run_dialog=False,
    )
    window = session.window

    def type_and_send() -> None:
        window.form.phone_edit.setText(PHONE)
        for name, value in ROWS:
            window.editor.model.add_row(name, value)
        window.flow.send()
        print("sending", flush=True)

    # Once the sandbox account is in use (its learned types are read off the GUI thread).
    window.accountChanged.connect(lambda _name: QTimer.singleShot(0, type_and_send))
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
