"""The icon set: every PNG size Linux wants, the .ico and the .icns, and their writers."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"


def tiny_png(size: int) -> bytes:
    """A valid, fully transparent size x size PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\0" + b"\0" * 4 * size for _ in range(size)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_every_linux_size_exists_with_its_dimensions(
    make_icons: ModuleType, icon_files: ModuleType
) -> None:
    assert make_icons.LINUX_SIZES == (16, 24, 32, 48, 64, 128, 256, 512)
    for size in make_icons.LINUX_SIZES:
        path = make_icons.linux_icon_path(size)
        assert (
            path
            == RESOURCES / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "attentive-desktop.png"
        )
        assert icon_files.png_size(path.read_bytes()) == (size, size), path


def test_the_ico_holds_every_windows_size(icon_files: ModuleType) -> None:
    images = icon_files.read_ico((RESOURCES / "attentive-desktop.ico").read_bytes())
    assert sorted(images) == sorted(icon_files.ICO_SIZES)
    for size, data in images.items():
        assert icon_files.png_size(data) == (size, size)


def test_the_icns_holds_every_macos_type(icon_files: ModuleType) -> None:
    elements = icon_files.read_icns((RESOURCES / "attentive-desktop.icns").read_bytes())
    assert set(elements) == set(icon_files.ICNS_TYPES)
    for kind, data in elements.items():
        size = icon_files.ICNS_TYPES[kind]
        assert icon_files.png_size(data) == (size, size), kind


def test_ico_round_trip_and_256_is_stored_as_zero(icon_files: ModuleType) -> None:
    pngs = {16: tiny_png(16), 256: tiny_png(256)}
    data = icon_files.ico_bytes(pngs)
    assert data[6 + 16] == 0  # second directory entry: width byte 0 means 256
    assert icon_files.read_ico(data) == pngs


def test_ico_refuses_a_png_of_the_wrong_size(icon_files: ModuleType) -> None:
    with pytest.raises(ValueError, match="size 32"):
        icon_files.ico_bytes({32: tiny_png(16)})
    with pytest.raises(ValueError, match="1-256"):
        icon_files.ico_bytes({512: tiny_png(512)})


def test_icns_round_trip(icon_files: ModuleType) -> None:
    pngs = {size: tiny_png(size) for size in set(icon_files.ICNS_TYPES.values())}
    data = icon_files.icns_bytes(pngs)
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    elements = icon_files.read_icns(data)
    assert {
        kind: icon_files.png_size(png)[0] for kind, png in elements.items()
    } == icon_files.ICNS_TYPES


def test_read_icns_refuses_a_wrong_length(icon_files: ModuleType) -> None:
    with pytest.raises(ValueError, match=r"not an \.icns"):
        icon_files.read_icns(b"icns" + struct.pack(">I", 99))


def test_the_svg_is_valid_for_qtsvg() -> None:
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ROOT / "attentive_desktop" / "resources" / "attentive-desktop.svg"))
    assert renderer.isValid()
    assert renderer.defaultSize().width() == renderer.defaultSize().height() == 512
