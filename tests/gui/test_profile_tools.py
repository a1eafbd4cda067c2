"""Issue 7, window side, against the sandbox: diff before send, verification, revert, the
catalog and allowed values, identity linking, subscriptions, About."""

from __future__ import annotations

import json
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QStyleOptionViewItem

from attentive_desktop.app import build_window
from attentive_desktop.core.verify import verify_sent
from attentive_desktop.gui.diff_dialog import DiffDialog
from attentive_desktop.gui.property_model import PropertyTableModel
from attentive_desktop.gui.property_view import VALUE_COLUMN
from attentive_desktop.gui.revert import RevertDialog
from attentive_desktop.gui.subscriptions_panel import NO_SCOPE, NONE_ON_RECORD, SubscriptionsPanel
from attentive_desktop.store.database import Database
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.schema_store import SqliteSchemaStorage
from attentive_desktop.store.secrets import SecretStore
from tests.fakes import FakeKeyring
from tests.window_start import wait_started

ADA = "+14155550100"
WAIT = 10_000


@pytest.fixture
def tools_window(qtbot, sandbox):
    """The real window on the sandbox (full-access key unless another is given)."""
    sessions = []

    def open_(key: str | None = None):
        session = build_window(
            AppPaths.from_environment(),
            SecretStore(keyring_backend=FakeKeyring()),
            sandbox_url=sandbox.base_url,
            sandbox_key=key or sandbox.api_key,
        )
        sessions.append(session)
        qtbot.addWidget(session.window)
        session.window.show()
        qtbot.waitExposed(session.window)
        wait_started(qtbot, session.window)  # start-up finishes after the show
        qtbot.waitUntil(lambda: "(" in session.window.editor.target_label.text(), timeout=WAIT)
        return session

    yield open_
    for session in sessions:
        session.window.close()
        session.shutdown()


def look_up(qtbot, session, phone: str = ADA) -> None:
    window = session.window
    window.form.phone_edit.setText(phone)
    with qtbot.waitSignal(window.flow.userLookedUp, timeout=WAIT):
        window.flow.lookup()


