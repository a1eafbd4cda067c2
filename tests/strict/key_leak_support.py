"""Doubles and searches for the key-leak audit (test_key_never_leaks.py).

``EchoApi`` is the strict server (strict_api.py, not changed) with one bad habit more: its
error answers echo the ``Authorization`` header it received, in whichever spelling a test asks
for (raw, JSON-escaped, percent-encoded, HTML entities, base64), and it can send the header
back in a response's status line and headers, then drop the connection before the body.

``Leaks`` gathers every place a key shows up: any text a user can see (every window, label,
field, table cell, tooltip, menu, message box, the status bar, the clipboard), every file under
the test's ATTENTIVE_DESKTOP_HOME and every file the app exported, searched in every spelling
``tests.privacy.secret_forms`` knows (raw, UTF-16, percent-encoded, JSON-escaped, base64 at
each alignment). A test collects everything, then asserts once, so a failure lists every leak.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

from tests.privacy import find_secret, secret_forms
from tests.strict import ui
from tests.strict.strict_api import RATE_LIMIT, Fault, Recorded, StrictApi

# Keys with characters that are spelled differently in URLs, JSON, HTML and base64.
KEY = "sk_live_Leak+Audit/Key=7f3a9c0d1e2b"
NEAR_MISS = KEY[:20] + "y" + KEY[21:]  # one character off ("e" → "y"): a typo of the right key
READ_KEY = "sk_live_Leak+Read/Only=2b8e5d4c3a19"

ATTRIBUTES = "/attributes/custom"
STYLES = ("escaped", "html", "text", "base64")


# the echoing server ---------------------------------------------------------------------
def _json_escaped(text: str) -> str:
    """``text`` as the inside of a JSON string that escapes "/" (as some encoders do)."""
    return json.dumps(text)[1:-1].replace("/", "\\/")


def _unicode_escaped(text: str) -> str:
    """Every character of ``text`` as a JSON \\uXXXX escape."""
    return "".join(f"\\u{ord(c):04x}" for c in text)


def _entities(text: str) -> str:
    """``text`` with every non-alphanumeric character as an HTML numeric entity."""
    return "".join(c if c.isalnum() else f"&#{ord(c)};" for c in text)


def echo_body(style: str, header: str, message: str) -> tuple[bytes, str]:
    """An error body that repeats the Authorization ``header`` the server received, and its
    content type. ``escaped``: JSON with the header raw in "message" and JSON-escaped,
    \\u-escaped and percent-encoded further down; ``html``: an error page with the header raw
    and as entities; ``text``: plain text; ``base64``: JSON with the key and the header line
    base64-encoded (as a proxy's debug dump or a Basic-auth echo would)."""
    key = header.removeprefix("Bearer ")
    if style == "escaped":
        text = (
            f'{{"message": "{_json_escaped(message)} (you sent Authorization: '
            f'{_json_escaped(header)})", "request": {{"headers": {{"Authorization": '
            f'"{_json_escaped(header)}"}}, "token": "{_unicode_escaped(key)}", '
            f'"url": "/v1/attributes/custom?token={quote(key, safe="")}"}}}}'
        )
        json.loads(text)  # valid JSON, whatever it holds
        return text.encode(), "application/json"
    if style == "html":
        page = (
            f"<html><head><title>Error</title></head><body><h1>{message}</h1>"
            f"<p>Authorization: {header}</p><p>Token: {_entities(key)}</p></body></html>"
        )
        return page.encode(), "text/html; charset=utf-8"
    if style == "text":
        return f"{message}. Authorization: {header}".encode(), "text/plain"
    if style == "base64":
        token = base64.b64encode(key.encode()).decode()
        line = base64.b64encode(f"Authorization: {header}".encode()).decode()
        body = {"message": f"{message} (token {token})", "request": line}
        return json.dumps(body).encode(), "application/json"
    raise ValueError(f"unknown echo style {style!r}")


@dataclass(frozen=True)
class HeaderEchoThenDrop(Fault):
    """Answer 500 with the Authorization header in the status line and in two headers, promise
    a body, send part of it and close the connection."""


class EchoApi(StrictApi):
    """The strict API (same keys, users and rules) whose error answers repeat the key.

    ``echo_style``: every error answer (401 for a wrong key, 403 for the read-only key, 404,
    400...) carries the header in that spelling; None: the strict server's own bodies.
    ``echo_next(method, path, count, status)``: the next ``count`` such requests get
    ``status`` with an echoing body (in ``style``, else ``echo_style``, else "escaped").
    ``echo_then_drop_next(method, path, count)``: see HeaderEchoThenDrop.
    ``echo_in_lookups``: a successful lookup's answer lists the header as one more attribute
    (``authorization``), as a debugging proxy or a mock that echoes requests would.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.echo_style: str | None = None
        self.echo_in_lookups = False
        self._echoes: dict[tuple[str, str], deque[tuple[int, str | None]]] = {}

    def start(self) -> EchoApi:
        super().start()
        assert self._server is not None
        self._server.RequestHandlerClass = _echoing(self._server.RequestHandlerClass)
        return self

    def echo_next(
        self, method: str, path: str, count: int, status: int, style: str | None = None
    ) -> None:
        with self.lock:
            queue = self._echoes.setdefault((method, "/v1" + path), deque())
            queue.extend([(status, style)] * count)

    def clear_echoes(self) -> None:
        """No more scripted echoing answers (``echo_style`` stays)."""
        with self.lock:
            self._echoes.clear()
        self.clear_faults()

    def echo_then_drop_next(self, method: str, path: str, count: int) -> None:
        self._script(method, path, [HeaderEchoThenDrop(None)] * count)

    def handle(self, record: Recorded, auth: list[str]) -> tuple[int, bytes, str | None, int]:
        header = auth[0] if auth else ""
        with self.lock:
            queue = self._echoes.get((record.method, record.path))
            scripted = queue.popleft() if queue else None
            style = self.echo_style
        if scripted is not None:
            status, own = scripted
            body, content_type = echo_body(own or style or "escaped", header, "Refused")
            return status, body, content_type, RATE_LIMIT - 1
        status, body, content_type, remaining = super().handle(record, auth)
        lookup = record.method == "GET" and record.path == "/v1" + ATTRIBUTES
        if status == 200 and lookup and self.echo_in_lookups:
            listed = [*json.loads(body), {"name": "authorization", "value": header}]
            body = json.dumps(listed).encode()
        if status >= 400 and style is not None:
            message = json.loads(body)["message"]
            body, content_type = echo_body(style, header, message)
        return status, body, content_type, remaining


def _echoing(base: type) -> type:
    class EchoHandler(base):  # type: ignore[misc, valid-type]
        def _answer_fault(self, record: Recorded, fault: Fault) -> None:
            if not isinstance(fault, HeaderEchoThenDrop):
                super()._answer_fault(record, fault)
                return
            header = record.header("Authorization") or ""
            key = header.removeprefix("Bearer ")
            record.status = 500
            self.send_response(500, f"Refused {header}")
            self.send_header("Content-Type", "application/json")
            self.send_header("WWW-Authenticate", f'Bearer error="invalid_token", token="{key}"')
            self.send_header("X-Echo-Authorization", header)
            self.send_header("Content-Length", "4096")
            self.end_headers()
            self.wfile.write(f'{{"message": "Refused {_json_escaped(header)}'.encode())
            self.wfile.flush()
            self._drop(record)

    return EchoHandler


# what a user can see ---------------------------------------------------------------------
_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.StatusTipRole,
    Qt.ItemDataRole.WhatsThisRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.AccessibleDescriptionRole,
)
MAX_MODEL_ROWS = 5_000


def _model_texts(model: QAbstractItemModel) -> Iterator[tuple[str, str]]:
    # A list model's columnCount is private in PySide: it has one column.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
    rows = model.rowCount(QModelIndex())
    for orientation, count in ((Qt.Orientation.Horizontal, columns),
                               (Qt.Orientation.Vertical, min(rows, 50))):  # fmt: skip
        for section in range(count):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.headerData(section, orientation, role)
                if value:
                    yield f"header {section}", str(value)
    for row in range(min(rows, MAX_MODEL_ROWS)):
        for column in range(columns):
            index = model.index(row, column)
            for role in _ROLES:
                value = index.data(role)
                if value:
                    yield f"cell ({row}, {column}) role {int(role)}", str(value)


def _own_texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    """Every text ``widget`` shows or announces (never a password field's hidden text)."""
    for name in ("windowTitle", "toolTip", "statusTip", "whatsThis", "accessibleName",
                 "accessibleDescription"):  # fmt: skip
        value = getattr(widget, name)()
        if value:
            yield name, value
    if isinstance(widget, QLabel):
        yield "label", widget.text()
    if isinstance(widget, QAbstractButton):
        yield "button", widget.text()
    if isinstance(widget, QLineEdit):
        yield "field", widget.displayText()  # bullets in a password field: what shows
        yield "placeholder", widget.placeholderText()
    if isinstance(widget, QAbstractSpinBox):
        yield "spin box", widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        yield "text", widget.toPlainText()
        yield "placeholder", widget.placeholderText()
    if isinstance(widget, QComboBox):
        for i in range(widget.count()):
            yield f"item {i}", widget.itemText(i)
            yield f"item {i} tooltip", str(widget.itemData(i, Qt.ItemDataRole.ToolTipRole) or "")
    if isinstance(widget, QMessageBox):
        yield "message", widget.text()
        yield "informative", widget.informativeText()
        yield "details", widget.detailedText()
    if isinstance(widget, QGroupBox):
        yield "group", widget.title()
    if isinstance(widget, QTabBar):
        for i in range(widget.count()):
            yield f"tab {i}", widget.tabText(i)
    if isinstance(widget, QProgressBar):
        yield "progress", widget.text()
    if isinstance(widget, QMainWindow):
        yield "status bar", widget.statusBar().currentMessage()
    # A header view shows its table's model: searched with the table.
    viewed = isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView)
    if viewed and widget.model() is not None:
        yield from _model_texts(widget.model())
    for action in widget.actions():
        yield (
            f"action {action.text()!r}",
            f"{action.text()} {action.toolTip()} {action.statusTip()}",
        )


def _action_text(action: QAction) -> str:
    return f"{action.text()} {action.toolTip()} {action.statusTip()}"


def screen_texts() -> Iterator[tuple[str, str]]:
    """(where, text) for every text of every window on screen, its widgets (shown or not),
    its actions and menus, and the clipboard."""
    for window in ui.windows():
        title = window.windowTitle() or type(window).__name__
        for widget in [window, *window.findChildren(QWidget)]:
            for where, text in _own_texts(widget):
                if text:
                    yield (
                        f"{title} › {type(widget).__name__} {widget.accessibleName()!r} {where}",
                        text,
                    )
        for action in window.findChildren(QAction):
            text = f"{action.text()} {action.toolTip()} {action.statusTip()}"
            yield f"{title} › action {action.text()!r}", text
    yield "clipboard", clipboard_text()


def clipboard_text() -> str:
    """Everything on the clipboard, in every format it offers."""
    data = QGuiApplication.clipboard().mimeData()
    if data is None:
        return ""
    parts = [data.text(), data.html()]
    for fmt in data.formats():
        with contextlib.suppress(Exception):
            parts.append(bytes(data.data(fmt)).decode("utf-8", "replace"))
    return "\n".join(p for p in parts if p)


# the search ------------------------------------------------------------------------------
def spellings(text: str, secret: str) -> list[str]:
    """The spellings of ``secret`` (tests.privacy.secret_forms) found in ``text``."""
    data = text.encode("utf-8", "surrogatepass")
    return [name for name, form in secret_forms(secret).items() if form in data]


def _around(text: str, secret: str) -> str:
    at = text.find(secret)
    if at < 0:
        return text[:120]
    return text[max(0, at - 60) : at + len(secret) + 20]


class Leaks:
    """Where the ``keys`` (name → key) showed up; ``assert_none()`` fails with every place."""

    def __init__(self, **keys: str) -> None:
        self.keys = keys
        self.found: list[str] = []
        self.looked = 0  # texts and files searched, so a test shows it looked at something

    def text(self, where: str, text: str) -> None:
        self.looked += 1
        for name, key in self.keys.items():
            forms = spellings(text, key)
            if forms:
                self.found.append(f"{where}: {name} ({', '.join(forms)}) in {_around(text, key)!r}")

    def screen(self, step: str) -> None:
        """Search every text on screen (and the clipboard) now."""
        for where, text in screen_texts():
            self.text(f"[{step}] {where}", text)

    def files(self, *paths: Path | str) -> None:
        """Search every file under ``paths`` (raw bytes: SQLite, its -wal, logs, exports)."""
        for path in paths:
            path = Path(path)
            self.looked += sum(1 for p in path.rglob("*") if p.is_file()) if path.is_dir() else 1
        for name, key in self.keys.items():
            self.found += [f"file {hit} holds {name}" for hit in find_secret(paths, key)]

    def output(self, where: str, data: bytes) -> None:
        """Search a process's captured output (bytes, any encoding)."""
        self.looked += 1
        for name, key in self.keys.items():
            forms = [n for n, form in secret_forms(key).items() if form in data]
            if forms:
                self.found.append(f"{where}: {name} ({', '.join(forms)})")

    def assert_none(self) -> None:
        """Fail with every place a key was found: one line per kind of place (the same cell
        in every row, the same label at every step: counted once, with how many there were)."""
        kinds: dict[str, list[str]] = {}
        for found in dict.fromkeys(self.found):
            kind = re.sub(r"^\[[^\]]*\] ", "", found.split(" in '")[0].split(' in "')[0])
            kind = re.sub(r"\(\d+, (\d+)\)|row \d+|pytest-\d+/[^/]+", r"#\1", kind)
            kinds.setdefault(kind, []).append(found)
        lines = [f"{f[0]}" + (f"  (and {len(f) - 1} more like it)" if len(f) > 1 else "")
                 for f in kinds.values()]  # fmt: skip
        assert not lines, f"the key leaked in {len(lines)} kinds of place:\n" + "\n".join(lines)


# the log ---------------------------------------------------------------------------------
@contextlib.contextmanager
def debug_log() -> Iterator[tuple[Any, Any]]:
    """The window's log as run_gui opens it, at DEBUG (httpx and httpcore included): yields
    the SessionSecrets (add the session's ``api.known_keys`` as run_gui does) and the
    LoggingSetup; closed (everything written) at the end of the block."""
    from attentive_desktop.session_log import SessionSecrets, start_logging
    from attentive_desktop.store.paths import AppPaths

    secrets = SessionSecrets()
    setup = start_logging(AppPaths.from_environment(), "DEBUG", secrets, background=True)
    assert setup is not None, "the log could not be opened"
    try:
        yield secrets, setup
    finally:
        setup.close()


# processes -------------------------------------------------------------------------------
def child_processes() -> list[tuple[int, bytes, bytes]]:
    """(pid, command line, environment) of this process's children, as any local user's
    ``ps`` (command line) or the owner (environment) can read them from /proc."""
    me = os.getpid()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            parent = re.search(r"^PPid:\s+(\d+)", status, re.MULTILINE)
            if parent is None or int(parent.group(1)) != me:
                continue
            found.append(
                (
                    int(entry.name),
                    (entry / "cmdline").read_bytes(),
                    (entry / "environ").read_bytes(),
                )
            )
        except OSError:  # it ended meanwhile
            continue
    return found
