"""`python -m attentive_desktop.gui.screenshots OUT_DIR`: PNGs of the main screens.

Drives the real window against an embedded sandbox, offscreen, waiting on signals (never on
sleeps), and writes main-window.png (after a lookup, with pending edits and a warning),
account-dialog.png (a key just checked), history.png (a selected request with its bodies) and
bulk-dialog.png (the Bulk dialog after a run of a CSV with two planted bad rows), plus
diff-preview.png (the review before a send) and history-masked.png (Mask personal data on).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication, QWidget

TIMEOUT_MS = 15_000


class _MemoryKeyring:
    """A keychain stand-in so the screenshots show the normal (keychain present) window."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._keys.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._keys[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._keys.pop((service, username), None)


def wait_for(signal: SignalInstance, what: str, timeout_ms: int = TIMEOUT_MS) -> tuple:
    """Run the event loop until ``signal`` fires; returns its arguments."""
    loop = QEventLoop()
    received: list[tuple] = []

    def got(*args: object) -> None:
        received.append(args)
        loop.quit()

    signal.connect(got)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(got)
    if not received:
        raise RuntimeError(f"timed out waiting for {what}")
    return received[0]


def wait_until(condition: Callable[[], bool], what: str, timeout_ms: int = TIMEOUT_MS) -> None:
    """Run the event loop until ``condition()`` holds (checked on every loop pass)."""
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(10)

    def check() -> None:
        if condition():
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    QTimer.singleShot(timeout_ms, loop.quit)
    if not condition():
        loop.exec()
    timer.stop()
    if not condition():
        raise RuntimeError(f"timed out waiting for {what}")


def settle() -> None:
    """Let pending events (layouts, paints, queued signals) run."""
    for _ in range(3):
        QApplication.processEvents()
        QApplication.sendPostedEvents()


def _save(widget: QWidget, path: Path) -> None:
    settle()
    if not widget.grab().save(str(path)):
        raise RuntimeError(f"could not write {path}")
    print(f"wrote {path}")


def take_screenshots(out_dir: Path) -> list[Path]:
    """Write the PNGs into ``out_dir``; returns their paths."""
    from attentive_desktop.app import build_window
    from attentive_desktop.gui.qt_app import make_application
    from attentive_desktop.sandbox import running_sandbox
    from attentive_desktop.store.paths import AppPaths
    from attentive_desktop.store.secrets import SecretStore

    out_dir.mkdir(parents=True, exist_ok=True)
    make_application()
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="attentive-shots-") as home, running_sandbox() as sb:
        paths = AppPaths(Path(home) / "data", Path(home) / "config")
        secrets = SecretStore(keyring_backend=_MemoryKeyring())
        session = build_window(
            paths, secrets, sandbox_url=sb.base_url, sandbox_key=sb.api_key, first_run_dialog=False
        )
        window = session.window
        try:
            window.resize(1280, 800)
            window.show()
            wait_until(lambda: window.is_ready, "start-up")
            wait_until(lambda: "(" in window.editor.target_label.text(), "the account check")

            # 1. The account dialog, just after a key was checked with GET /me.
            dialog = window.open_account_dialog()
            dialog.name_edit.setText("Northwind test")
            dialog.key_edit.setText(sb.api_key)
            dialog.advanced.setChecked(True)
            dialog.base_url_edit.setText(sb.base_url)
            dialog.save_button.click()
            wait_for(dialog.accountSaved, "the key check")
            written.append(out_dir / "account-dialog.png")
            _save(dialog, written[-1])
            dialog.done_button.click()
            window.switcher.setCurrentIndex(window.switcher.findData("Sandbox"))
            window.use_account("Sandbox")
            wait_until(lambda: window.flow.switching_to is None, "the switch back")

            # 2. A send, so the history has a POST with both bodies; its preview first.
            from attentive_desktop.gui.diff_dialog import DiffDialog

            window.form.phone_edit.setText("(415) 555-0100")
            model = window.editor.model
            if window.flow.lookup() is None:
                raise RuntimeError("the lookup did not start")
            wait_until(lambda: not window.flow.busy, "the lookup")
            model.add_row("Loyalty tier", "Platinum")
            model.add_row("Favorite color", "blue")
            model.add_row("Referral code", "SPRING24")
            window.flow.send()
            wait_until(lambda: window.findChild(DiffDialog) is not None, "the send preview")
            preview = window.findChild(DiffDialog)
            wait_until(preview.isVisible, "the send preview")
            written.append(out_dir / "diff-preview.png")
            _save(preview, written[-1])
            preview.send_button.click()
            wait_until(lambda: not window.editor.sending, "the send and its check")
            subscriptions = window.profile_tools.subscriptions
            wait_until(lambda: not subscriptions.loading, "the subscriptions")
            history = window.history
            wait_until(
                lambda: any(
                    history.proxy.index(r, 1).data() == "POST"
                    for r in range(history.proxy.rowCount())
                ),
                "the POST in the history",
            )
            post_row = next(
                row
                for row in range(history.proxy.rowCount())
                if history.proxy.index(row, 1).data() == "POST"
            )
            history.table.selectRow(post_row)
            window.resizeDocks([history], [400], Qt.Orientation.Vertical)
            written.append(out_dir / "history.png")
            _save(window, written[-1])
            privacy = window.profile_tools.privacy
            privacy.set_masked(True)
            history.table.selectRow(post_row)
            written.append(out_dir / "history-masked.png")
            _save(window, written[-1])
            privacy.set_masked(False)

            # 3. The main window after a lookup, with pending edits and a warning.
            model.clear()
            window.form.phone_edit.setText("")
            window.form.email_edit.setText("ada@example.com")
            window.flow.lookup()
            wait_until(lambda: not window.flow.busy, "the lookup")
            model.add_row("Favorite color", "teal")
            model.add_row("age", "thirty-six")
            model.add_row("Shirt size", "L")
            model.add_row("VIP", "TRUE")
            history.table.clearSelection()
            window.resizeDocks([history], [260], Qt.Orientation.Vertical)
            window.form.setFocus(Qt.FocusReason.OtherFocusReason)
            written.append(out_dir / "main-window.png")
            _save(window, written[-1])

            # 4. The Bulk dialog after a run, its results table filled.
            written.append(out_dir / "bulk-dialog.png")
            _bulk_screenshot(window, Path(home) / "vip-customers.csv", written[-1])
        finally:
            window.close()
            session.shutdown()
            settle()
    return written


def _bulk_screenshot(window: QWidget, csv_path: Path, out: Path) -> None:
    rows = [f"+1415555{2000 + i:04d},,true,{i * 10},2024-05-{1 + i % 28:02d}" for i in range(60)]
    rows[6] = "415-555-01,,true,60,2024-05-07"  # a planted bad phone: skipped as invalid
    rows[17] = ",grace@example,true,170,2024-05-18"  # and a bad email
    csv_path.write_text(
        "phone,email,VIP,Loyalty points,Joined\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    dialog = window.bulk.open()  # type: ignore[attr-defined]
    dialog.resize(1000, 640)
    dialog.open_file(csv_path)
    wait_until(lambda: dialog.preview is not None, "the bulk preview")
    dialog.start()
    wait_until(lambda: dialog.summary is not None, "the bulk run")
    dialog.results_model.flush()
    dialog.results_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    try:
        _save(dialog, out)
    finally:
        dialog.close()


def main(argv: list[str] | None = None) -> int:
    """Entry point: the output folder is the only argument (default docs/screenshots)."""
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out_dir = Path(args[0] if args else "docs/screenshots")
    take_screenshots(out_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
