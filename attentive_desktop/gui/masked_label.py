"""A QLabel that can mask the phones and emails in its text (View ▸ Mask personal data)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class MaskedLabel(QLabel):
    """A label whose text and accessible name hide phones and emails while masked.

    ``setText``/``setAccessibleName`` keep the raw text, so ``set_masked(False)`` shows it
    again; ``raw_text()`` returns it.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._masked = False
        self._raw = ""
        self._raw_name = ""
        self.setText(text)

    def raw_text(self) -> str:
        """The text as given, unmasked."""
        return self._raw

    def setText(self, text: str) -> None:
        """Show ``text`` (masked while masking is on)."""
        self._raw = text
        super().setText(self._shown(text))

    def setAccessibleName(self, name: str) -> None:
        """Set the accessible name (masked while masking is on)."""
        self._raw_name = name
        super().setAccessibleName(self._shown(name))

    def set_masked(self, masked: bool) -> None:
        """Mask (or show again) the phones and emails in the text and accessible name."""
        if bool(masked) != self._masked:
            self._masked = bool(masked)
            super().setText(self._shown(self._raw))
            if self._raw_name:
                super().setAccessibleName(self._shown(self._raw_name))

    def _shown(self, text: str) -> str:
        if not self._masked or not text:
            return text
        from attentive_desktop.core.masking import mask_text

        return mask_text(text)
