"""Colours that read well on the platform's light and dark palettes.

Everything else follows the system palette; only status colours (error, success) and the
SANDBOX banner use fixed colours, picked for contrast against both light and dark windows.
Status texts are re-coloured when the system palette changes (refresh_status_labels).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

# The banner has its own background, so one pair works on both palettes (contrast ≈ 10:1).
BANNER_BACKGROUND = "#ffb000"
BANNER_TEXT = "#1a1a1a"


def is_dark(palette: QPalette) -> bool:
    """True when the window background is dark (a dark system theme)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


# (on a dark palette, on a light one): each ≥ 4.5:1 against its window background.
_STATUS_COLOURS = {
    "error": ("#ff8a80", "#b3261e"),
    "warning": ("#ffd180", "#8a5300"),
    "ok": ("#8fd694", "#1e6b2a"),
}


def palette_status_color(palette: QPalette, kind: str) -> QColor | None:
    """The colour for a status of ``kind`` ("error", "warning", "ok") on ``palette``; None for
    any other kind (the palette's own text colour)."""
    pair = _STATUS_COLOURS.get(kind)
    return QColor(pair[0] if is_dark(palette) else pair[1]) if pair else None


def status_color(widget: QWidget, kind: str) -> QColor:
    """The text colour for a status of ``kind`` ("error", "warning", "ok", anything else) on
    the window ``widget`` sits in. The window's palette, not the widget's: a colour style sheet
    (set_status_text's) freezes the widget's palette as it was, light or dark."""
    palette = widget.window().palette()
    return palette_status_color(palette, kind) or palette.color(QPalette.ColorRole.WindowText)


MASK_PROPERTY = "maskPersonalData"
"""Window property: when true, status texts mask phones and emails (screen sharing)."""
RAW_TEXT_PROPERTY = "rawStatusText"


def set_status_text(label: QWidget, text: str, kind: str = "info") -> None:
    """Show ``text`` on a QLabel in the colour of ``kind``; hides the label when empty.

    When the label's window has MASK_PROPERTY set, phones and emails in ``text`` are masked
    (the unmasked text is kept in RAW_TEXT_PROPERTY, so turning masking off restores it).
    """
    colour = status_color(label, kind).name()
    label.setStyleSheet(f"color: {colour};" if kind in ("error", "warning", "ok") else "")
    label.setProperty(RAW_TEXT_PROPERTY, text)
    if text and label.window().property(MASK_PROPERTY):
        from attentive_desktop.core.masking import mask_text

        text = mask_text(text)
    label.setText(text)  # type: ignore[attr-defined]
    label.setProperty("statusKind", kind)
    label.setVisible(bool(text))


def refresh_status_labels(root: QWidget) -> None:
    """Re-render every status label under `root`: masked or not, as its window says, in the
    colours of the palette now in use (MainWindow calls it when the system palette changes)."""
    for label in root.findChildren(QLabel):
        raw = label.property(RAW_TEXT_PROPERTY)
        if isinstance(raw, str) and raw:
            kind = label.property("statusKind") or "info"
            set_status_text(label, raw, str(kind))
