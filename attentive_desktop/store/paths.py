"""Where the app keeps its files, and making those places owner-only."""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_DIR_NAME = "attentive-desktop"
HOME_ENV = "ATTENTIVE_DESKTOP_HOME"
DIR_MODE = 0o700
FILE_MODE = 0o600


@dataclass(frozen=True)
class AppPaths:
    """The data directory (database) and config directory (settings) of the app.

    `ATTENTIVE_DESKTOP_HOME` overrides both (tests, portable use); otherwise platformdirs decides.
    On macOS platformdirs puts both in the same folder, which is fine: file names differ.
    """

    data_dir: Path
    config_dir: Path

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> AppPaths:
        """Build the paths from `ATTENTIVE_DESKTOP_HOME`, else from the platform's conventions."""
        env = os.environ if environ is None else environ
        home = env.get(HOME_ENV, "").strip()
        if home:
            base = Path(home).expanduser().absolute()
            return cls(data_dir=base / "data", config_dir=base / "config")
        # Imported here: only needed when no override is set, and it keeps start-up lean.
        import platformdirs

        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False)),
        )

    def ensure(self) -> AppPaths:
        """Create both directories if needed and make them owner-only (0700). Returns self."""
        for directory in (self.data_dir, self.config_dir):
            ensure_private_dir(directory)
        return self

    @property
    def database(self) -> Path:
        """The SQLite database holding history, accounts and the schema catalog."""
        return self.data_dir / "attentive-desktop.sqlite3"

    @property
    def settings_file(self) -> Path:
        """The JSON settings file."""
        return self.config_dir / "settings.json"


def ensure_private_dir(directory: Path) -> None:
    """Create `directory` and any missing parents owner-only (0700), and set `directory` to 0700.

    `mkdir(mode=...)` is filtered by the umask and `parents=True` ignores the mode for parents,
    so each folder this creates is made one by one and chmod-ed. Parents that already existed keep
    their mode: they may be the user's own folders. On Windows chmod only toggles read-only; the
    profile ACLs protect files.
    """
    missing: list[Path] = []
    probe = directory
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        if os.name != "nt":
            os.chmod(folder, DIR_MODE)
    if not directory.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "exists and is not a folder", str(directory))
    if os.name != "nt":
        os.chmod(directory, DIR_MODE)


def create_private_file(path: Path) -> None:
    """Create `path` if missing with mode 0600, and tighten it to 0600 if it already exists.

    Uses `os.open(..., 0o600)` so the file is never, even briefly, readable by others; the umask
    can only remove bits, and the explicit chmod repairs a file made looser by an older version.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    os.close(fd)
    if os.name != "nt":
        os.chmod(path, FILE_MODE)
