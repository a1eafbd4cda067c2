"""gui/feature_scan.py: PySide6's per-import source scan is answered up front for our modules."""

from __future__ import annotations

import re
import subprocess
import sys
import types
from pathlib import Path

import attentive_desktop
from attentive_desktop.gui import feature_scan
from attentive_desktop.gui.feature_scan import (
    IGNORED,
    USES_PYSIDE,
    package_module_names,
    skip_feature_scan,
)

PACKAGE_DIR = Path(attentive_desktop.__file__).parent

COUNT_SOURCE_READS = r"""
import inspect
import sys

import PySide6.QtCore  # installs the import hook that scans sources

from attentive_desktop.gui.feature_scan import skip_feature_scan

read = []
original = inspect.getsource


def getsource(obj):
    read.append(getattr(obj, "__name__", "?"))
    return original(obj)


inspect.getsource = getsource
if sys.argv[1] == "skip":
    skip_feature_scan()
import attentive_desktop.gui.main_window  # noqa: E402,F401

print(sum(name.startswith("attentive_desktop") for name in read))
"""


def _sources_read(mode: str) -> int:
    result = subprocess.run(
        [sys.executable, "-c", COUNT_SOURCE_READS, mode],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return int(result.stdout.split()[-1])


def test_the_scan_reads_none_of_our_sources_once_skipped() -> None:
    assert _sources_read("scan") >= 10  # PySide6 reads each of main_window's modules...
    assert _sources_read("skip") == 0  # ...unless told the answer first


def test_answers_are_what_the_scan_would_find(monkeypatch) -> None:
    table: dict[str, int] = {"attentive_desktop.gui.main_window": 7}  # known: left alone
    monkeypatch.setitem(
        sys.modules, feature_scan.FEATURE_MODULE, types.SimpleNamespace(pyside_feature_dict=table)
    )
    added = skip_feature_scan()
    assert added == len(table) - 1
    assert table["attentive_desktop.gui.main_window"] == 7
    assert table["attentive_desktop.gui.history_pane"] == USES_PYSIDE
    assert table["attentive_desktop.store.history"] == IGNORED
    assert table["attentive_desktop.api.client"] == IGNORED
    assert table["sys"] == IGNORED  # loaded before: never mentions PySide6


def test_without_pyside_feature_table_nothing_happens(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, feature_scan.FEATURE_MODULE, types.SimpleNamespace())
    assert skip_feature_scan() == 0


def test_package_module_names_lists_every_source_module() -> None:
    names = set(package_module_names("attentive_desktop"))
    expected = {"attentive_desktop"}
    for path in PACKAGE_DIR.rglob("*.py"):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        expected.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    assert names == expected


def test_no_module_of_ours_selects_a_pyside_feature() -> None:
    """Skipping the scan is only right while nothing here writes `from __feature__ import`."""
    selecting = re.compile(r"^\s*(from|import)\s+__feature__\b", re.MULTILINE)
    users = [p.name for p in PACKAGE_DIR.rglob("*.py") if selecting.search(p.read_text("utf-8"))]
    assert users == []
