"""The editor's unsent draft, kept in the app database so a crash never loses an edit.

The window saves a `Draft` (who, and the rows name/value) whenever the edit changes and just
before a send; it clears it once the send went through. At start-up a draft left behind means
the app stopped with an edit not yet sent (or not yet confirmed): the window offers it back.
No API key is ever stored here.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from .database import Database

EDITOR_SLOT = "editor"
EDITING = "editing"
SENDING = "sending"
DRAFT_STATES = (EDITING, SENDING)
"""editing: typed, not sent yet; sending: Send was pressed and no confirmation came back."""

IDENTIFIER_KEYS = ("phone", "email", "client_user_id")


@dataclass(frozen=True)
class Draft:
    """An edit in the window: the account name, the identifiers as typed, the rows.

    `identifiers` holds "phone", "email", "client_user_id" (text as typed, blanks left out);
    `custom_identifiers` and `rows` are (name, value) pairs in order.
    """

    account: str = ""
    identifiers: dict[str, str] = field(default_factory=dict)
    custom_identifiers: tuple[tuple[str, str], ...] = ()
    rows: tuple[tuple[str, str], ...] = ()
    state: str = EDITING
    updated_at: float = 0.0

    @property
    def is_empty(self) -> bool:
        """True when nothing was typed: no identifier and no row with a name or value."""
        return not any(v.strip() for v in self.identifiers.values()) and not any(
            n.strip() or v.strip() for n, v in (*self.custom_identifiers, *self.rows)
        )

    def content(self) -> tuple[object, ...]:
        """What the user typed, for comparing two drafts (state and time left out)."""
        ids = tuple(sorted((k, v) for k, v in self.identifiers.items() if v.strip()))
        return ids, self.custom_identifiers, self.rows

    def describe(self) -> str:
        """Who the edit is for, as typed: phone, else email, else an external identifier."""
        for key in IDENTIFIER_KEYS:
            value = self.identifiers.get(key, "").strip()
            if value:
                return value
        for name, value in self.custom_identifiers:
            if value.strip():
                return f"{name.strip()} {value.strip()}".strip()
        return "a user not named yet"


class DraftStore:
    """Saves, loads and clears drafts; safe to call from any thread (own connection each)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def save(self, draft: Draft, slot: str = EDITOR_SLOT) -> None:
        """Keep `draft` (replacing the slot's previous one) in one commit."""
        if draft.state not in DRAFT_STATES:
            raise ValueError(f"unknown draft state {draft.state!r}")
        user = {
            "identifiers": {k: v for k, v in draft.identifiers.items() if k in IDENTIFIER_KEYS},
            "custom": [list(pair) for pair in draft.custom_identifiers],
        }
        rows = [list(pair) for pair in draft.rows]
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO drafts (slot, account, user_json, rows_json, state, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (slot) DO UPDATE SET "
                "account = excluded.account, user_json = excluded.user_json, "
                "rows_json = excluded.rows_json, state = excluded.state, "
                "updated_at = excluded.updated_at",
                (
                    slot,
                    draft.account,
                    json.dumps(user, ensure_ascii=False),
                    json.dumps(rows, ensure_ascii=False),
                    draft.state,
                    draft.updated_at or time.time(),
                ),
            )

    def load(self, slot: str = EDITOR_SLOT) -> Draft | None:
        """The slot's draft, or None (also None for a row that cannot be understood)."""
        row = (
            self._db.connect()
            .execute(
                "SELECT account, user_json, rows_json, state, updated_at FROM drafts "
                "WHERE slot = ?",
                (slot,),
            )
            .fetchone()
        )
        if row is None:
            return None
        account, user_json, rows_json, state, updated_at = row
        try:
            user = json.loads(user_json)
            identifiers = {
                str(k): str(v)
                for k, v in dict(user.get("identifiers", {})).items()
                if k in IDENTIFIER_KEYS
            }
            custom = tuple((str(n), str(v)) for n, v in user.get("custom", []))
            rows = tuple((str(n), str(v)) for n, v in json.loads(rows_json))
        except (ValueError, TypeError, AttributeError):
            return None
        return Draft(
            account=str(account),
            identifiers=identifiers,
            custom_identifiers=custom,
            rows=rows,
            state=state if state in DRAFT_STATES else EDITING,
            updated_at=float(updated_at),
        )

    def load_all(self, prefix: str) -> list[tuple[str, Draft]]:
        """Every readable draft in slot ``prefix`` or in a slot named ``prefix-…``, as
        (slot, draft) pairs, oldest first."""
        slots = (
            self._db.connect()
            .execute(
                "SELECT slot FROM drafts WHERE slot = ?1 OR substr(slot, 1, length(?1) + 1) = "
                "?1 || '-' ORDER BY updated_at, slot",
                (prefix,),
            )
            .fetchall()
        )
        found = [(slot, self.load(slot)) for (slot,) in slots]
        return [(slot, draft) for slot, draft in found if draft is not None]

    def clear(self, slot: str = EDITOR_SLOT) -> None:
        """Forget the slot's draft (nothing happens if there is none)."""
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM drafts WHERE slot = ?", (slot,))
