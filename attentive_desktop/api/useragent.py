"""The User-Agent sent with every request."""

from __future__ import annotations

import platform

import httpx

from attentive_desktop import __version__


def user_agent() -> str:
    """The User-Agent: "attentive-desktop/<version> httpx/<version> Python/<version>"."""
    python = platform.python_version()
    return f"attentive-desktop/{__version__} httpx/{httpx.__version__} Python/{python}"
