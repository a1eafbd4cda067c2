"""The revert journal: every send to a looked-up user, with the values it replaced.

A `Revision` is written after a successful send to a user whose attributes were looked up
first (without a lookup there is nothing known to put back). It keeps the account, the user
(label and the `user` JSON sent), when, what was sent, the prior values of attributes that
existed (`prior`) and the attributes the send created on the user (`new_attributes`, which
the API cannot remove). `Revision.revert_plan()` is what "Revert" sends back.

Link to the history: a revision covers the history rows `history_first_id..history_last_id`
(the POST attempts of that send, retries included). `record` finds them by itself when not
given: the POST /attributes/custom rows of the same account and user label that started
within the send's time window. `for_history(record_id)` answers "is there a revision for this
history row?" for the history pane's Revert action. (An explicit send id carried by the api's
Exchange would make this exact; see the report of issue 7.)
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from attentive_desktop.core.diff import Attributes, RevertPlan, attribute_dict, revert_plan
from attentive_desktop.core.identifiers import UserRef

from .database import Database
from .history import SECONDS_PER_DAY, current_os_user

ATTRIBUTES_ENDPOINT = "/attributes/custom"
_COLUMNS = (
    "id, account, user_label, user_json, started_at, finished_at, sent_json, prior_json, "
    "new_attributes_json, history_first_id, history_last_id, reverts, os_user"
)


@dataclass(frozen=True)
class Revision:
    """One recorded send. `prior`: name → value replaced; `new_attributes`: names created.

    `reverts` is the id of the revision this send undid (None for an ordinary send);
    `reverted_by` the id of a later revision that undid this one (None if not reverted).
    """

    id: int
    account: str
    user_label: str
    user_json: dict[str, Any]
    started_at: float
    finished_at: float
    sent: dict[str, str]
    prior: dict[str, str]
    new_attributes: tuple[str, ...]
    history_first_id: int | None
    history_last_id: int | None
    reverts: int | None
    os_user: str
    reverted_by: int | None = None

    def revert_plan(self) -> RevertPlan:
        """What Revert sends back (`values`) and what it cannot remove (`cannot_remove`)."""
        return RevertPlan(dict(self.prior), self.new_attributes)

    def user_ref(self) -> UserRef:
        """The user as a UserRef, to look them up and send the revert to."""
        external = self.user_json.get("externalIdentifiers") or {}
        customs = [(c["name"], c["value"]) for c in external.get("customIdentifiers", [])]
        return UserRef.parse(
            phone=self.user_json.get("phone"),
            email=self.user_json.get("email"),
            client_user_id=external.get("clientUserId"),
            custom_identifiers=customs,
        )

    def covers_history(self, record_id: int) -> bool:
        """Whether history row `record_id` is one of this send's attempts."""
        first, last = self.history_first_id, self.history_last_id
        return first is not None and last is not None and first <= record_id <= last


