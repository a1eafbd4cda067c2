"""Opening the database whatever state it is in: the app always starts.

A damaged file is moved aside (with its -wal/-shm/-journal files) and a fresh database takes
its place; when even that is impossible (read-only or full disk, a newer app's database, a
locked file) the session runs on a temporary database. Either way the caller gets a
`RecoveryNotice` to show, and nothing the user had is deleted.

Damage deep inside the file only shows when every page is read (SQLite's quick check: ~0.3 s
for 100,000 requests of history). The window does not wait for that: it opens the file
unchecked and runs `check_for_damage` in the background once it is up. Damage found then
leaves a mark beside the file (`damage_mark`), and the next start sets the file aside as if
its own check had found it.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .database import Database
from .errors import DatabaseCorruptError, DatabaseVersionError, StoreError, StoreWriteError
from .paths import AppPaths, create_private_file

SIDECARS = ("-wal", "-shm", "-journal")
DAMAGE_MARK_SUFFIX = ".damaged"
TEMPORARY_PREFIX = "attentive-desktop-session-"


@dataclass(frozen=True)
class RecoveryNotice:
    """What went wrong with the database at start-up, in words for the window.

    `kind` "moved-aside": the damaged file (and its sidecars) now lives at `moved_to` and a
    fresh database is in use. `kind` "temporary": the database in use lives in
    `temporary_dir` and is lost at exit (call `discard()` after closing it). `title` is a few
    words for a banner, `message` the full explanation; `detail` is the technical reason for a
    "Details" box or the log.
    """

    kind: Literal["moved-aside", "temporary"]
    title: str
    message: str
    moved_to: tuple[Path, ...] = ()
    temporary_dir: Path | None = None
    detail: str = field(default="", compare=False)

    def discard(self) -> None:
        """Delete the temporary database folder, if any (close the Database first)."""
        if self.temporary_dir is not None:
            shutil.rmtree(self.temporary_dir, ignore_errors=True)


def _utc_stamp() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def open_database_with_recovery(
    paths: AppPaths,
    *,
    verify: bool = True,
    stamp: Callable[[], str] = _utc_stamp,
    temporary_root: Path | None = None,
    open_database: Callable[..., Database] = Database,
) -> tuple[Database, RecoveryNotice | None]:
    """Open `paths.database`, recovering from a damaged or unusable file. Raises only when
    not even a temporary database can be made (the system temp folder is unusable too).

    `verify` runs SQLite's quick check on open so damage deep in the file is found now rather
    than mid-session (it reads the whole file once). `stamp` names the moved-aside file
    (UTC, e.g. "20250101T120000Z"); `temporary_root` is where a temporary database goes
    (default: the system temp folder); `open_database` is a seam for tests. A file that an
    earlier session's `check_for_damage` marked damaged is set aside without opening it.
    """
    damage = found_damage(paths.database)
    if damage is None:
        try:
            return open_database(paths.database, verify=verify), None
        except DatabaseCorruptError as exc:
            damage = str(exc)
        except DatabaseVersionError as exc:
            return _temporary(
                "This history was made by a newer version",
                "Your history and accounts were saved by a newer version of Attentive Desktop, "
                "so this version cannot use them; they are left untouched. Until you update, "
                "this session's history is kept only until you quit.",
                str(exc),
                temporary_root,
                open_database,
            )
        except (StoreError, OSError, sqlite3.Error) as exc:
            return _unusable(paths, exc, temporary_root, open_database)
    try:
        moved = move_aside(paths.database, stamp())
    except OSError as exc:
        return _unusable(paths, exc, temporary_root, open_database, damage)
    with contextlib.suppress(OSError):
        damage_mark(paths.database).unlink(missing_ok=True)
    try:
        database = open_database(paths.database, verify=False)
    except (StoreError, OSError, sqlite3.Error) as exc:
        return _unusable(paths, exc, temporary_root, open_database, damage)
    return database, RecoveryNotice(
        kind="moved-aside",
        title="The history file was damaged",
        message=(
            "Attentive Desktop's database was damaged and could not be read, so it was moved "
            f"aside to {moved[0]} and a new, empty one was started. Your saved accounts and "
            "request history from before are in the old file; API keys are in the system "
            "keychain and were not affected. Add your accounts again to carry on."
        ),
        moved_to=moved,
        detail=damage,
    )


def damage_mark(database: Path) -> Path:
    """The file beside `database` that says a check found it damaged ("….sqlite3.damaged")."""
    return database.with_name(database.name + DAMAGE_MARK_SUFFIX)


def check_for_damage(database: Database) -> str | None:
    """Run SQLite's quick check on the calling thread's connection; it reads the whole file, so
    the window runs it in the background. On damage, mark the file (`damage_mark`) so that the
    next start sets it aside, and return what is wrong. None when every page is sound, or when
    the check could not run at all (the database was closed meanwhile, a locked file)."""
    try:
        database.verify()
    except DatabaseCorruptError as exc:
        damage = str(exc)
        mark = damage_mark(database.path)
        with contextlib.suppress(OSError):  # unwritable folder: the next start cannot move it
            create_private_file(mark)
            mark.write_text(damage, encoding="utf-8")
        return damage
    except (StoreError, sqlite3.Error):
        return None
    return None


class DamageCheck:
    """`check_for_damage(database)` as a job for a worker thread that `interrupt()`, called
    from any thread, stops early (the window quits during the check): it then finds nothing."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._running: sqlite3.Connection | None = None

    def __call__(self) -> str | None:
        try:
            self._running = self._database.connect()  # the calling thread's connection
        except StoreError:  # closed meanwhile: no verdict
            return None
        try:
            return check_for_damage(self._database)
        finally:
            self._running = None

    def interrupt(self) -> None:
        """Abort a check in progress (a no-op when none runs)."""
        running = self._running
        if running is not None:
            running.interrupt()


