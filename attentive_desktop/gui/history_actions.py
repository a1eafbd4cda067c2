"""What the history pane's row actions do: replay, copy as curl, export, revert, columns.

Replay only fills the lookup form and the editor from a stored request: it never sends.
Copy as curl leaves the key to the shell ($ATTENTIVE_API_KEY). Export writes the rows the
filter shows, on the history thread.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu

ATTRIBUTES_ENDPOINT = "/attributes/custom"


@dataclass
class ReplayPlan:
    """The identifiers and properties a stored request carried (None: not replayable)."""

    phone: str = ""
    email: str = ""
    client_user_id: str = ""
    custom: list[tuple[str, str]] = field(default_factory=list)
    properties: dict[str, str] | None = None


def replay_plan(record: Any) -> ReplayPlan | None:
    """Read a history record back into form fields and editor rows (None if nothing to load)."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(record.url or "").query).items() if v}
    try:
        body = json.loads(record.request_body) if record.request_body else {}
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    user = body.get("user") if isinstance(body.get("user"), dict) else body
    external = user.get("externalIdentifiers") if isinstance(user, dict) else None
    external = external if isinstance(external, dict) else user
    plan = ReplayPlan(
        phone=str(user.get("phone") or query.get("phone") or ""),
        email=str(user.get("email") or query.get("email") or ""),
        client_user_id=str(external.get("clientUserId") or ""),
    )
    for item in external.get("customIdentifiers") or []:
        if isinstance(item, dict) and "name" in item and "value" in item:
            plan.custom.append((str(item["name"]), str(item["value"])))
    properties = body.get("properties")
    if record.endpoint == ATTRIBUTES_ENDPOINT and isinstance(properties, dict):
        plan.properties = {str(k): str(v) for k, v in properties.items()}
    if not (plan.phone or plan.email or plan.client_user_id or plan.custom or plan.properties):
        return None
    return plan


