"""The runtime resource loader finds the icon in a source run (the frozen run is checked by
the bundle's --self-test in .ci/run)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest

from attentive_desktop import assets

ROOT = Path(__file__).resolve().parents[2]


def test_icon_path_is_the_svg_in_the_package() -> None:
    path = assets.icon_path()
    assert path == ROOT / "attentive_desktop" / "resources" / "attentive-desktop.svg"
    assert path.is_file()


def test_read_resource_returns_the_svg_bytes() -> None:
    data = assets.read_resource(assets.ICON_NAME)
    assert b"<svg" in data
    assert data == assets.icon_path().read_bytes()


def test_resource_names_lists_the_icon() -> None:
    assert assets.ICON_NAME in assets.resource_names()


@pytest.mark.parametrize("name", ["", "../__init__.py", "/etc/passwd", "a/../../b"])
def test_names_outside_resources_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="not a resource name"):
        assets.read_resource(name)


def test_a_missing_resource_raises_file_not_found() -> None:
    with pytest.raises(FileNotFoundError, match=r"no-such\.png"):
        assets.read_resource("no-such.png")
    with pytest.raises(FileNotFoundError):
        assets.resource_path("no-such.png")


def test_the_loader_does_not_import_qt() -> None:
    source = (ROOT / "attentive_desktop" / "assets.py").read_text(encoding="utf-8")
    assert "PySide6" not in source


def test_every_resource_is_covered_by_the_wheel_package_data() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["attentive_desktop"]
    for name in assets.resource_names():
        relative = f"resources/{name}"
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in globs), relative
