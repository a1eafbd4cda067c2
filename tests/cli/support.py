"""Helpers for the command-line tests: CLI subprocesses and CSV files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a CLI subprocess (this test's private home, no real keychain)."""
    env = dict(os.environ)
    env.pop("ATTENTIVE_API_KEY", None)
    env.update(extra)
    return env


def spawn_cli(*argv: str, env: dict[str, str] | None = None, **options) -> subprocess.Popen:
    """Start ``python -m attentive_desktop.cli ARGV`` in a subprocess."""
    options.setdefault("stdout", subprocess.PIPE)
    options.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen(
        [sys.executable, "-m", "attentive_desktop.cli", *argv],
        cwd=ROOT,
        env=env if env is not None else cli_env(),
        **options,
    )


def write_numbered(path: Path, count: int, start: int = 3000) -> Path:
    """A CSV of ``count`` rows: phone (+1415555NNNN), VIP=true, points=<index>."""
    lines = ["phone,VIP,points"] + [f"+1415555{start + i:04d},true,{i}" for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