def found_damage(database: Path) -> str | None:
    """What a check in an earlier session found wrong with `database` (its damage mark), or
    None. A mark whose database is gone is stale and is removed."""
    mark = damage_mark(database)
    try:
        damage = mark.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        damage = ""
    if not database.is_file():
        with contextlib.suppress(OSError):
            mark.unlink()
        return None
    return damage or f"The database {database} was found damaged."


def move_aside(database: Path, stamp: str) -> tuple[Path, ...]:
    """Rename `database` to "<name>.corrupt-<stamp>" and each sidecar to match ("…-wal"), so
    SQLite would still pair them. Returns the new paths, the database first. A name already
    taken gets a counter ("….corrupt-<stamp>-2")."""
    base = f"{database.name}.corrupt-{stamp}"
    target = database.with_name(base)
    counter = 2
    while any(target.with_name(target.name + suffix).exists() for suffix in ("", *SIDECARS)):
        target = database.with_name(f"{base}-{counter}")
        counter += 1
    moved = []
    if database.exists():
        os.replace(database, target)
        moved.append(target)
    for suffix in SIDECARS:
        sidecar = database.with_name(database.name + suffix)
        if sidecar.exists():
            destination = target.with_name(target.name + suffix)
            os.replace(sidecar, destination)
            moved.append(destination)
    return tuple(moved)


def _unusable(
    paths: AppPaths,
    exc: BaseException,
    temporary_root: Path | None,
    open_database: Callable[..., Database],
    damage: str = "",
) -> tuple[Database, RecoveryNotice]:
    if isinstance(exc, StoreWriteError):
        why = str(exc)
    else:
        why = f"Attentive Desktop can't use its data folder {paths.data_dir}."
    if damage:
        why = "The database was damaged, and it could not be set aside: " + why
    detail = "; ".join(part for part in (damage, f"{type(exc).__name__}: {exc}") if part)
    return _temporary(
        "History is not being saved",
        f"{why} Until this is fixed, this session's history and accounts are kept only until "
        "you quit. Free some disk space or check the folder's permissions, then restart.",
        detail,
        temporary_root,
        open_database,
    )


def _temporary(
    title: str,
    message: str,
    detail: str,
    temporary_root: Path | None,
    open_database: Callable[..., Database],
) -> tuple[Database, RecoveryNotice]:
    # mkdtemp makes the folder owner-only (0700); the database inside is 0600 as always.
    if temporary_root is not None:
        temporary_root.mkdir(parents=True, exist_ok=True)
    import tempfile  # only on this rare path: start-up stays lean

    directory = Path(tempfile.mkdtemp(prefix=TEMPORARY_PREFIX, dir=temporary_root))
    database = open_database(directory / "attentive-desktop.sqlite3", verify=False)
    notice = RecoveryNotice(
        kind="temporary",
        title=title,
        message=message,
        temporary_dir=directory,
        detail=detail,
    )
    return database, notice
