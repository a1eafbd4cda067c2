"""Test doubles shared by the window tests: ``from tests.fakes import FakeKeyring``."""

from __future__ import annotations


class FakeKeyring:
    """A keychain in a dict, standing in for the OS keychain (a keyring backend's three calls)."""

    name = "Fake test keyring"

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.keys.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.keys[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.keys.pop((service, username), None)
