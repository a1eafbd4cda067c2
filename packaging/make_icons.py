"""Render the app icon SVG into every file an installer needs.

    .venv/bin/python packaging/make_icons.py          # (re)write the files
    .venv/bin/python packaging/make_icons.py --check  # exit 1 if any file is missing or stale

Source: attentive_desktop/resources/attentive-desktop.svg (the running app loads it too).
Writes, under resources/:
  icons/hicolor/<N>x<N>/apps/attentive-desktop.png  for N in LINUX_SIZES (freedesktop layout)
  attentive-desktop.ico                              (Windows: PyInstaller EXE + Inno Setup)
  attentive-desktop.icns                             (macOS .app bundle)
Rendering uses QtSvg offscreen, so no display and no Pillow are needed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# icon_files lives next to this script (no package import: "packaging" is a PyPI name)
import icon_files

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "attentive_desktop" / "resources" / "attentive-desktop.svg"
RESOURCES = ROOT / "resources"
ICON_NAME = "attentive-desktop"
LINUX_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def linux_icon_path(size: int, root: Path = RESOURCES) -> Path:
    """Where the PNG of one size lives in the freedesktop hicolor layout."""
    return root / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"


def render_pngs(svg: Path, sizes: set[int]) -> dict[int, bytes]:
    """PNG bytes of the SVG rendered at each size (square, transparent background)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG for QtSvg")
    pngs: dict[int, bytes] = {}
    for size in sorted(sizes):
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        pngs[size] = bytes(data.data())
    return pngs


def expected_files(svg: Path = SVG, root: Path = RESOURCES) -> dict[Path, bytes]:
    """Every generated file and its content."""
    sizes = set(LINUX_SIZES) | set(icon_files.ICO_SIZES) | set(icon_files.ICNS_TYPES.values())
    pngs = render_pngs(svg, sizes)
    files = {linux_icon_path(size, root): pngs[size] for size in LINUX_SIZES}
    files[root / f"{ICON_NAME}.ico"] = icon_files.ico_bytes(
        {size: pngs[size] for size in icon_files.ICO_SIZES}
    )
    files[root / f"{ICON_NAME}.icns"] = icon_files.icns_bytes(pngs)
    return files


def main(argv: list[str] | None = None) -> int:
    """Write the icon files, or with --check report the missing and stale ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing, exit 1 if stale")
    args = parser.parse_args(argv)
    stale = []
    for path, content in expected_files().items():
        current = path.read_bytes() if path.exists() else None
        if current == content:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            print(f"wrote {path.relative_to(ROOT)}")
    if args.check and stale:
        for path in stale:
            print(f"stale or missing: {path.relative_to(ROOT)}", file=sys.stderr)
        print("run: .venv/bin/python packaging/make_icons.py", file=sys.stderr)
        return 1
    if not stale:
        print("icons are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
