"""Everything a store session writes under ATTENTIVE_DESKTOP_HOME is owner-only and free of
the key; and the two helpers that check this really catch what they look for."""

from __future__ import annotations

import base64
import json
import logging
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from attentive_desktop.api import AttentiveClient, RetryPolicy, Unauthorized
from attentive_desktop.core.attributes import AttributeType
from attentive_desktop.logs import configure_logging
from attentive_desktop.sandbox import SANDBOX_API_KEY
from attentive_desktop.sandbox.server import running_sandbox
from attentive_desktop.store.accounts import Account, AccountStore
from attentive_desktop.store.history import HistoryStore
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.recovery import open_database_with_recovery
from attentive_desktop.store.schema_store import SqliteSchemaStorage
from attentive_desktop.store.secrets import SecretStore
from attentive_desktop.store.settings import Settings

from ..privacy import assert_private_tree, find_secret, secret_forms
from .support import API_KEY

log = logging.getLogger("attentive_desktop.tests.private")


def _store_session(paths: AppPaths, key: str) -> None:
    """Database, history, accounts, schema, settings and a DEBUG log, with real API calls."""
    setup = configure_logging(paths, "DEBUG", lambda: [key])
    database, notice = open_database_with_recovery(paths)
    assert notice is None
    try:
        history = HistoryStore(database)
        AccountStore(database).save(Account("Sandbox", "http://127.0.0.1/v1", "Acme"))
        storage = SqliteSchemaStorage(database, "Sandbox")
        storage.save_types({"VIP": AttributeType.BOOLEAN})
        Settings(paths.settings_file).set("last_account", "Sandbox")
        secrets = SecretStore()  # the fail backend: falls back to memory, writes nothing
        secrets.set_key("Sandbox", key)
        with running_sandbox() as sandbox:
            retry = RetryPolicy(max_attempts=1)
            with AttentiveClient(
                sandbox.base_url, key, on_exchange=history.append, retry=retry
            ) as client:
                client.me()
                client.set_custom_attributes({"phone": "+14155550100"}, {"VIP": "true"})
                client.get_custom_attributes(phone="+14155550100")
            with (
                AttentiveClient(
                    sandbox.base_url, "wrong-" + key, on_exchange=history.append, retry=retry
                ) as bad,
                pytest.raises(Unauthorized),
            ):
                bad.me()
        log.debug("session used key %s", key)
        assert history.count() == 4
    finally:
        database.close()
        setup.close()


def test_a_store_session_leaves_only_private_files_and_no_key(private_home) -> None:
    paths = AppPaths.from_environment().ensure()
    _store_session(paths, SANDBOX_API_KEY)
    checked = assert_private_tree(paths.data_dir) + assert_private_tree(paths.config_dir)
    names = {p.name for p in checked}
    assert {"attentive-desktop.sqlite3", "settings.json", "attentive-desktop.log"} <= names
    assert find_secret([private_home], SANDBOX_API_KEY) == []
    assert find_secret([private_home], "wrong-" + SANDBOX_API_KEY) == []


def test_the_home_folder_itself_is_private_when_the_app_creates_it(private_home) -> None:
    assert not private_home.exists()
    AppPaths.from_environment().ensure()
    assert_private_tree(private_home)


def test_recovery_files_stay_private(private_home) -> None:
    paths = AppPaths.from_environment().ensure()
    paths.database.write_bytes(b"garbage" * 100)
    os.chmod(paths.database, 0o600)
    database, notice = open_database_with_recovery(paths, temporary_root=private_home / "tmp")
    database.close()
    assert notice is not None and notice.kind == "moved-aside"
    assert_private_tree(paths.data_dir)


# --- the helpers catch what they should ---------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        API_KEY,
        quote(API_KEY, safe=""),
        re.sub("%[0-9A-F]{2}", lambda m: m.group().lower(), quote(API_KEY, safe="")),
        json.dumps({"k": API_KEY}).replace("/", "\\/"),
        base64.b64encode(API_KEY.encode()).decode(),
        base64.b64encode(b"Authorization: Bearer " + API_KEY.encode()).decode(),
        base64.urlsafe_b64encode(b"xx" + API_KEY.encode()).decode(),
    ],
)
def test_find_secret_finds_every_spelling_in_any_file(tmp_path, spelling) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "blob.bin").write_bytes(b"\x00prefix " + spelling.encode() + b" suffix\xff")
    (tmp_path / "clean.txt").write_text("nothing to see")
    hits = find_secret([tmp_path], API_KEY)
    assert hits and all(hit.startswith(str(nested / "blob.bin")) for hit in hits)


def test_find_secret_looks_inside_sqlite_files(tmp_path) -> None:
    import sqlite3

    database = tmp_path / "x.sqlite3"
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE t (v TEXT)")
        conn.execute("INSERT INTO t VALUES (?)", (f"hidden {API_KEY} here",))
    conn.close()
    assert find_secret([database], API_KEY) == [f"{database}: raw"]
    assert find_secret([tmp_path / "missing"], API_KEY) == []


def test_secret_forms_are_long_enough_to_mean_something() -> None:
    forms = secret_forms(API_KEY)
    assert {"raw", "percent", "base64@0", "base64@1", "base64@2"} <= set(forms)
    assert all(len(form) >= 8 for form in forms.values())


def test_assert_private_tree_reports_loose_modes(tmp_path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    os.chmod(root, 0o700)
    os.chmod(root / "sub", 0o755)
    (root / "sub" / "f").write_text("x")
    os.chmod(root / "sub" / "f", 0o644)
    (root / "link").symlink_to(Path("/etc/hostname"))
    with pytest.raises(AssertionError) as caught:
        assert_private_tree(root)
    report = str(caught.value)
    assert "sub: folder mode 0755" in report
    assert "f: file mode 0644" in report
    assert "link: symbolic link" in report
