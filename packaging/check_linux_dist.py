"""Check what `make package` made (run by .ci/run after the build).

    .venv/bin/python packaging/check_linux_dist.py

The tarball must hold the bundle, the .desktop file, every icon size, install.sh and
INSTALL.txt; then it is unpacked, installed into a scratch prefix with install.sh, the
installed launcher must pass --self-test, and --uninstall must remove it all again.
"""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# build_linux and make_icons live next to this script ("packaging" is a PyPI name)
from build_linux import APP_NAME, package_version, tarball_path
from make_icons import LINUX_SIZES

REQUIRED_DESKTOP_KEYS = ("Name", "Comment", "Exec", "Icon", "Categories", "Terminal")


def parse_desktop_entry(text: str) -> dict[str, str]:
    """The [Desktop Entry] group of a .desktop file (keys are case-sensitive)."""
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return dict(parser["Desktop Entry"])


def fail(message: str) -> None:
    """Stop with a message naming what is wrong."""
    raise SystemExit(f"check_linux_dist: {message}")


def check_members(tar: tarfile.TarFile, top: str, version: str) -> None:
    """Everything the tarball promises is there, with the right modes."""
    members = {member.name: member for member in tar.getmembers()}
    expected_exec = [f"{top}/{APP_NAME}/{APP_NAME}", f"{top}/install.sh"]
    expected = [
        *expected_exec,
        f"{top}/INSTALL.txt",
        f"{top}/share/applications/{APP_NAME}.desktop",
        f"{top}/share/icons/hicolor/scalable/apps/{APP_NAME}.svg",
        *(f"{top}/share/icons/hicolor/{n}x{n}/apps/{APP_NAME}.png" for n in LINUX_SIZES),
        f"{top}/{APP_NAME}/_internal/attentive_desktop/resources/{APP_NAME}.svg",
    ]
    missing = [name for name in expected if name not in members]
    if missing:
        fail(f"the tarball lacks {', '.join(missing)}")
    for name in expected_exec:
        if not members[name].mode & 0o111:
            fail(f"{name} is not executable in the tarball")
    if any(member.name.split("/")[0] != top for member in members.values()):
        fail(f"every file must sit under {top}/")
    note = tar.extractfile(members[f"{top}/INSTALL.txt"])
    if note is None or version not in note.read().decode("utf-8"):
        fail("INSTALL.txt does not name the version")


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a command with a time limit; fail with its output when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        fail(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return result


def check_install(tarball: Path, top: str, version: str) -> None:
    """install.sh into a scratch prefix, run the installed app, then uninstall."""
    with tempfile.TemporaryDirectory(prefix="attentive-dist-") as scratch:
        root = Path(scratch)
        with tarfile.open(tarball) as tar:
            tar.extractall(root / "unpacked", filter="tar")
        prefix = root / "prefix"
        run(["sh", str(root / "unpacked" / top / "install.sh"), "--prefix", str(prefix)])
        launcher = prefix / "bin" / APP_NAME
        desktop = parse_desktop_entry(
            (prefix / "share" / "applications" / f"{APP_NAME}.desktop").read_text("utf-8")
        )
        if desktop["Exec"] != str(launcher):
            fail(f"the installed menu entry runs {desktop['Exec']!r}, not {launcher}")
        for size in LINUX_SIZES:
            icon = prefix / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
            if not (icon / f"{APP_NAME}.png").is_file():
                fail(f"install.sh did not install the {size}px icon")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ATTENTIVE_DESKTOP_HOME=str(root))
        result = run([str(launcher), "--self-test"], env=env)
        if version not in result.stdout:
            fail(f"the installed app's --self-test did not print {version}: {result.stdout}")
        run(["sh", str(root / "unpacked" / top / "install.sh"), "--prefix", str(prefix)])
        run(
            [
                "sh",
                str(root / "unpacked" / top / "install.sh"),
                "--uninstall",
                "--prefix",
                str(prefix),
            ]
        )
        left = [p for p in prefix.rglob("*") if p.is_file() or p.is_symlink()]
        if left:
            fail(f"--uninstall left {', '.join(str(p.relative_to(prefix)) for p in left)}")


def main() -> int:
    """Check the tarball and an install from it."""
    version = package_version()
    tarball = tarball_path(version)
    if not tarball.is_file():
        fail(f"{tarball} is missing: run make package")
    top = tarball.name.removesuffix(".tar.gz")
    with tarfile.open(tarball) as tar:
        check_members(tar, top, version)
        entry = tar.extractfile(f"{top}/share/applications/{APP_NAME}.desktop")
        assert entry is not None
        desktop = parse_desktop_entry(entry.read().decode("utf-8"))
    missing = [key for key in REQUIRED_DESKTOP_KEYS if key not in desktop]
    if missing:
        fail(f"the .desktop file lacks {', '.join(missing)}")
    check_install(tarball, top, version)
    print(f"{tarball.name}: contents ok, install.sh install/self-test/uninstall ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
