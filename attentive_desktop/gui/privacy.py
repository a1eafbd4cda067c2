"""View ▸ Mask personal data: hide phones and emails on screen, for screen sharing.

The toggle is remembered in Settings ("mask_personal_data"). When on: the history table
(cells, tooltips) and its details, the lookup form's phone and email fields (shown only while
being edited), the property editor's cells (edited values show unmasked while editing), the
Bulk dialog (preview, dry-run problems, results, summaries), every status line (lookup
result, phone check, send result), the status bar and the review dialogs show
"+1 415 ••• ••00" and "a••@example.com" instead. Turning it off shows the texts as given.
Nothing stored changes: masking is display only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLineEdit

from attentive_desktop.gui.theme import MASK_PROPERTY, RAW_TEXT_PROPERTY, refresh_status_labels

MASK_SETTING = "mask_personal_data"


class PrivacyMask(QObject):
    """The "Mask personal data" state of one window, its checkable action, and what it masks.

    Signals: changed(bool masked).
    """

    changed = Signal(bool)

    def __init__(self, window: Any, settings: Any) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self.action = QAction("&Mask personal data", window)
        self.action.setObjectName("maskPersonalDataAction")
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.setToolTip("Hide phone numbers and email addresses, e.g. for screen sharing")
        window.addAction(self.action)
        self._masked = False
        self.action.toggled.connect(self.set_masked)
        if bool(settings.get(MASK_SETTING, False)):
            self.action.setChecked(True)

    @property
    def masked(self) -> bool:
        """Whether personal data is masked now."""
        return self._masked

    def mask(self, text: str) -> str:
        """`text` as it may be shown now (masked when the toggle is on)."""
        if not self._masked or not text:
            return text
        from attentive_desktop.core.masking import mask_text

        return mask_text(text)

    def set_masked(self, masked: bool) -> None:
        """Turn masking on or off everywhere in the window, and remember the choice."""
        masked = bool(masked)
        if self.action.isChecked() != masked:
            self.action.setChecked(masked)  # comes back here through toggled
            return
        changed = masked != self._masked
        self._masked = masked
        window = self._window
        window.setProperty(MASK_PROPERTY, masked)
        history = getattr(window, "history", None)
        if history is not None:
            history.model.set_masked(masked)
            history.show_selected()
        form = getattr(window, "form", None)
        if form is not None:
            mode = QLineEdit.EchoMode.PasswordEchoOnEdit if masked else QLineEdit.EchoMode.Normal
            for edit in (form.phone_edit, form.email_edit):
                edit.setEchoMode(mode)
        editor = getattr(window, "editor", None)
        if editor is not None and hasattr(editor.model, "set_masked"):
            editor.model.set_masked(masked)
        dialog = getattr(getattr(window, "bulk", None), "dialog", None)
        if dialog is not None:
            dialog.set_masked(masked)
        refresh_status_labels(window)
        self._refresh_status_bar()
        if changed:
            if self._settings.get(MASK_SETTING, False) != masked:
                self._settings.set(MASK_SETTING, masked)
            self.changed.emit(masked)

    def _refresh_status_bar(self) -> None:
        """Re-show the status bar's message masked or, when masking is off, as it was given
        (MainWindow.show_message keeps the raw text in RAW_TEXT_PROPERTY)."""
        bar = self._window.statusBar()
        current = bar.currentMessage()
        if not current:
            return
        raw = bar.property(RAW_TEXT_PROPERTY)
        if not isinstance(raw, str) or current not in (raw, _mask_text(raw)):
            raw = current  # shown by someone else: it can only be masked, not restored
        timeout = 0 if bar.property("statusKind") == "error" else 15000
        bar.showMessage(self.mask(raw), timeout)


def _mask_text(text: str) -> str:
    from attentive_desktop.core.masking import mask_text

    return mask_text(text)