class HistoryActions(QObject):
    """Replay, copy as curl, export and revert for the history pane's selected row.

    Signals: message(str text, str kind); exported(str path, int count).
    """

    message = Signal(str, str)
    exported = Signal(str, int)

    def __init__(
        self,
        pane: Any,
        form: Any,
        model: Any,
        tasks: Any,
        revert: Callable[[Any], None],
        parent: QObject | None = None,
        *,
        account: Callable[[], str | None] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self._account = account
        self._pane = pane
        self._form = form
        self._model = model
        self._tasks = tasks
        self._revert = revert
        tools = pane.tools
        tools.replayRequested.connect(lambda: self.replay(pane.selected_record()))
        tools.copyCurlRequested.connect(lambda: self.copy_curl(pane.selected_record()))
        tools.revertRequested.connect(lambda: self._revert(pane.selected_record()))
        tools.exportRequested.connect(self.ask_export)
        table = pane.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._row_menu)
        header = table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)

    # replay ---------------------------------------------------------------------------------
    def replay(self, record: Any) -> bool:
        """Fill the lookup form (and the editor, for a send) from `record`. Never sends.

        Edits in the editor that the send's attributes would replace are kept unless the user
        agrees to replace them. True once loaded; False if there was nothing to load or the
        question is open.
        """
        plan = replay_plan(record) if record is not None else None
        if plan is None:
            self.message.emit("This request has no user or attributes to load.", "warning")
            return False
        edits = self._model.properties()
        count = f"{len(edits)} unsent {'edit' if len(edits) == 1 else 'edits'}"
        question = ""
        if plan.properties is not None and edits and edits != plan.properties:
            title, yes = "Replace your edits?", "Replace"
            question = f"Loading this send replaces the {count} in the editor."
        elif plan.properties is None and edits and (target := self._other_user(plan)):
            title, yes = "Send your edits to another user?", "Load"
            question = (
                f"Loading this request puts {target[1]} in the form: your {count} would then "
                f"go to {target[1]}, not to {target[0]}."
            )
        if question:
            from attentive_desktop.gui.dialogs import confirm

            confirm(
                self._pane.window(),
                object_name="replayConfirm",
                title=title,
                text=question,
                yes_text=yes,
                on_yes=lambda: self._load(plan, record),
            )
            return False
        self._load(plan, record)
        return True

    def _other_user(self, plan: ReplayPlan) -> tuple[str, str] | None:
        """(the form's user, the plan's) when the form names a user and the plan another."""
        from attentive_desktop.core.identifiers import InvalidIdentifier, UserRef

        form = self._form
        typed = (form.phone_edit.text(), form.email_edit.text(), form.client_id_edit.text())
        if not any(t.strip() for t in typed) and not form.custom_identifier_rows():
            return None  # edits typed before naming anyone: loading the user names them
        them = UserRef(plan.phone or None, plan.email or None, plan.client_user_id or None)
        try:
            now = form.user_ref()
        except InvalidIdentifier:
            return "the user typed in the form", them.describe()
        ids = (now.phone or "", now.email or "", now.client_user_id or "")
        custom = [(c.name, c.value) for c in now.custom_identifiers]
        if ids == (plan.phone, plan.email, plan.client_user_id) and custom == plan.custom:
            return None
        return now.describe(), them.describe()

    def _load(self, plan: ReplayPlan, record: Any) -> None:
        form = self._form
        form.phone_edit.setText(plan.phone)
        form.email_edit.setText(plan.email)
        form.client_id_edit.setText(plan.client_user_id)
        for row in form.custom_identifier_rows():
            form.remove_custom_identifier(row)
        for name, value in plan.custom:
            form.add_custom_identifier(name, value)
        if plan.properties is not None:
            self._model.clear()
            for name, value in plan.properties.items():
                self._model.add_row(name, value)
        what = "the user and its attributes" if plan.properties is not None else "the user"
        recorded, current = getattr(record, "account", ""), self._account()
        if recorded and current and recorded != current:  # the same user may differ there
            self.message.emit(
                f"Loaded {what} from a request made with “{recorded}”; you are writing to "
                f"“{current}”. Nothing was sent: look up or send when ready.",
                "warning",
            )
            return
        self.message.emit(
            f"Loaded {what} from the history. Nothing was sent: look up or send when ready.",
            "info",
        )

    # copy as curl ---------------------------------------------------------------------------
    def copy_curl(self, record: Any) -> str:
        """Put a curl command for `record` on the clipboard; returns it ("" if no row)."""
        if record is None:
            return ""
        from attentive_desktop.core.curl import record_as_curl

        command = record_as_curl(record)
        QGuiApplication.clipboard().setText(command)
        self.message.emit(
            "Copied as curl. Set ATTENTIVE_API_KEY in your shell before running it.", "ok"
        )
        return command

    # export ---------------------------------------------------------------------------------
    def ask_export(self) -> None:
        """Ask where to save, then export the filtered rows."""
        path, chosen = QFileDialog.getSaveFileName(
            self._pane,
            "Export history",
            "attentive-history.csv",
            "CSV (*.csv);;JSON (*.json)",
        )
        if path:
            if not Path(path).suffix:
                path += ".json" if "JSON" in chosen else ".csv"
            self.export_to(path)

    def export_to(self, path: str) -> int:
        """Write the rows matching the pane's filter to `path` (.csv or .json), off the GUI
        thread. → exported(path, count) or a message."""
        from attentive_desktop.store.history_export import export_history
        from attentive_desktop.store.history_search import HistoryFilter

        flt = self._pane.model.history_filter() or HistoryFilter.make(
            self._pane.model.filter_text()
        )
        target = str(path)

        def done(count: int) -> None:
            noun = "request" if count == 1 else "requests"
            self.message.emit(f"Exported {count} {noun} to {target}.", "ok")
            self.exported.emit(target, count)

        def failed(text: str, _kind: str) -> None:
            self.message.emit(f"Could not export the history: {text}", "error")

        return self._tasks.disk(
            lambda store: export_history(store.iter_search(flt), target), done, failed
        )

    # menus ----------------------------------------------------------------------------------
    def _row_menu(self, point: QPoint) -> None:
        table = self._pane.table
        index = table.indexAt(point)
        if not index.isValid():
            return
        table.selectRow(index.row())
        record = self._pane.selected_record()
        menu = QMenu(table)
        menu.setObjectName("historyRowMenu")
        replay = menu.addAction("Replay (load into the form)")
        replay.triggered.connect(lambda: self.replay(record))
        curl = menu.addAction("Copy as curl")
        curl.triggered.connect(lambda: self.copy_curl(record))
        revert = menu.addAction("Revert this send…")
        revert.setEnabled(is_attribute_send(record))
        revert.triggered.connect(lambda: self._revert(record))
        menu.popup(table.viewport().mapToGlobal(point))

    def _column_menu(self, point: QPoint) -> None:
        table = self._pane.table
        model = self._pane.model
        menu = QMenu(table)
        menu.setObjectName("historyColumnMenu")
        for column in range(model.columnCount()):
            title = model.headerData(column, Qt.Orientation.Horizontal)
            action = QAction(str(title), menu)
            action.setCheckable(True)
            action.setChecked(not table.isColumnHidden(column))
            action.toggled.connect(lambda on, c=column: table.setColumnHidden(c, not on))
            menu.addAction(action)
        menu.popup(table.horizontalHeader().mapToGlobal(point))


def is_attribute_send(record: Any) -> bool:
    """Whether `record` is a POST of custom attributes (the kind of request Revert undoes)."""
    return record is not None and record.method == "POST" and record.endpoint == ATTRIBUTES_ENDPOINT
