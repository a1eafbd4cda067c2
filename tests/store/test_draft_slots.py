"""DraftStore.load_all: the drafts set aside by earlier sessions, each in a slot of its own."""

from __future__ import annotations

from attentive_desktop.store.database import Database
from attentive_desktop.store.drafts import Draft, DraftStore


def draft(phone: str, updated_at: float) -> Draft:
    return Draft(
        account="Shop",
        identifiers={"phone": phone},
        custom_identifiers=(),
        rows=(("Favorite color", "teal"),),
        updated_at=updated_at,
    )


def test_every_slot_of_the_prefix_comes_back_oldest_first_and_no_other(tmp_path):
    with Database(tmp_path / "drafts.sqlite3") as db:
        store = DraftStore(db)
        store.save(draft("+14155550102", 30.0), "previous-300")
        store.save(draft("+14155550100", 10.0), "previous")  # the one slot of earlier builds
        store.save(draft("+14155550101", 20.0), "previous-200")
        store.save(draft("+14155550199", 5.0))  # the editor's own slot
        store.save(draft("+14155550198", 1.0), "previously")  # shares the letters only

        found = store.load_all("previous")

    assert [slot for slot, _draft in found] == ["previous", "previous-200", "previous-300"]
    assert [d.identifiers["phone"] for _slot, d in found] == [
        "+14155550100",
        "+14155550101",
        "+14155550102",
    ]


def test_clearing_one_slot_leaves_the_others(tmp_path):
    with Database(tmp_path / "drafts.sqlite3") as db:
        store = DraftStore(db)
        store.save(draft("+14155550100", 10.0), "previous-1")
        store.save(draft("+14155550101", 20.0), "previous-2")
        store.clear("previous-1")
        assert [slot for slot, _draft in store.load_all("previous")] == ["previous-2"]
