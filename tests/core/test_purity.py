"""core/ stays pure Python: importing it pulls in neither Qt nor HTTP."""

from __future__ import annotations

import subprocess
import sys


def test_core_imports_no_qt_or_http() -> None:
    code = (
        "import sys, attentive_desktop.core as core; "
        "assert core.__all__; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'PySide6', 'httpx'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_public_names_are_exported() -> None:
    import attentive_desktop.core as core

    for name in core.__all__:
        assert hasattr(core, name), name
