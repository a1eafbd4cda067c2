"""Edit ▸ UI-created properties…: the catalog of properties defined in Attentive's own UI and
the only values each accepts (the API cannot list them, so the app keeps them).

The dialog edits a working copy; Save writes it to the account's schema registry on the
history thread. Import (JSON or CSV) shows what would change before it touches the copy;
Export writes the copy as JSON or CSV.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from attentive_desktop.gui.theme import set_status_text

FILE_FILTER = "Catalog files (*.json *.csv);;JSON (*.json);;CSV (*.csv)"


def _values(text: str) -> tuple[str, ...]:
    seen: list[str] = []
    for line in text.splitlines():
        value = line.strip()
        if value and value not in seen:
            seen.append(value)
    return tuple(seen)


class CatalogDialog(QDialog):
    """Add, edit and remove UI-created properties and their allowed values; import/export.

    Signals: saved(); importPreviewed(object CatalogImport); exported(str path).
    """

    saved = Signal()
    importPreviewed = Signal(object)
    exported = Signal(str)

    def __init__(self, schema: Any, tasks: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogDialog")
        self.setWindowTitle("UI-created properties")
        self.setAccessibleName("UI-created properties")
        self.resize(640, 440)
        self._schema = schema
        self._tasks = tasks
        self.original: dict[str, tuple[str, ...]] = dict(schema.catalog()) if schema else {}
        self.working: dict[str, tuple[str, ...]] = dict(self.original)
        self.pending_import: Any = None
        self._loading = False

        intro = QLabel(
            "Properties created in Attentive's UI accept only the values defined there. List "
            "them here so the editor offers those values and refuses others.",
            self,
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("catalogList")
        self.list.setAccessibleName("UI-created properties")
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("catalogName")
        self.name_edit.setAccessibleName("Property name")
        self.values_edit = QPlainTextEdit(self)
        self.values_edit.setObjectName("catalogValues")
        self.values_edit.setAccessibleName("Allowed values, one per line")
        self.values_edit.setPlaceholderText("One allowed value per line")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("catalogStatus")
        self.status_label.setWordWrap(True)

        self.add_button = self._button("Add property", "catalogAdd")
        self.remove_button = self._button("Remove property", "catalogRemove")
        self.import_button = self._button("Import…", "catalogImport")
        self.export_button = self._button("Export…", "catalogExport")
        self.save_button = self._button("Save", "catalogSave")
        self.save_button.setDefault(True)
        self.close_button = self._button("Cancel", "catalogCancel")

        name_label = QLabel("&Name", self)
        name_label.setBuddy(self.name_edit)  # Alt+N, and read out with the field
        values_label = QLabel("Allowed &values (one per line)", self)
        values_label.setBuddy(self.values_edit)
        right = QVBoxLayout()
        right.addWidget(name_label)
        right.addWidget(self.name_edit)
        right.addWidget(values_label)
        right.addWidget(self.values_edit, 1)
        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        left.addLayout(row)
        top.addLayout(left, 1)
        top.addLayout(right, 1)
        bottom = QHBoxLayout()
        for button in (self.import_button, self.export_button):
            bottom.addWidget(button)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(bottom)

        self.list.currentTextChanged.connect(self._show)
        self.name_edit.editingFinished.connect(self._rename)
        self.values_edit.textChanged.connect(self._values_changed)
        self.add_button.clicked.connect(lambda: self.add_property())
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button.clicked.connect(self._ask_import)
        self.export_button.clicked.connect(self._ask_export)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self._reload()

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text.rstrip("…"))
        return button

    # working copy ---------------------------------------------------------------------------
    def _reload(self, select: str | None = None) -> None:
        current = select or self.selected()
        self.list.clear()
        names = sorted(self.working, key=lambda n: (n.casefold(), n))
        self.list.addItems(names)
        if current in self.working:
            self.list.setCurrentRow(names.index(current))
        elif names:
            self.list.setCurrentRow(0)
        else:
            self._show("")
        self.remove_button.setEnabled(bool(names))

    def _show(self, name: str) -> None:
        self._loading = True
        self.name_edit.setText(name)
        self.values_edit.setPlainText("\n".join(self.working.get(name, ())))
        self.name_edit.setEnabled(bool(name))
        self.values_edit.setEnabled(bool(name))
        self._loading = False

    def selected(self) -> str:
        """The property shown on the right ("" when none)."""
        item = self.list.currentItem()
        return item.text() if item is not None else ""

    def add_property(self, name: str = "", values: tuple[str, ...] = ()) -> str:
        """Add a property (a fresh "New property" name when none is given) and show it."""
        if not name:
            base, number = "New property", 1
            name = base
            while name in self.working:
                number += 1
                name = f"{base} {number}"
        self.working[name] = tuple(values)
        self._reload(name)
        self.name_edit.setFocus()
        self.name_edit.selectAll()
        return name

    def set_values(self, text: str) -> None:
        """Replace the selected property's values (one per line)."""
        self.values_edit.setPlainText(text)

    def _values_changed(self) -> None:
        name = self.selected()
        if name and not self._loading:
            self.working[name] = _values(self.values_edit.toPlainText())

    def _rename(self) -> None:
        old, new = self.selected(), self.name_edit.text().strip()
        if not old or not new or new == old:
            return
        if new in self.working:
            set_status_text(self.status_label, f"'{new}' is already in the list.", "error")
            self.name_edit.setText(old)
            return
        self.working[new] = self.working.pop(old)
        self._reload(new)

    def remove_selected(self) -> None:
        """Remove the selected property from the working copy."""
        name = self.selected()
        if name:
            self.working.pop(name, None)
            self._reload()

    # save -----------------------------------------------------------------------------------
    def save(self) -> None:
        """Write the working copy to the registry (history thread), then close."""
        self._rename()
        empty = [n for n, v in self.working.items() if not v]
        if empty:
            set_status_text(
                self.status_label,
                f"Give '{empty[0]}' at least one allowed value, or remove it.",
                "error",
            )
            return
        schema, working, original = self._schema, dict(self.working), self.original

        def write(_store: Any) -> None:
            for name in original:
                if name not in working:
                    schema.remove_catalog_entry(name)
            for name, values in working.items():
                if original.get(name) != values:
                    schema.set_allowed_values(name, values)

        def done(_result: object) -> None:
            self.saved.emit()
            self.accept()

        def failed(text: str, _kind: str) -> None:
            set_status_text(self.status_label, f"Could not save: {text}", "error")

        self.save_button.setEnabled(False)
        self._tasks.disk(write, done, failed)

    # import / export ------------------------------------------------------------------------
    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import UI-created properties", "", FILE_FILTER)
        if path:
            self.import_from(path)

    def import_from(self, path: str) -> None:
        """Read a catalog file off the GUI thread, then preview the changes."""
        from attentive_desktop.core.catalog_io import import_catalog

        def failed(text: str, _kind: str) -> None:
            set_status_text(
                self.status_label, f"Could not import {Path(path).name}: {text}", "error"
            )

        self._tasks.disk(lambda _store: import_catalog(path), self._preview_import, failed)

    def _preview_import(self, parsed: Any) -> None:
        self.pending_import = parsed
        changes = parsed.changes(self.working)
        lines = []
        for title, names in (
            ("Added", changes.added),
            ("Changed", changes.changed),
            ("Unchanged", changes.unchanged),
            ("Not in the file (kept unless you replace)", changes.not_in_file),
        ):
            if names:
                lines.append(f"{title}: " + ", ".join(names))
        lines += [f"Skipped (Custom input): {n}" for n in parsed.skipped]
        lines += list(parsed.warnings)
        box = QMessageBox(self)
        box.setObjectName("catalogImportPreview")
        box.setWindowTitle("Import UI-created properties")
        box.setText(f"{len(parsed.entries)} properties in the file. Changes:")
        box.setInformativeText("\n".join(lines) or "Nothing changes.")
        merge = box.addButton("Merge", QMessageBox.ButtonRole.AcceptRole)
        merge.setObjectName("catalogImportMerge")
        replace = box.addButton("Replace all", QMessageBox.ButtonRole.DestructiveRole)
        replace.setObjectName("catalogImportReplace")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished() -> None:
            if box.clickedButton() in (merge, replace):
                self.accept_import(replace=box.clickedButton() is replace)

        box.finished.connect(finished)
        self.preview_box = box
        box.open()
        self.importPreviewed.emit(parsed)

    def accept_import(self, *, replace: bool = False) -> None:
        """Apply the previewed import to the working copy (Save writes it)."""
        parsed, self.pending_import = self.pending_import, None
        if parsed is None:
            return
        if replace:
            self.working = {}
        self.working.update(parsed.entries)
        self._reload()
        set_status_text(
            self.status_label,
            f"Imported {len(parsed.entries)} properties: Save to keep them.",
            "ok",
        )

    def _ask_export(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export UI-created properties", "ui-properties.json", FILE_FILTER
        )
        if path:
            if not Path(path).suffix:
                path += ".csv" if "CSV" in chosen else ".json"
            self.export_to(path)

    def export_to(self, path: str) -> None:
        """Write the working copy to `path` (.json or .csv) off the GUI thread."""
        from attentive_desktop.core.catalog_io import export_catalog

        catalog = dict(self.working)

        def done(_result: object) -> None:
            set_status_text(self.status_label, f"Exported to {path}.", "ok")
            self.exported.emit(path)

        def failed(text: str, _kind: str) -> None:
            set_status_text(self.status_label, f"Could not export: {text}", "error")

        self._tasks.disk(lambda _store: export_catalog(catalog, path), done, failed)
