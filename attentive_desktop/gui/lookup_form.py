"""The user lookup form: phone (normalised live), email, clientUserId, custom identifiers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from attentive_desktop.gui.theme import set_status_text

if TYPE_CHECKING:  # core.identifiers pulls in phonenumbers: imported on first use instead.
    from attentive_desktop.core.identifiers import InvalidIdentifier, LookupQuery, UserRef


def _identifiers():
    from attentive_desktop.core import identifiers

    return identifiers


class CustomIdentifierRow(QWidget):
    """One name/value pair of the custom identifiers list, with its Remove button.

    Signals: removeRequested(CustomIdentifierRow).
    """

    removeRequested = Signal(object)

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("Name")
        self.name_edit.setObjectName(f"customIdName{index}")
        self.name_edit.setAccessibleName(f"Custom identifier {index} name")
        self.value_edit = QLineEdit(self)
        self.value_edit.setPlaceholderText("Value")
        self.value_edit.setObjectName(f"customIdValue{index}")
        self.value_edit.setAccessibleName(f"Custom identifier {index} value")
        self.remove_button = QToolButton(self)
        self.remove_button.setText("Remove")
        self.remove_button.setObjectName(f"customIdRemove{index}")
        self.remove_button.setAccessibleName(f"Remove custom identifier {index}")
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self))
        layout.addWidget(self.name_edit, 1)
        layout.addWidget(self.value_edit, 1)
        layout.addWidget(self.remove_button)

    def pair(self) -> tuple[str, str]:
        """The (name, value) typed in this row."""
        return self.name_edit.text(), self.value_edit.text()


class LookupForm(QWidget):
    """Who to look up or write to. Press Enter in any field (or "Look up") to look up.

    Signals: lookupRequested(), busyChanged(bool busy) (a lookup started or ended).
    """

    lookupRequested = Signal()
    busyChanged = Signal(bool)

    def __init__(self, region: str = "US", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lookupForm")
        self.busy = False  # a lookup is running (set_busy)
        self._region = region
        self._rows: list[CustomIdentifierRow] = []
        self._row_serial = 0

        self.phone_edit = self._line_edit("phoneEdit", "Phone", "+1 415 555 0100")
        self.phone_status = self._status_label("phoneStatus", "Phone check")
        self.email_edit = self._line_edit("emailEdit", "Email", "ada@example.com")
        self.email_status = self._status_label("emailStatus", "Email check")
        self.client_id_edit = self._line_edit("clientUserIdEdit", "clientUserId", "optional")
        self.by_combo = QComboBox(self)
        self.by_combo.setObjectName("lookupByCombo")
        self.by_combo.setAccessibleName("Look up by")
        self.by_combo.addItem("Phone", "phone")
        self.by_combo.addItem("Email", "email")
        self.by_label = QLabel("Look up &by", self)
        self.by_label.setBuddy(self.by_combo)
        self.by_combo.installEventFilter(self)  # Enter on the closed choice looks up too

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self._buddy("&Phone", self.phone_edit), self.phone_edit)
        form.addRow("", self.phone_status)
        form.addRow(self._buddy("E&mail", self.email_edit), self.email_edit)
        form.addRow("", self.email_status)
        form.addRow(self._buddy("&clientUserId", self.client_id_edit), self.client_id_edit)
        form.addRow(self.by_label, self.by_combo)

        self.custom_box = QVBoxLayout()
        self.add_identifier_button = QPushButton("Add custom identifier", self)
        self.add_identifier_button.setObjectName("addCustomIdentifierButton")
        self.add_identifier_button.setAccessibleName("Add custom identifier")
        # Not connected directly: clicked(bool) would arrive as the new row's name.
        self.add_identifier_button.clicked.connect(lambda: self.add_custom_identifier())
        custom_title = QLabel("Custom identifiers", self)
        custom_title.setObjectName("customIdentifiersTitle")

        self.lookup_button = QPushButton("Look up", self)
        self.lookup_button.setObjectName("lookupButton")
        self.lookup_button.setAccessibleName("Look up")
        self.lookup_button.setToolTip("Look up the user by phone or email (Enter, Ctrl+L)")
        self.lookup_button.clicked.connect(self.lookupRequested)
        self.status_label = self._status_label("lookupStatus", "Lookup result")
        self.status_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        title = QLabel("<b>Customer</b>", self)
        title.setObjectName("lookupTitle")
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(custom_title)
        layout.addLayout(self.custom_box)
        layout.addWidget(self.add_identifier_button)
        layout.addWidget(self.lookup_button)
        layout.addWidget(self.status_label)
        layout.addStretch(1)

        self.phone_edit.textChanged.connect(self._phone_changed)
        self.email_edit.textChanged.connect(self._email_changed)
        self.email_edit.editingFinished.connect(lambda: self._email_changed(check=True))
        for edit in (self.phone_edit, self.email_edit, self.client_id_edit):
            edit.returnPressed.connect(self.lookupRequested)
        self._update_choice()

    # building helpers -------------------------------------------------------------------
    def _line_edit(self, name: str, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        return edit

    def _status_label(self, name: str, accessible: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        label.setWordWrap(True)
        label.hide()
        return label

    def _buddy(self, text: str, edit: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(edit)
        return label

    # custom identifiers ------------------------------------------------------------------
    def add_custom_identifier(self, name: str = "", value: str = "") -> CustomIdentifierRow:
        """Add a name/value row for a custom identifier and focus its name field."""
        self._row_serial += 1
        row = CustomIdentifierRow(self._row_serial, self)
        row.name_edit.setText(name)
        row.value_edit.setText(value)
        row.removeRequested.connect(self.remove_custom_identifier)
        for edit in (row.name_edit, row.value_edit):
            edit.returnPressed.connect(self.lookupRequested)
            edit.textChanged.connect(lambda _text, edit=edit: self._mark(edit, None))
        # (the "Look up by" choice is the form's last field; hidden, Tab skips it)
        before = self._rows[-1].remove_button if self._rows else self.by_combo
        self._rows.append(row)
        self.custom_box.addWidget(row)
        row.show()  # now, not on the next loop pass: the focus and Tab order need it visible
        # In the Tab order where it shows: after the field above it, before the Add button.
        for first, second in (
            (before, row.name_edit),
            (row.name_edit, row.value_edit),
            (row.value_edit, row.remove_button),
            (row.remove_button, self.add_identifier_button),
        ):
            QWidget.setTabOrder(first, second)
        row.name_edit.setFocus()
        return row

    def remove_custom_identifier(self, row: CustomIdentifierRow) -> None:
        """Remove one custom identifier row."""
        if row in self._rows:
            had_focus = row.isAncestorOf(QApplication.focusWidget())
            index = self._rows.index(row)
            self._rows.remove(row)
            self.custom_box.removeWidget(row)
            row.hide()
            row.deleteLater()
            if had_focus:  # to the row above's Remove, else Add: never to nowhere
                above = self._rows[index - 1].remove_button if index else None
                (above or self.add_identifier_button).setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter on the closed "Look up by" choice looks up, as in the fields."""
        if (
            watched is self.by_combo
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.lookupRequested.emit()
            return True
        return super().eventFilter(watched, event)

    def custom_identifier_rows(self) -> list[CustomIdentifierRow]:
        """The custom identifier rows, in order."""
        return list(self._rows)

    # live checks -------------------------------------------------------------------------
    def _phone_changed(self, text: str = "") -> None:
        text = self.phone_edit.text()
        if not text.strip():
            set_status_text(self.phone_status, "")
            self._mark(self.phone_edit, None)
        else:
            ids = _identifiers()
            try:
                e164 = ids.normalize_phone(text, self._region)
            except ids.InvalidIdentifier as exc:
                self.phone_status.setWordWrap(True)
                set_status_text(self.phone_status, exc.message, "error")
                self._mark(self.phone_edit, exc.message)
            else:
                self.phone_status.setWordWrap(False)  # short; wrapping here would split it
                set_status_text(self.phone_status, f"✓ Reads as {e164}", "ok")
                self._mark(self.phone_edit, None)
                self.phone_edit.setAccessibleDescription(f"Reads as {e164}")  # screen readers
        self._update_choice()

    def _email_changed(self, text: str = "", *, check: bool = False) -> None:
        value = self.email_edit.text()
        if not value.strip():
            set_status_text(self.email_status, "")
            self._mark(self.email_edit, None)
        else:
            ids = _identifiers()
            try:
                ids.normalize_email(value)
            except ids.InvalidIdentifier as exc:
                # While typing, an unfinished address is not an error yet.
                if check or self.email_status.property("statusKind") == "error":
                    set_status_text(self.email_status, exc.message, "error")
                    self._mark(self.email_edit, exc.message)
            else:
                set_status_text(self.email_status, "")
                self._mark(self.email_edit, None)
        self._update_choice()

    def _mark(self, edit: QLineEdit, problem: str | None) -> None:
        edit.setProperty("invalid", problem is not None)
        edit.setToolTip(problem or "")
        edit.setAccessibleDescription(problem or "")

    def _update_choice(self) -> None:
        both = bool(self.phone_edit.text().strip() and self.email_edit.text().strip())
        self.by_combo.setVisible(both)
        self.by_label.setVisible(both)

    # reading the form --------------------------------------------------------------------
    def set_region(self, region: str) -> None:
        """Change the region used to read numbers typed without a country code."""
        self._region = region
        self._phone_changed()

    def user_ref(self) -> UserRef:
        """The identifiers typed, checked. Raises InvalidIdentifier and marks the field."""
        ids = _identifiers()
        try:
            return ids.UserRef.parse(
                phone=self.phone_edit.text(),
                email=self.email_edit.text(),
                client_user_id=self.client_id_edit.text(),
                custom_identifiers=[row.pair() for row in self._rows],
                region=self._region,
            )
        except ids.InvalidIdentifier as exc:
            self.show_identifier_error(exc)
            raise

    def lookup_query(self) -> LookupQuery:
        """The lookup to run: by phone or email (the "Look up by" choice when both are set)."""
        user = self.user_ref()
        by = self.by_combo.currentData() if user.phone and user.email else None
        try:
            return user.lookup_query(by)
        except _identifiers().InvalidIdentifier as exc:
            self.show_identifier_error(exc)
            raise

    def show_identifier_error(self, exc: InvalidIdentifier) -> None:
        """Put an identifier problem next to the field it is about and focus that field."""
        targets = {
            "phone": (self.phone_edit, self.phone_status),
            "email": (self.email_edit, self.email_status),
        }
        if exc.field in targets:
            edit, label = targets[exc.field]
            set_status_text(label, exc.message, "error")
            self._mark(edit, exc.message)
            edit.setFocus()
        else:
            self.set_status(exc.message, "error")
            if exc.field == "clientUserId":
                self.client_id_edit.setFocus()
            elif exc.field == "customIdentifiers" and (half := self._half_filled()) is not None:
                self._mark(half, exc.message)
                half.setFocus()

    def _half_filled(self) -> QLineEdit | None:
        """The empty field of the first custom identifier row with only one part filled."""
        for row in self._rows:
            name, value = (text.strip() for text in row.pair())
            if bool(name) != bool(value):
                return row.value_edit if name else row.name_edit
        return None

    def set_status(self, text: str, kind: str = "info") -> None:
        """Show the outcome of the last lookup under the button."""
        set_status_text(self.status_label, text, kind)

    def set_busy(self, busy: bool) -> None:
        """Disable the button while a lookup runs."""
        if busy != self.busy:
            self.busy = busy
            self.busyChanged.emit(busy)
        if busy and self.lookup_button.hasFocus():  # else Qt moves it on to the next button
            (self.phone_edit if self.phone_edit.text() else self.email_edit).setFocus()
        self.lookup_button.setEnabled(not busy)
        self.lookup_button.setText("Looking up…" if busy else "Look up")
