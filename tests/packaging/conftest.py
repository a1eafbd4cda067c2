"""Loading the build scripts in packaging/ (a folder, not a package: "packaging" is a PyPI name)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load_packaging_module(name: str) -> ModuleType:
    """Import packaging/<name>.py once, leaving sys.path as it was."""
    key = f"_packaging_{name}"
    if key in sys.modules:
        return sys.modules[key]
    spec = importlib.util.spec_from_file_location(key, PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    saved = list(sys.path)
    sys.path.insert(0, str(PACKAGING))
    try:
        sys.modules[key] = module
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved
    return module


@pytest.fixture(scope="session")
def policy() -> ModuleType:
    """packaging/bundle_policy.py"""
    return load_packaging_module("bundle_policy")


@pytest.fixture(scope="session")
def icon_files() -> ModuleType:
    """packaging/icon_files.py"""
    return load_packaging_module("icon_files")


@pytest.fixture(scope="session")
def make_icons() -> ModuleType:
    """packaging/make_icons.py (Qt is imported only when rendering)"""
    return load_packaging_module("make_icons")


@pytest.fixture(scope="session")
def build_linux() -> ModuleType:
    """packaging/build_linux.py"""
    return load_packaging_module("build_linux")
