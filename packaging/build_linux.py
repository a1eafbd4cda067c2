"""Build the Linux bundle and its tarball: what `make package` runs.

    .venv/bin/python packaging/build_linux.py                 # dist/attentive-desktop/ + tarball
    .venv/bin/python packaging/build_linux.py --bundle-only   # just dist/attentive-desktop/
    .venv/bin/python packaging/build_linux.py --clean         # ignore PyInstaller's cache

The tarball, dist/attentive-desktop-<version>-linux-<arch>.tar.gz, holds one folder:
attentive-desktop/ (the bundle), share/applications/attentive-desktop.desktop,
share/icons/hicolor/*/apps/attentive-desktop.{png,svg}, install.sh and INSTALL.txt.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import platform
import subprocess
import sys
import tarfile
import time
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
SPEC = PACKAGING / "attentive_desktop.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
RESOURCES = ROOT / "resources"
ICON_SVG = ROOT / "attentive_desktop" / "resources" / "attentive-desktop.svg"
APP_NAME = "attentive-desktop"


def package_version() -> str:
    """attentive_desktop.__version__, read without importing the app."""
    spec = importlib.util.spec_from_file_location(
        "_attentive_desktop_meta", ROOT / "attentive_desktop" / "__init__.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.__version__)


def tarball_path(version: str, arch: str | None = None) -> Path:
    """dist/attentive-desktop-<version>-linux-<arch>.tar.gz"""
    return DIST / f"{APP_NAME}-{version}-linux-{arch or platform.machine()}.tar.gz"


def build_bundle(*, clean: bool = False) -> Path:
    """Run PyInstaller on the spec; returns dist/attentive-desktop."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(DIST), "--workpath", str(WORK)]
    if clean:
        command.append("--clean")
    started = time.monotonic()
    subprocess.run([*command, str(SPEC)], check=True, cwd=ROOT)
    bundle = DIST / APP_NAME
    if not os.access(bundle / APP_NAME, os.X_OK):
        raise SystemExit(f"PyInstaller made no executable {bundle / APP_NAME}")
    print(f"bundle: {bundle.relative_to(ROOT)} in {time.monotonic() - started:.0f} s")
    return bundle


def _reset_owner(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if info.isdir() or info.mode & 0o111:
        info.mode = 0o755
    else:
        info.mode = 0o644
    return info


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    info.mtime = int(time.time())
    tar.addfile(info, io.BytesIO(data))


def glibc_version() -> str:
    """The build machine's glibc: the oldest the bundle runs on."""
    name, version = platform.libc_ver()
    return version if name == "glibc" and version else "(unknown)"


def make_tarball(bundle: Path, version: str) -> Path:
    """Pack the bundle, the .desktop file, the icons, install.sh and INSTALL.txt."""
    arch = platform.machine()
    target = tarball_path(version, arch)
    top = f"{APP_NAME}-{version}-linux-{arch}"
    note = (PACKAGING / "linux" / "INSTALL.txt").read_text(encoding="utf-8")
    note = note.format(version=version, arch=arch, glibc=glibc_version())
    partial = target.with_name(target.name + ".part")
    started = time.monotonic()
    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=f"{top}/{APP_NAME}", filter=_reset_owner)
        tar.add(
            RESOURCES / f"{APP_NAME}.desktop",
            arcname=f"{top}/share/applications/{APP_NAME}.desktop",
            filter=_reset_owner,
        )
        tar.add(RESOURCES / "icons" / "hicolor", f"{top}/share/icons/hicolor", filter=_reset_owner)
        tar.add(
            ICON_SVG,
            arcname=f"{top}/share/icons/hicolor/scalable/apps/{APP_NAME}.svg",
            filter=_reset_owner,
        )
        tar.add(PACKAGING / "linux" / "install.sh", f"{top}/install.sh", filter=_reset_owner)
        _add_bytes(tar, f"{top}/INSTALL.txt", note.encode("utf-8"))
    partial.replace(target)
    size = target.stat().st_size / 1e6
    print(
        f"tarball: {target.relative_to(ROOT)} ({size:.1f} MB) in {time.monotonic() - started:.0f} s"
    )
    return target


def main(argv: list[str] | None = None) -> int:
    """Build the bundle and (unless --bundle-only) the tarball."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle-only", action="store_true", help="skip the tarball")
    parser.add_argument("--clean", action="store_true", help="rebuild PyInstaller's cache")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        raise SystemExit("build_linux.py builds the Linux bundle; see packaging/README.md")
    bundle = build_bundle(clean=args.clean)
    if not args.bundle_only:
        make_tarball(bundle, package_version())
    return 0


if __name__ == "__main__":
    sys.exit(main())
