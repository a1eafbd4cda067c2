from __future__ import annotations

import time

from attentive_desktop.api import AttentiveClient
from attentive_desktop.core.diff import ChangeKind, diff_properties
from attentive_desktop.core.identifiers import UserRef
from attentive_desktop.core.verify import VerifyStatus, verify_sent
from attentive_desktop.sandbox import SandboxServer
from attentive_desktop.store.database import Database
from attentive_desktop.store.history import HistoryStore
from attentive_desktop.store.revisions import RevisionStore

from .conftest import ACCOUNT

ADA = UserRef.parse(phone="+14155550100", email="ada@example.com")


def test_record_and_read_back(revisions: RevisionStore) -> None:
    before = {"Favorite color": "blue", "VIP": "true"}
    sent = {"Favorite color": "green", "VIP": "true", "Points": "5"}
    rid = revisions.record(
        account="Main", user=ADA, before=before, sent=sent, started_at=100.0, finished_at=101.0
    )
    revision = revisions.get(rid)
    assert revision is not None
    assert (revision.account, revision.user_label, revision.os_user) == (
        "Main",
        ADA.describe(),
        "tester",
    )
    assert revision.user_json == ADA.to_user_json()
    assert revision.user_ref() == ADA
    assert revision.sent == sent
    assert revision.prior == {"Favorite color": "blue"}
    assert revision.new_attributes == ("Points",)
    assert revision.history_first_id is None  # no history rows in that window
    plan = revision.revert_plan()
    assert plan.values == {"Favorite color": "blue"} and plan.cannot_remove == ("Points",)
    assert revisions.get(rid + 1) is None


def test_listing_latest_and_reverted_by(revisions: RevisionStore) -> None:
    first = revisions.record(
        account="Main", user=ADA, before={"a": "1"}, sent={"a": "2"}, started_at=1.0
    )
    other = UserRef.parse(email="grace@example.com")
    revisions.record(account="Main", user=other, before={}, sent={"b": "1"}, started_at=2.0)
    undo = revisions.record(
        account="Main", user=ADA, before={"a": "2"}, sent={"a": "1"}, started_at=3.0, reverts=first
    )
    assert [r.id for r in revisions.list(account="Main", user_label=ADA.describe())] == [
        undo,
        first,
    ]
    assert len(revisions.list()) == 3
    assert revisions.latest_for_user("Main", ADA.describe()).id == undo
    assert revisions.latest_for_user("Other", ADA.describe()) is None
    assert revisions.get(first).reverted_by == undo
    assert revisions.get(undo).reverts == first
    assert revisions.prune(0, now=2.5) == 2
    assert [r.id for r in revisions.list()] == [undo]
    revisions.clear()
    assert revisions.list() == []


def test_revert_journey_against_the_sandbox(
    sandbox: SandboxServer,
    client: AttentiveClient,
    history: HistoryStore,
    revisions: RevisionStore,
) -> None:
    before = client.get_custom_attributes(phone=ADA.phone)
    edits = {"Favorite color": "green", "age": "37", "VIP": "true", "Pet name": "Rex"}
    diff = diff_properties(before, edits)
    assert diff.row("VIP").kind is ChangeKind.UNCHANGED
    assert diff.row("Pet name").kind is ChangeKind.NEW_ATTRIBUTE
    to_send = diff.to_send()
    started = time.time()
    client.set_custom_attributes(ADA, to_send)
    rid = revisions.record(
        account=ACCOUNT, user=ADA, before=before, sent=to_send, started_at=started
    )
    assert sandbox.user_attributes(phone=ADA.phone)["Favorite color"] == "green"

    # Verify by reading back.
    check = verify_sent(to_send, client.get_custom_attributes(phone=ADA.phone))
    assert all(r.status is VerifyStatus.VERIFIED for r in check.rows)

    # The history row of the POST leads to the revision (the Revert action in the history pane).
    posts = [r for r in history.page(0, 10) if r.method == "POST" and r.account == ACCOUNT]
    (post,) = posts
    revision = revisions.for_history(post.id)
    assert revision is not None and revision.id == rid
    assert revision.covers_history(post.id)
    lookup_row = next(r for r in history.page(0, 10) if r.method == "GET")
    assert revisions.for_history(lookup_row.id) is None

    # Revert: preview against the user as they are now, send the prior values back.
    plan = revision.revert_plan()
    assert plan.values == {"Favorite color": "blue", "age": "36"}
    assert plan.cannot_remove == ("Pet name",)
    assert (
        "'Pet name' did not exist on this user before: it cannot be removed through this API"
        in (plan.message())
    )
    now = client.get_custom_attributes(phone=ADA.phone)
    assert plan.changed_since(now, revision.sent) == {}
    preview = plan.preview(now)
    assert {r.name: (r.current, r.new) for r in preview.rows} == {
        "Favorite color": ("green", "blue"),
        "age": ("37", "36"),
    }
    started = time.time()
    client.set_custom_attributes(revision.user_ref(), preview.to_send())
    undo = revisions.record(
        account=ACCOUNT,
        user=revision.user_ref(),
        before=now,
        sent=preview.to_send(),
        started_at=started,
        reverts=rid,
    )
    stored = sandbox.user_attributes(phone=ADA.phone)
    assert stored["Favorite color"] == "blue" and stored["age"] == "36"  # prior values again
    assert stored["Pet name"] == "Rex"  # the new attribute remains, as the plan said
    assert revisions.get(rid).reverted_by == undo
    # Reverting the revert would restore the edit (but not the new attribute, never removed).
    assert revisions.get(undo).revert_plan().values == {"Favorite color": "green", "age": "37"}


def test_history_link_ignores_other_users_and_accounts(
    db: Database, history: HistoryStore, revisions: RevisionStore
) -> None:
    from .test_history_tools import Ex

    mine = history.append(Ex(method="POST", user=ADA.describe(), started_at=50.0), account="A")
    history.append(Ex(method="POST", user="someone else", started_at=50.5), account="A")
    history.append(Ex(method="POST", user=ADA.describe(), started_at=50.6), account="B")
    rid = revisions.record(
        account="A", user=ADA, before={}, sent={"x": "1"}, started_at=49.0, finished_at=51.0
    )
    revision = revisions.get(rid)
    assert (revision.history_first_id, revision.history_last_id) == (mine, mine)
    explicit = revisions.record(
        account="A", user=ADA, before={}, sent={"x": "1"}, started_at=0, history_ids=(7, 9)
    )
    assert revisions.for_history(8).id == explicit
