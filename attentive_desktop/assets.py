"""Files shipped inside the package (attentive_desktop/resources/), found by importlib.resources.

The same calls work from a source checkout, an installed wheel and the PyInstaller bundle
(packaging/attentive_desktop.spec collects the folder next to the frozen package). No Qt here:
callers get paths or bytes, and the gui wraps them (e.g. ``QIcon(str(icon_path()))``).
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

ICON_NAME = "attentive-desktop.svg"
_PACKAGE = "attentive_desktop"
_FOLDER = "resources"


def _resource(name: str) -> Traversable:
    relative = PurePosixPath(name)
    if not name or relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"{name!r} is not a resource name (a path inside resources/)")
    node = resources.files(_PACKAGE) / _FOLDER
    for part in relative.parts:
        node = node / part
    return node


def read_resource(name: str) -> bytes:
    """The content of resources/<name> (e.g. "attentive-desktop.svg"); FileNotFoundError if
    there is no such file."""
    node = _resource(name)
    if not node.is_file():
        raise FileNotFoundError(f"no resource {name!r} in {_PACKAGE}/{_FOLDER}")
    return node.read_bytes()


def resource_path(name: str) -> Path:
    """A filesystem path to resources/<name>, for APIs that want a file (QIcon, QPixmap).

    Source checkouts, wheels and the frozen bundle all keep resources as real files; a
    zip-imported package does not, and raises FileNotFoundError here (use read_resource).
    """
    node = _resource(name)
    if not isinstance(node, Path) or not node.is_file():
        raise FileNotFoundError(f"no resource file {name!r} in {_PACKAGE}/{_FOLDER}")
    return node


def resource_names() -> list[str]:
    """Every file under resources/, as names for read_resource, sorted."""
    names: list[str] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            elif not child.name.startswith("."):
                names.append(prefix + child.name)

    root = resources.files(_PACKAGE) / _FOLDER
    if root.is_dir():
        walk(root, "")
    return sorted(names)


def icon_path() -> Path:
    """The application icon (scalable SVG, rendered by Qt's svg icon engine)."""
    return resource_path(ICON_NAME)
