"""Test helpers for the app's privacy promises: owner-only files and no key anywhere.

Import from any test: ``from tests.privacy import assert_private_tree, find_secret`` (or
relatively, ``from ..privacy import …``). Both walk real files byte by byte; nothing here
knows which component wrote what, so the full-session key search can reuse them as the
window and bulk runner land.
"""

from __future__ import annotations

import base64
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, quote_plus

DIR_MODE = 0o700
FILE_MODE = 0o600


def assert_private_tree(root: Path, *, include_root: bool = True) -> list[Path]:
    """Assert every folder under `root` is 0700 and every file 0600 (POSIX); return what was
    checked. Symbolic links are refused: the app never makes them, and one could point
    outside. `include_root=False` skips `root` itself (e.g. a pytest tmp folder)."""
    root = Path(root)
    assert root.is_dir(), f"{root} is not a folder"
    checked: list[Path] = []
    problems: list[str] = []
    if os.name == "nt":  # ACLs, not mode bits, protect files there
        return checked
    entries: list[Path] = [root] if include_root else []
    for directory, dirnames, filenames in os.walk(root):
        entries += [Path(directory, name) for name in (*dirnames, *filenames)]
    for path in entries:
        info = path.lstat()
        mode = stat.S_IMODE(info.st_mode)
        if stat.S_ISLNK(info.st_mode):
            problems.append(f"{path}: symbolic link")
        elif stat.S_ISDIR(info.st_mode) and mode != DIR_MODE:
            problems.append(f"{path}: folder mode {mode:04o}, expected {DIR_MODE:04o}")
        elif stat.S_ISREG(info.st_mode) and mode != FILE_MODE:
            problems.append(f"{path}: file mode {mode:04o}, expected {FILE_MODE:04o}")
        elif not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
            problems.append(f"{path}: not a regular file or folder")
        checked.append(path)
    assert not problems, "not owner-only:\n" + "\n".join(problems)
    return checked


def secret_forms(secret: str) -> dict[str, bytes]:
    """Every byte spelling of `secret` worth searching for, by name.

    Raw (UTF-8 and UTF-16, as SQLite or Windows tools may store it), percent-encoded (both hex
    cases, also form-encoded), JSON-escaped ("\\/"), and base64/base64url at each of the three
    alignments it can take inside a longer encoded value (edge characters shared with
    neighbouring bytes left out).
    """
    raw = secret.encode("utf-8")
    forms = {
        "raw": raw,
        "utf-16-le": secret.encode("utf-16-le"),
        "percent": quote(secret, safe="").encode(),
        "percent-lower": _lower_hex(quote(secret, safe="")).encode(),
        "form": quote_plus(secret).encode(),
        "json-escaped": secret.replace("/", "\\/").encode(),
    }
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw)
        core = encoded[4 if offset else 0 : -4]
        forms[f"base64@{offset}"] = core
        forms[f"base64url@{offset}"] = core.replace(b"+", b"-").replace(b"/", b"_")
    return {name: form for name, form in forms.items() if len(form) >= 8}


def _lower_hex(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda match: match.group().lower(), text)


def find_secret(paths: Iterable[Path | str], secret: str) -> list[str]:
    """Every place `secret` occurs in the files under `paths` (files or folders, walked
    recursively), as "<file>: <form>" strings; empty when the secret is nowhere.

    Matching is case-sensitive on the raw bytes except percent-encodings (both hex cases are
    tried). Files are read whole; the app's files are small enough. Unreadable files are
    reported as hits ("<file>: unreadable") so that a search never passes by not looking.
    """
    forms = secret_forms(secret)
    hits: list[str] = []
    for path in _files(paths):
        try:
            data = path.read_bytes()
        except OSError as exc:
            hits.append(f"{path}: unreadable ({exc.strerror})")
            continue
        hits.extend(f"{path}: {name}" for name, form in forms.items() if form in data)
    return hits


def _files(paths: Iterable[Path | str]) -> list[Path]:
    found: list[Path] = []
    for entry in paths:
        entry = Path(entry)
        if entry.is_dir():
            for directory, _dirnames, filenames in os.walk(entry):
                found += [Path(directory, name) for name in filenames]
        elif entry.exists():
            found.append(entry)
    return sorted(found)