def open_diff(qtbot, window) -> DiffDialog:
    window.flow.send()
    qtbot.waitUntil(lambda: window.findChild(DiffDialog) is not None)
    dialog = window.findChild(DiffDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def send_through_diff(qtbot, window) -> None:
    dialog = open_diff(qtbot, window)
    dialog.send_button.click()
    qtbot.waitUntil(lambda: not window.editor.sending and not window.flow.busy, timeout=WAIT)


def posted_bodies(sandbox) -> list[dict]:
    return [
        json.loads(r.body)
        for r in sandbox.requests
        if r.method == "POST" and r.path.endswith("/attributes/custom")
    ]


def test_diff_shows_current_to_new_flags_new_attributes_and_skips_unchanged(
    qtbot, tools_window, sandbox
):
    session = tools_window()
    window = session.window
    look_up(qtbot, session)
    model = window.editor.model
    model.add_row("Favorite color", "green")  # blue → green
    model.add_row("age", "36")  # unchanged
    model.add_row("Referral code", "42")  # a name nobody has seen: a new Number attribute
    dialog = open_diff(qtbot, window)
    rows = {
        texts[0]: texts[1:]
        for texts in map(dialog.table.texts, range(dialog.table.model().rowCount()))
    }
    assert len(rows) == 3  # what the lookup listed and was left alone is not in the preview
    assert rows["Favorite color"][:3] == ["blue", "green", "change"]
    assert rows["age"][:3] == ["36", "36", "unchanged (not sent)"]
    assert rows["Referral code"][:3] == ["—", "42", "new attribute"]
    assert (
        rows["Referral code"][3] == "creates a new attribute: its type will be Number from now on"
    )
    assert "'Referral code'" in dialog.new_label.text()
    assert dialog.target_label.isVisible()  # the account, once more, before the write
    assert dialog.target_label.accessibleName() == window.editor.target
    assert window.editor.target.startswith("Writing to: ") and "(" in window.editor.target
    assert dialog.unchanged_box.isVisible()
    assert dialog.send_button.text() == "Send 2 values"
    dialog.unchanged_box.setChecked(True)
    assert dialog.send_button.text() == "Send 3 values"
    dialog.unchanged_box.setChecked(False)
    before = len(posted_bodies(sandbox))
    dialog.send_button.click()
    qtbot.waitUntil(lambda: not window.editor.sending and not window.flow.busy, timeout=WAIT)
    bodies = posted_bodies(sandbox)
    assert len(bodies) == before + 1
    assert bodies[-1]["properties"] == {"Favorite color": "green", "Referral code": "42"}
    assert sandbox.user_attributes(phone=ADA)["Favorite color"] == "green"
    checks = {model.index(r, 0).data(): model.index(r, 4).data() for r in range(model.rowCount())}
    assert checks["Favorite color"] == checks["Referral code"] == "Verified"
    assert checks["age"] == "Unchanged (not sent)"
    assert checks["VIP"] == ""  # listed by the lookup and left alone: not part of the send
    assert "2 verified" in window.editor.result_label.text()


def test_cancelling_the_preview_sends_nothing(qtbot, tools_window, sandbox):
    session = tools_window()
    window = session.window
    look_up(qtbot, session)
    window.editor.model.add_row("Favorite color", "green")
    before = len(posted_bodies(sandbox))
    dialog = open_diff(qtbot, window)
    dialog.reject()
    with qtbot.assertNotEmitted(session.api.sent, wait=200):
        pass
    assert len(posted_bodies(sandbox)) == before
    assert sandbox.user_attributes(phone=ADA)["Favorite color"] == "blue"


def test_stored_differently_shows_what_the_service_stored():
    model = PropertyTableModel()
    model.add_row("VIP", "TRUE")
    model.add_row("Gift card balance", "50.890")
    model.mark_pending()
    reread = {"VIP": "true", "Gift card balance": "50.89"}
    verification = verify_sent(model.properties(), reread)
    model.mark_verification(verification, reread)
    assert model.index(0, 4).data() == "Verified: stored as 'true'"
    assert model.index(1, 4).data() == "Verified: stored as '50.89'"
    verification = verify_sent({"VIP": "TRUE"}, {"VIP": "no"})
    model.mark_verification(verification, {"VIP": "no"})
    assert model.index(0, 4).data() == "Stored as 'no'"


def test_revert_restores_prior_values_and_says_new_attributes_stay(qtbot, tools_window, sandbox):
    session = tools_window()
    window, tools = session.window, session.window.profile_tools
    look_up(qtbot, session)
    window.editor.model.add_row("Favorite color", "green")
    window.editor.model.add_row("Referral code", "XYZ-1")
    send_through_diff(qtbot, window)
    assert sandbox.user_attributes(phone=ADA)["Favorite color"] == "green"

    tools.revert_last()
    qtbot.waitUntil(lambda: window.findChild(RevertDialog) is not None, timeout=WAIT)
    dialog = window.findChild(RevertDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.table.texts(0)[:3] == ["Favorite color", "green", "blue"]
    assert dialog.table.model().rowCount() == 1
    cannot = dialog.cannot_label.text()
    assert "'Referral code'" in cannot
    assert "cannot be removed through this API" in cannot
    with qtbot.waitSignal(tools.revert_controller().reverted, timeout=WAIT):
        dialog.revert_button.click()
    now = sandbox.user_attributes(phone=ADA)
    assert now["Favorite color"] == "blue"
    assert now["Referral code"] == "XYZ-1"  # never pretended away
    message = window.statusBar().currentMessage()
    assert "Reverted 'Favorite color'" in message
    assert "'Referral code' cannot be removed through this API" in message
    assert window.editor.model.current()["Favorite color"] == "blue"


def test_revert_this_send_from_the_history_row(qtbot, tools_window, sandbox):
    session = tools_window()
    window, history = session.window, session.window.history
    look_up(qtbot, session)
    window.editor.model.add_row("Loyalty tier", "Platinum")
    send_through_diff(qtbot, window)
    qtbot.waitUntil(
        lambda: any(
            history.proxy.index(r, 1).data() == "POST" for r in range(history.proxy.rowCount())
        )
    )
    post = next(
        r for r in range(history.proxy.rowCount()) if history.proxy.index(r, 1).data() == "POST"
    )
    history.table.selectRow(post)
    assert history.tools.revert_button.isEnabled()
    history.tools.revert_button.click()
    qtbot.waitUntil(lambda: window.findChild(RevertDialog) is not None, timeout=WAIT)
    dialog = window.findChild(RevertDialog)
    assert dialog.table.texts(0)[:3] == ["Loyalty tier", "Platinum", "Gold"]
    assert not dialog.cannot_label.isVisible()
    with qtbot.waitSignal(window.profile_tools.revert_controller().reverted, timeout=WAIT):
        dialog.revert_button.click()
    assert sandbox.user_attributes(phone=ADA)["Loyalty tier"] == "Gold"
    # A GET row cannot be reverted.
    get = next(
        r for r in range(history.proxy.rowCount()) if history.proxy.index(r, 1).data() == "GET"
    )
    history.table.selectRow(get)
    assert not history.tools.revert_button.isEnabled()


def test_catalog_editor_gives_a_drop_down_and_refuses_other_values(qtbot, tools_window, sandbox):
    session = tools_window()
    window = session.window
    dialog = window.profile_tools.open_catalog()
    buddies = {label.text(): label.buddy() for label in dialog.findChildren(QLabel)}
    assert buddies["&Name"] is dialog.name_edit  # Alt+N; read out with the field
    assert buddies["Allowed &values (one per line)"] is dialog.values_edit
    dialog.add_property("Shirt size")
    dialog.set_values("S\nM\nL\nXL\nM")
    assert dialog.working["Shirt size"] == ("S", "M", "L", "XL")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT):
        dialog.save_button.click()
    model = window.editor.model
    model.add_row("Shirt size", "XXL")
    window.form.email_edit.setText("ada@example.com")
    check = model.index(0, 4).data()
    assert "'XXL' is not one of them" in check  # the message sits at the cell
    assert not window.editor.send_button.isEnabled()
    assert "Fix before sending" in window.editor.check_label.text()
    editor = window.editor.delegate.createEditor(
        window.editor.table.viewport(), QStyleOptionViewItem(), model.index(0, VALUE_COLUMN)
    )
    assert isinstance(editor, QComboBox)
    assert [editor.itemText(i) for i in range(editor.count())] == ["S", "M", "L", "XL"]
    editor.deleteLater()
    before = len(sandbox.requests)
    window.flow.send()  # refused locally: nothing reaches the server
    assert len(sandbox.requests) == before
    model.setData(model.index(0, VALUE_COLUMN), "L", Qt.ItemDataRole.EditRole)
    assert window.editor.send_button.isEnabled()


def test_the_sandbox_account_knows_the_sandbox_ui_created_properties(
    qtbot, tools_window, monkeypatch
):
    writes_on_gui_thread: list[bool] = []
    transaction = Database.transaction

    def recorded(self):
        writes_on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return transaction(self)

    monkeypatch.setattr(Database, "transaction", recorded)
    session = tools_window()
    assert session.schema.allowed_values("Shirt size") == ("S", "M", "L", "XL")
    assert session.schema.allowed_values("Loyalty tier") == ("Bronze", "Silver", "Gold", "Platinum")
    assert session.schema.allowed_values("Preferred store") is None  # "Custom input": any value
    model = session.window.editor.model
    row = model.add_row("Shirt size", "M")
    assert model.index(row, 2).data() == "Choice (4 values)"
    # Offered at once from memory, saved on the history thread: the GUI thread wrote nothing.
    stored = SqliteSchemaStorage(session.database, "Sandbox")
    qtbot.waitUntil(lambda: len(stored.load_catalog()) == 2, timeout=WAIT)
    assert stored.load_catalog()["Shirt size"] == ("S", "M", "L", "XL")
    assert writes_on_gui_thread and not any(writes_on_gui_thread)


def test_catalog_export_and_import_with_a_preview(qtbot, tools_window, tmp_path):
    session = tools_window()
    dialog = session.window.profile_tools.open_catalog()
    dialog.add_property("Shirt size", ("S", "M"))
    target = tmp_path / "catalog.json"
    with qtbot.waitSignal(dialog.exported, timeout=WAIT):
        dialog.export_to(str(target))
    document = json.loads(target.read_text(encoding="utf-8"))
    tiers = ["Bronze", "Silver", "Gold", "Platinum"]  # the sandbox's own UI-created property
    assert document["properties"] == [
        {"name": "Loyalty tier", "values": tiers},
        {"name": "Shirt size", "values": ["S", "M"]},
    ]
    source = tmp_path / "more.csv"
    source.write_text("property,value\nShirt size,S\nShirt size,XL\nTier,Gold\n", encoding="utf-8")
    with qtbot.waitSignal(dialog.importPreviewed, timeout=WAIT) as previewed:
        dialog.import_from(str(source))
    changes = previewed.args[0].changes(dialog.working)
    assert changes.added == ("Tier",)
    assert changes.changed == ("Shirt size",)
    assert "Added: Tier" in dialog.preview_box.informativeText()
    dialog.preview_box.close()
    dialog.accept_import()
    assert dialog.working == {
        "Loyalty tier": tuple(tiers),  # merged: not in the file, kept
        "Shirt size": ("S", "XL"),
        "Tier": ("Gold",),
    }
    with qtbot.waitSignal(dialog.saved, timeout=WAIT):
        dialog.save()
    assert session.schema.allowed_values("Tier") == ("Gold",)


def test_identity_link_then_an_external_identifier_only_send_works(qtbot, tools_window, sandbox):
    session = tools_window()
    window, tools = session.window, session.window.profile_tools
    form = window.form
    form.phone_edit.setText("+13125550199")
    form.client_id_edit.setText("crm-777")
    with qtbot.waitSignal(tools.identity.linked, timeout=WAIT):
        tools.link_button.click()
    assert "Linked clientUserId 'crm-777'" in window.statusBar().currentMessage()
    assert sandbox.linked_phone("crm-777") == "+13125550199"
    form.phone_edit.clear()
    window.editor.model.add_row("Favorite color", "purple")
    with qtbot.waitSignal(session.api.sent, timeout=WAIT):
        window.flow.send()  # no lookup of this user: no preview, straight to the API
    assert sandbox.user_attributes(phone="+13125550199")["Favorite color"] == "purple"
    body = posted_bodies(sandbox)[-1]
    assert body["user"] == {"externalIdentifiers": {"clientUserId": "crm-777"}}


def test_identity_needs_an_external_identifier(qtbot, tools_window, sandbox):
    session = tools_window()
    window = session.window
    window.form.phone_edit.setText(ADA)
    before = len(sandbox.requests)
    assert window.profile_tools.link() is None
    assert "clientUserId" in window.statusBar().currentMessage()
    assert len(sandbox.requests) == before


def test_subscriptions_panel_shows_eligibility_after_a_lookup(qtbot, tools_window):
    session = tools_window()
    panel = session.window.profile_tools.subscriptions
    assert not panel.isVisible()
    look_up(qtbot, session, "+14155550101")
    qtbot.waitUntil(lambda: not panel.loading and bool(panel.entries), timeout=WAIT)
    assert panel.isVisible()
    text = panel.list_label.text()
    assert "✗ Marketing text messages: not eligible" in text
    assert "✓ Transactional text messages: eligible" in text


def test_subscriptions_panel_hides_politely_without_the_scope(qtbot, tools_window, sandbox):
    session = tools_window(sandbox.no_subscriptions_key)
    window = session.window
    panel = window.profile_tools.subscriptions
    look_up(qtbot, session)
    qtbot.waitUntil(lambda: panel.hidden_for_scope, timeout=WAIT)
    assert panel.entries == []
    assert panel.status_label.text() == NO_SCOPE
    assert panel.list_label.text() == "" and panel.list_label.isHidden()
    assert "Found" in window.form.status_label.text()  # the lookup itself is fine
    before = len(sandbox.requests)
    look_up(qtbot, session, "+14155550101")  # asked once per account, not after every lookup
    assert len(sandbox.requests) == before + 1


class HeldTasks:
    """Stands in for the API tasks: keeps each call's callbacks for the test to answer."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, object, object]] = []

    def api(self, call, done, failed) -> int:
        self.calls.append((call, done, failed))
        return len(self.calls)

    def cancel(self, job: int) -> None:
        pass


class Query:
    def params(self) -> dict[str, str]:
        return {"phone": "+14155550100"}


def test_a_404_from_subscriptions_never_says_the_found_user_is_missing(qtbot):
    tasks = HeldTasks()
    panel = SubscriptionsPanel(tasks)
    qtbot.addWidget(panel)
    panel.looked_up(Query(), {"Favorite color": "blue"})
    assert panel.list_label.isHidden()  # nothing to list yet: not announced empty
    _call, _done, failed = tasks.calls[-1]
    failed("No user with that phone or email was found.", "not-found")
    assert panel.status_label.text() == NONE_ON_RECORD
    assert panel.list_label.isHidden() and not panel.isHidden()
    panel.looked_up(Query(), {"Favorite color": "blue"})
    _call, done, _failed = tasks.calls[-1]
    done([])
    assert panel.status_label.text() == NONE_ON_RECORD


def test_about_shows_version_data_folder_and_keychain(qtbot, tools_window, private_home):
    from attentive_desktop import __version__

    session = tools_window()
    tools = session.window.profile_tools
    tools.about()  # the keychain is asked which backend it is on its own thread first
    qtbot.waitUntil(lambda: tools.about_box is not None)
    box = tools.about_box
    text = box.text()
    assert __version__ in text
    assert str(AppPaths.from_environment().data_dir) in text
    assert "Fake test keyring" in text
    box.close()
    sheet = session.window.show_shortcuts()
    assert "Revert the last send" in sheet.text()
    assert "Ctrl+Shift+M" in sheet.text()
    sheet.close()
