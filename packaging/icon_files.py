"""Pure-Python writers and readers for .ico and .icns files holding PNG images.

No Pillow needed: both formats may embed PNG data as is (.ico since Windows Vista, .icns for
the ic07..ic14 and icp4..icp6 types). The readers exist so tests can check what was written.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

# .icns element type -> pixel size of the PNG it holds (the @2x types reuse larger renders).
ICNS_TYPES: dict[str, int] = {
    "icp4": 16,
    "icp5": 32,
    "ic11": 32,  # 16x16@2x
    "icp6": 64,
    "ic12": 64,  # 32x32@2x
    "ic07": 128,
    "ic08": 256,
    "ic13": 256,  # 128x128@2x
    "ic09": 512,
    "ic14": 512,  # 256x256@2x
    "ic10": 1024,  # 512x512@2x
}


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height read from a PNG's IHDR chunk."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def ico_bytes(pngs: Mapping[int, bytes]) -> bytes:
    """An .ico file with one PNG-compressed image per size (sizes up to 256)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries = []
    for size in sizes:
        if not 1 <= size <= 256:
            raise ValueError(f"an .ico image must be 1-256 pixels, not {size}")
        data = pngs[size]
        if png_size(data) != (size, size):
            raise ValueError(f"the PNG given for size {size} is {png_size(data)}")
        byte = 0 if size == 256 else size  # 0 means 256 in the directory entry
        entries.append(struct.pack("<BBBBHHII", byte, byte, 0, 0, 1, 32, len(data), offset))
        offset += len(data)
    return header + b"".join(entries) + b"".join(pngs[size] for size in sizes)


def read_ico(data: bytes) -> dict[int, bytes]:
    """The images of an .ico file, by size; every image must be PNG-compressed."""
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    if reserved != 0 or kind != 1:
        raise ValueError("not an .ico file")
    images: dict[int, bytes] = {}
    for index in range(count):
        entry = data[6 + 16 * index : 22 + 16 * index]
        width, _height, _colours, _reserved, _planes, _bits, length, offset = struct.unpack(
            "<BBBBHHII", entry
        )
        image = data[offset : offset + length]
        if len(image) != length:
            raise ValueError("truncated .ico file")
        images[width or 256] = image
    return images


def icns_bytes(pngs_by_size: Mapping[int, bytes]) -> bytes:
    """An .icns file with every type of ICNS_TYPES, each taking the PNG of its pixel size."""
    elements = []
    for kind, size in ICNS_TYPES.items():
        data = pngs_by_size[size]
        if png_size(data) != (size, size):
            raise ValueError(f"the PNG given for size {size} is {png_size(data)}")
        elements.append(kind.encode("ascii") + struct.pack(">I", 8 + len(data)) + data)
    body = b"".join(elements)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def read_icns(data: bytes) -> dict[str, bytes]:
    """The elements of an .icns file, by type."""
    if data[:4] != b"icns" or struct.unpack(">I", data[4:8])[0] != len(data):
        raise ValueError("not an .icns file")
    elements: dict[str, bytes] = {}
    offset = 8
    while offset < len(data):
        kind = data[offset : offset + 4].decode("ascii")
        (length,) = struct.unpack(">I", data[offset + 4 : offset + 8])
        if length < 8 or offset + length > len(data):
            raise ValueError("corrupt .icns element")
        elements[kind] = data[offset + 8 : offset + length]
        offset += length
    return elements
