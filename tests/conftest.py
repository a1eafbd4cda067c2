"""Suite-wide isolation: a private data home per test, headless Qt, no real keychain."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No test may touch the developer's real keychain: the fail backend makes keyring raise
# NoKeyringError, and tests that need a working keychain pass a fake through constructors.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ.pop("ATTENTIVE_API_KEY", None)


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """Every test gets its own ATTENTIVE_DESKTOP_HOME so nothing leaks between tests."""
    home = tmp_path / "home"
    monkeypatch.setenv("ATTENTIVE_DESKTOP_HOME", str(home))
    return home
