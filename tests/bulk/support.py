"""Helpers shared by the bulk tests."""

from __future__ import annotations


def phone(i: int) -> str:
    """A distinct valid US test number per index."""
    return f"+1415555{i:04d}"


def numbered_csv(count: int, *, start: int = 2000) -> str:
    """A header and ``count`` rows: phone, VIP=true, points=<index>."""
    lines = ["phone,VIP,points"]
    lines += [f"{phone(start + i)},true,{i}" for i in range(count)]
    return "\n".join(lines) + "\n"
