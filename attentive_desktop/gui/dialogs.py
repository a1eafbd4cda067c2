"""Small non-blocking dialogs: confirmations and the "Show request" JSON view.

They open window-modal with ``open()`` instead of ``exec()``, so the event loop (and the
worker's signals) keep running while they are up, and tests can find and click them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


def confirm(
    parent: QWidget,
    *,
    object_name: str,
    title: str,
    text: str,
    details: str = "",
    yes_text: str = "Continue",
    on_yes: Callable[[], None],
    on_no: Callable[[], None] | None = None,
) -> QMessageBox:
    """Ask a yes/no question; ``on_yes`` runs if the user agrees, ``on_no`` (if given) if not.
    Returns the open box."""
    box = QMessageBox(parent)
    box.setObjectName(object_name)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setAccessibleName(title)
    box.setText(text)
    if details:
        box.setInformativeText(details)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName(f"{object_name}Yes")
    yes.setAccessibleName(yes_text)
    no = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    no.setObjectName(f"{object_name}No")
    no.setAccessibleName("Cancel")
    box.setDefaultButton(no)

    def finished() -> None:
        if box.clickedButton() is yes:
            on_yes()
        elif on_no is not None:
            on_no()
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
    return box


class RequestDialog(QDialog):
    """Shows the exact request Send would post: method, URL and the JSON body (no key), and
    ``note``, if given, saying what Send leaves out."""

    def __init__(
        self, title_line: str, body: str, parent: QWidget | None = None, *, note: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName("requestDialog")
        self.setWindowTitle("Request to be sent")
        self.setAccessibleName("Request to be sent")
        self.resize(620, 460)
        heading = QLabel(title_line, self)
        heading.setObjectName("requestHeading")
        heading.setWordWrap(True)
        self.body_view = QPlainTextEdit(self)
        self.body_view.setObjectName("requestBody")
        self.body_view.setAccessibleName("Request body")
        self.body_view.setReadOnly(True)
        self.body_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.body_view.setPlainText(body)
        key_note = QLabel("The Authorization header carries your API key and is not shown.", self)
        key_note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeRequestButton")
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.body_view, 1)
        if note:  # what Send leaves out (values the user already has)
            left_out = QLabel(note, self)
            left_out.setObjectName("requestLeftOut")
            left_out.setAccessibleName("Left out of the request")
            left_out.setWordWrap(True)
            layout.addWidget(left_out)
        layout.addWidget(key_note)
        layout.addWidget(buttons)
