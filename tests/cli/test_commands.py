"""``get`` and ``set``: JSON shapes, exit codes, where the key comes from."""

from __future__ import annotations

from typing import ClassVar

import pytest

from attentive_desktop.sandbox import SANDBOX_API_KEY, SANDBOX_READONLY_KEY
from attentive_desktop.store.accounts import Account, AccountStore
from attentive_desktop.store.database import Database
from attentive_desktop.store.history import HistoryStore
from attentive_desktop.store.paths import AppPaths


def test_get_json_shape(cli_json):
    code, data = cli_json("get", "--sandbox", "--phone", "(415) 555-0100")
    assert code == 0
    assert data["ok"] is True
    assert data["user"] == {"phone": "+14155550100"}
    assert data["attributes"]["Favorite color"] == "blue"
    assert data["attributes"]["Shirt size"] == "M"


def test_get_text_lists_attributes(cli):
    code, out, _ = cli("get", "--sandbox", "--email", "margaret@example.com")
    assert code == 0
    assert out.splitlines()[0] == "margaret@example.com: 2 custom attributes"
    assert "Newsletter" in out and "Weekly digest" in out


def test_get_unknown_user_exits_1(cli_json):
    code, data = cli_json("get", "--sandbox", "--email", "nobody@example.com")
    assert code == 1
    assert data["ok"] is False
    assert data["error"]["kind"] == "not-found" and data["error"]["status"] == 404


@pytest.mark.parametrize(
    "argv",
    [
        ("get", "--sandbox", "--phone", "12"),  # invalid phone
        ("get", "--sandbox"),  # neither phone nor email
        ("get", "--sandbox", "--phone", "+14155550100", "--email", "a@example.com"),
        ("set", "--sandbox", "--phone", "+14155550100", "VIP"),  # not NAME=VALUE
        ("set", "--sandbox", "VIP=true"),  # no identifier
        ("set", "--sandbox", "--base-url", "http://127.0.0.1:9/v1", "--phone", "+1", "a=b"),
        ("bulk", "missing.csv", "--sandbox"),
        ("frobnicate",),
    ],
)
def test_bad_usage_exits_2(cli, argv):
    code, _, err = cli(*argv)
    assert code == 2
    assert err.strip()


def test_no_key_exits_2_and_says_where_keys_come_from(cli):
    code, _, err = cli("get", "--phone", "+14155550100")
    assert code == 2
    assert "ATTENTIVE_API_KEY" in err and "--account" in err


def test_help_documents_exit_codes(cli):
    code, out, _ = cli("bulk", "--help")
    assert code == 0
    for line in ("0    all good", "1    the API call failed", "2    bad usage or invalid input"):
        assert line in out
    assert "custom:<name>" in out


def test_set_json_shape_and_server_state(cli_json, sandbox, monkeypatch):
    monkeypatch.setenv("ATTENTIVE_API_KEY", SANDBOX_API_KEY)
    code, data = cli_json(
        "set",
        "--base-url",
        sandbox.base_url,
        "--email",
        "grace@example.com",
        "Favorite color=teal",
        "Coupon=A=B",
    )
    assert code == 0
    assert data == {
        "ok": True,
        "user": {"email": "grace@example.com"},
        "properties": {"Favorite color": "teal", "Coupon": "A=B"},
        "warnings": [],
    }
    attrs = sandbox.user_attributes(email="grace@example.com")
    assert attrs["Favorite color"] == "teal" and attrs["Coupon"] == "A=B"


def test_set_invalid_property_sends_nothing(cli_json, sandbox, monkeypatch):
    monkeypatch.setenv("ATTENTIVE_API_KEY", SANDBOX_API_KEY)
    code, data = cli_json(
        "set", "--base-url", sandbox.base_url, "--phone", "+14155550100", 'tags=["a", "b"]'
    )
    assert code == 2
    assert data["error"]["kind"] == "invalid"
    assert data["error"]["findings"][0]["code"] == "json-array-text"
    assert sandbox.requests == []


def test_set_with_read_only_key_exits_1_and_history_keeps_no_key(cli_json, sandbox, monkeypatch):
    monkeypatch.setenv("ATTENTIVE_API_KEY", SANDBOX_READONLY_KEY)
    code, data = cli_json("set", "--base-url", sandbox.base_url, "--phone", "+14155550100", "a=1")
    assert code == 1
    assert data["error"]["kind"] == "access-denied"
    assert "attributes:write" in data["error"]["message"]
    paths = AppPaths.from_environment()
    with Database(paths.database) as db:
        [record] = HistoryStore(db).page(0, 10)
        assert (record.method, record.status) == ("POST", 403)
    for file in paths.data_dir.rglob("*"):  # the database and the log folder
        if file.is_file():
            assert SANDBOX_READONLY_KEY.encode() not in file.read_bytes()


def test_set_type_lock_violation_exits_1(cli, sandbox, monkeypatch):
    monkeypatch.setenv("ATTENTIVE_API_KEY", SANDBOX_API_KEY)
    code, _, err = cli("set", "--base-url", sandbox.base_url, "--phone", "+14155550100", "age=old")
    assert code == 1
    assert "type Number" in err


class FakeSecrets:
    keys: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: object) -> None:
        pass

    def get_key(self, account: str) -> str | None:
        return self.keys.get(account)


def test_key_comes_from_the_keychain_account(cli_json, sandbox, monkeypatch):
    monkeypatch.setattr("attentive_desktop.store.secrets.SecretStore", FakeSecrets)
    monkeypatch.setattr(FakeSecrets, "keys", {"Shop": SANDBOX_API_KEY})
    paths = AppPaths.from_environment().ensure()
    with Database(paths.database) as db:
        AccountStore(db).save(Account("Shop", sandbox.base_url))
    code, data = cli_json("get", "--account", "Shop", "--phone", "+14155550101")
    assert code == 0 and data["attributes"]["age"] == "52"
    # The only saved account is used without --account, too.
    code, data = cli_json("get", "--phone", "+14155550101")
    assert code == 0
    code, data = cli_json("get", "--account", "Nope", "--phone", "+14155550101")
    assert code == 2 and "no account called 'Nope'" in data["error"]["message"]