class RevisionStore:
    """Record sends and read them back (newest first). Thread-safe like `Database`."""

    def __init__(self, db: Database, *, os_user: str | None = None) -> None:
        self._db = db
        self.os_user = current_os_user() if os_user is None else os_user

    def record(
        self,
        *,
        account: str,
        user: UserRef,
        before: Attributes,
        sent: Mapping[str, str],
        started_at: float,
        finished_at: float | None = None,
        reverts: int | None = None,
        history_ids: tuple[int, int] | None = None,
    ) -> int:
        """Store a successful send and return its revision id.

        `before`: the user's attributes as looked up before the send; `sent`: the properties
        sent (wire strings); `started_at`/`finished_at`: epoch seconds around the send
        (finished defaults to now). `reverts`: the revision this send undid, if it was a
        revert. `history_ids`: (first, last) history ids of the send's attempts; found from
        the history by account, user and time when None.
        """
        finished = time.time() if finished_at is None else float(finished_at)
        plan = revert_plan(before, sent)
        label = user.describe()
        sent_wire = {str(k): str(v) for k, v in sent.items()}
        with self._db.transaction() as conn:
            if history_ids is None:
                row = conn.execute(
                    "SELECT min(id), max(id) FROM history WHERE account = ? AND user = ? "
                    "AND method = 'POST' AND endpoint = ? AND started_at BETWEEN ? AND ?",
                    (account, label, ATTRIBUTES_ENDPOINT, float(started_at), finished),
                ).fetchone()
                history_ids = (row[0], row[1]) if row[0] is not None else None
            cursor = conn.execute(
                "INSERT INTO revisions (account, user_label, user_json, started_at, "
                "finished_at, sent_json, prior_json, new_attributes_json, history_first_id, "
                "history_last_id, reverts, os_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    account,
                    label,
                    _dump(user.to_user_json()),
                    float(started_at),
                    finished,
                    _dump(sent_wire),
                    _dump(plan.values),
                    _dump(list(plan.cannot_remove)),
                    history_ids[0] if history_ids else None,
                    history_ids[1] if history_ids else None,
                    reverts,
                    self.os_user,
                ),
            )
            revision_id = cursor.lastrowid
        assert revision_id is not None
        return revision_id

    def get(self, revision_id: int) -> Revision | None:
        """One revision, or None."""
        found = self._select("WHERE r.id = ?", (int(revision_id),))
        return found[0] if found else None

    def list(
        self,
        *,
        account: str | None = None,
        user_label: str | None = None,
        before_id: int | None = None,
        limit: int = 100,
    ) -> list[Revision]:
        """Revisions newest first, optionally for one account and/or user label."""
        clauses, params = [], []
        for column, value in (("account", account), ("user_label", user_label)):
            if value is not None:
                clauses.append(f"r.{column} = ?")
                params.append(value)
        if before_id is not None:
            clauses.append("r.id < ?")
            params.append(int(before_id))
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        params.append(max(0, int(limit)))
        return self._select(f"{where} ORDER BY r.id DESC LIMIT ?", tuple(params))

    def latest_for_user(self, account: str, user_label: str) -> Revision | None:
        """The newest revision for that user in that account, or None."""
        found = self.list(account=account, user_label=user_label, limit=1)
        return found[0] if found else None

    def for_history(self, record_id: int) -> Revision | None:
        """The revision whose send includes history row `record_id`, or None."""
        found = self._select(
            "WHERE r.history_last_id >= ? AND r.history_first_id <= ? ORDER BY r.id DESC LIMIT 1",
            (int(record_id), int(record_id)),
        )
        return found[0] if found else None

    def prune(self, older_than_days: float, *, now: float | None = None) -> int:
        """Delete revisions older than `older_than_days` days; returns how many."""
        if older_than_days < 0:
            raise ValueError("Keep revisions for zero or more days.")
        cutoff = (time.time() if now is None else now) - older_than_days * SECONDS_PER_DAY
        with self._db.transaction() as conn:
            return conn.execute("DELETE FROM revisions WHERE started_at < ?", (cutoff,)).rowcount

    def clear(self) -> None:
        """Delete every revision."""
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM revisions")

    def _select(self, tail: str, params: tuple[object, ...]) -> list[Revision]:
        columns = ", ".join(f"r.{c.strip()}" for c in _COLUMNS.split(","))
        sql = (
            f"SELECT {columns}, (SELECT max(x.id) FROM revisions AS x WHERE x.reverts = r.id) "
            f"FROM revisions AS r {tail}"
        )
        return [_revision(row) for row in self._db.connect().execute(sql, params).fetchall()]


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _revision(row: tuple) -> Revision:
    (rid, account, label, user_json, started, finished, sent, prior, created) = row[:9]
    first, last, reverts, os_user, reverted_by = row[9:]
    return Revision(
        id=rid,
        account=account,
        user_label=label,
        user_json=json.loads(user_json),
        started_at=started,
        finished_at=finished,
        sent=attribute_dict(json.loads(sent)),
        prior=attribute_dict(json.loads(prior)),
        new_attributes=tuple(json.loads(created)),
        history_first_id=first,
        history_last_id=last,
        reverts=reverts,
        os_user=os_user,
        reverted_by=reverted_by,
    )
