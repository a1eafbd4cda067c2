"""Edit ▸ Preferences…: how long to keep the request history, how to read phone numbers
typed without "+", and masking personal data."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

MAX_DAYS = 3650
REGION_SETTING = "default_region"


class PreferencesDialog(QDialog):
    """History retention in days (0 keeps everything; default 90), the region numbers typed
    without "+" are read in (default US), and the masking toggle.

    Signals: retentionChanged(int days), regionChanged(str region).
    """

    retentionChanged = Signal(int)
    regionChanged = Signal(str)

    def __init__(self, settings: Any, privacy: Any, parent: QWidget | None = None) -> None:
        from attentive_desktop.store.retention import DEFAULT_RETENTION_DAYS, RETENTION_SETTING

        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        self._settings = settings
        self._privacy = privacy
        self._key = RETENTION_SETTING
        self.days_spin = QSpinBox(self)
        self.days_spin.setObjectName("retentionDays")
        self.days_spin.setAccessibleName("Keep history for days")
        self.days_spin.setRange(0, MAX_DAYS)
        self.days_spin.setSuffix(" days")
        self.days_spin.setSpecialValueText("Keep everything")
        value = settings.get(RETENTION_SETTING, DEFAULT_RETENTION_DAYS)
        valid = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        self.days_spin.setValue(min(int(value), MAX_DAYS) if valid else DEFAULT_RETENTION_DAYS)
        self.region_combo = region_choice(self, str(settings.get(REGION_SETTING, "US") or "US"))
        self.mask_box = QCheckBox("Mask phone numbers and emails on screen", self)
        self.mask_box.setObjectName("maskPersonalDataCheck")
        self.mask_box.setChecked(privacy.masked)
        note = QLabel(
            "Older requests (and the revisions that let you revert them) are deleted at "
            "start-up and when you save this.",
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Keep &history for", self.days_spin)
        form.addRow("", note)
        form.addRow("Phone numbers &without +", self.region_combo)
        form.addRow("Privacy", self.mask_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("preferencesSave")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def save(self) -> None:
        """Store the choices; a new retention is applied (off the GUI thread) by the owner."""
        days = self.days_spin.value()
        changed = self._settings.get(self._key, None) != days
        self._settings.set(self._key, days)
        region = str(self.region_combo.currentData())
        moved = self._settings.get(REGION_SETTING, "US") != region
        self._settings.set(REGION_SETTING, region)
        self._privacy.set_masked(self.mask_box.isChecked())
        self.accept()
        if changed:
            self.retentionChanged.emit(days)
        if moved:
            self.regionChanged.emit(region)


def region_choice(parent: QWidget, current: str) -> QComboBox:
    """A drop-down of every phone region, named in the user's language ("United Kingdom
    (GB, +44)"), sorted by name, with ``current`` chosen."""
    from attentive_desktop.core.identifiers import phone_regions

    combo = QComboBox(parent)
    combo.setObjectName("phoneRegion")
    combo.setAccessibleName("Read phone numbers without + as numbers of")
    entries = []
    for code, calling in phone_regions():
        name = QLocale.territoryToString(QLocale.codeToTerritory(code))
        entries.append((f"{name or code} ({code}, +{calling})", code))
    for text, code in sorted(entries, key=lambda entry: entry[0].casefold()):
        combo.addItem(text, code)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo
