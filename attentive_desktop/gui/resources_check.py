"""Finding the bundled resources (the app icon) in source and frozen runs alike."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

ICON_NAMES = ("attentive-desktop.png", "icon.png", "attentive-desktop.svg", "icon.svg")


def resources_dir() -> Path | None:
    """The package's resources folder, or None when the package ships none."""
    try:
        folder = resources.files("attentive_desktop") / "resources"
    except (ModuleNotFoundError, TypeError):
        return None
    path = Path(str(folder))
    return path if path.is_dir() else None


def icon_path() -> Path | None:
    """The application icon file, or None when the resources hold no icon."""
    from attentive_desktop import assets  # the packaging layer's resource finder

    for name in ICON_NAMES:
        try:
            return assets.resource_path(name)
        except FileNotFoundError:
            continue
    folder = resources_dir()
    if folder is None:
        return None
    for name in ICON_NAMES:
        for candidate in (folder / name, folder / "icons" / name):
            if candidate.is_file():
                return candidate
    found = sorted(folder.rglob("*.png")) or sorted(folder.rglob("*.svg"))
    return found[-1] if found else None
