"""Status colours follow the palette in use: readable on light and dark themes alike."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from attentive_desktop.gui.property_cells import check_colour, looked_up_colour
from attentive_desktop.gui.theme import is_dark, palette_status_color


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(colour: QColor) -> float:
        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(x) for x in colour.getRgbF()[:3])
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def palette(window: str, base: str) -> QPalette:
    made = QPalette()
    made.setColor(QPalette.ColorRole.Window, QColor(window))
    made.setColor(QPalette.ColorRole.Base, QColor(base))
    made.setColor(QPalette.ColorRole.Link, QColor("#82b1ff" if is_dark(made) else "#1565c0"))
    made.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a8a8a"))
    return made


LIGHT = ("#efefef", "#ffffff")
DARK = ("#2b2b2b", "#1e1e1e")


@pytest.mark.parametrize("theme", [LIGHT, DARK])
@pytest.mark.parametrize("kind", ["error", "warning", "ok"])
def test_status_colours_read_well_on_both_palettes(theme, kind):
    colours = palette(*theme)
    colour = palette_status_color(colours, kind)
    for background in theme:  # window (labels) and base (table cells)
        assert contrast(colour, QColor(background)) >= 4.5


def test_the_check_column_follows_the_application_palette(qapp):
    saved = QGuiApplication.palette()
    try:
        QGuiApplication.setPalette(palette(*LIGHT))
        light = [check_colour(kind) for kind in ("error", "warning", "ok", "info")]
        QGuiApplication.setPalette(palette(*DARK))
        dark = [check_colour(kind) for kind in ("error", "warning", "ok", "info")]
        assert all(a != b for a, b in zip(light, dark, strict=True))
        assert dark[3] == QColor("#82b1ff")  # a send under way: the palette's link colour
        assert check_colour("") is None  # blank rows: the palette's own text colour
        assert looked_up_colour() == QColor("#8a8a8a")
    finally:
        QGuiApplication.setPalette(saved)


def test_failed_statuses_in_history_and_bulk_tables_follow_the_palette(qapp):
    from attentive_desktop.gui.cells import status_foreground

    saved = QGuiApplication.palette()
    try:
        QGuiApplication.setPalette(palette(*LIGHT))
        light = status_foreground("error")
        QGuiApplication.setPalette(palette(*DARK))
        dark = status_foreground("error")
        assert light != dark
        assert contrast(dark, QColor(DARK[1])) >= 4.5
        assert status_foreground("") is None
    finally:
        QGuiApplication.setPalette(saved)
