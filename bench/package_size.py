"""Size of the packaged app against a bare PySide6 hello-world bundle; target ratio <= 0.75.

    .venv/bin/python bench/package_size.py            # reuses bundles already built
    .venv/bin/python bench/package_size.py --rebuild  # builds both afresh first

The app bundle is dist/attentive-desktop (built by packaging/build_linux.py, as `make
package` does). The baseline is packaging/hello_world.py (a QApplication and a QLabel) built
with PyInstaller's default one-folder spec, packaging/hello_world.spec, by the same PyInstaller
in the same venv, into build/bench/. Sizes count regular files only (symlinks are free).
Needs the `package` extra (PyInstaller). Prints numbers measured in this run; never a test.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_BUNDLE = ROOT / "dist" / "attentive-desktop"
BENCH = ROOT / "build" / "bench"
HELLO_BUNDLE = BENCH / "dist" / "hello-world"
TARGET = 0.75

CATEGORIES = (
    ("Qt libraries", ("PySide6/Qt/lib/",)),
    ("Qt plugins", ("PySide6/Qt/plugins/",)),
    ("Qt translations", ("PySide6/Qt/translations/",)),
    ("PySide6 bindings", ("PySide6/", "shiboken6/")),
    ("Python runtime", ("libpython", "python3", "base_library.zip")),
    ("cryptography (keyring)", ("cryptography/",)),
)


def bundle_files(bundle: Path) -> dict[str, int]:
    """Size of every regular file, by path relative to the bundle's _internal (or root)."""
    sizes = {}
    for path in bundle.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        relative = path.relative_to(bundle).as_posix().removeprefix("_internal/")
        sizes[relative] = path.stat().st_size
    return sizes


def categorise(sizes: dict[str, int]) -> Counter[str]:
    """Bytes per category of CATEGORIES (first match wins), the rest as shared libraries or
    other files."""
    totals: Counter[str] = Counter()
    for name, size in sizes.items():
        for label, prefixes in CATEGORIES:
            if name.startswith(prefixes):
                totals[label] += size
                break
        else:
            is_library = ".so" in name or name.endswith((".dll", ".dylib"))
            totals["other shared libraries" if is_library else "other files"] += size
    return totals


def build_app() -> None:
    """The app bundle, as `make package` builds it (without the tarball)."""
    script = ROOT / "packaging" / "build_linux.py"
    subprocess.run([sys.executable, str(script), "--bundle-only"], check=True, cwd=ROOT)


def build_hello() -> None:
    """The bare PySide6 bundle from PyInstaller's default spec."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(BENCH / "dist"), "--workpath", str(BENCH / "work")]
    subprocess.run([*command, str(ROOT / "packaging" / "hello_world.spec")], check=True)


def megabytes(size: int) -> str:
    """Bytes as MB with one decimal."""
    return f"{size / 1e6:7.1f} MB"


def main(argv: list[str] | None = None) -> int:
    """Build what is missing (or everything with --rebuild), then print sizes and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build both bundles afresh")
    args = parser.parse_args(argv)
    if args.rebuild or not (APP_BUNDLE / "attentive-desktop").exists():
        build_app()
    if args.rebuild or not (HELLO_BUNDLE / "hello-world").exists():
        shutil.rmtree(HELLO_BUNDLE, ignore_errors=True)
        build_hello()
    app, hello = bundle_files(APP_BUNDLE), bundle_files(HELLO_BUNDLE)
    app_total, hello_total = sum(app.values()), sum(hello.values())
    app_parts, hello_parts = categorise(app), categorise(hello)

    print(f"{'':24} {'app':>10} {'hello-world':>13}")
    labels = [label for label, _ in CATEGORIES] + ["other shared libraries", "other files"]
    for label in labels:
        print(f"{label:24} {megabytes(app_parts[label])} {megabytes(hello_parts[label]):>13}")
    print(f"{'total':24} {megabytes(app_total)} {megabytes(hello_total):>13}")
    print(f"  {APP_BUNDLE.relative_to(ROOT)}: {len(app)} files")
    print(f"  {HELLO_BUNDLE.relative_to(ROOT)}: {len(hello)} files")
    ratio = app_total / hello_total
    verdict = "met" if ratio <= TARGET else "missed"
    print(f"ratio app / bare PySide6 bundle: {ratio:.3f} (target <= {TARGET}: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
