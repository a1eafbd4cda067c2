"""The Linux menu entry parses and has what desktops need."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

from attentive_desktop import APP_NAME

DESKTOP = Path(__file__).resolve().parents[2] / "resources" / "attentive-desktop.desktop"


@pytest.fixture(scope="module")
def entry() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


def test_required_keys(entry: dict[str, str]) -> None:
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Attentive Desktop"
    assert entry["Comment"]
    assert entry["Exec"] == APP_NAME
    assert entry["Icon"] == APP_NAME
    assert entry["Terminal"] == "false"


def test_categories_are_a_semicolon_terminated_list(entry: dict[str, str]) -> None:
    assert entry["Categories"].endswith(";")
    assert {"Office", "Network"} <= set(entry["Categories"].split(";"))


def test_startup_wm_class_matches_the_qt_application_name(entry: dict[str, str]) -> None:
    # Qt uses QApplication.applicationName() (APP_NAME) as the X11 WM_CLASS class and the
    # desktop file name as the Wayland app id: both must name this file.
    assert entry["StartupWMClass"] == APP_NAME
    assert DESKTOP.name == f"{APP_NAME}.desktop"
