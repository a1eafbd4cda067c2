"""Spare start-up PySide6's scan of every imported module's source, which this app never uses.

Since PySide6 6.4 (PYSIDE-2029), once QtCore is loaded every ``import`` statement calls a hook
that, the first time it meets a module name, reads that module's whole source file
(``inspect.getsource``) to see whether it mentions PySide6. The answer, kept in PySide's
``pyside_feature_dict`` (name → 0 "uses PySide6, no feature selected" or -1 "ignore"), only
matters to modules that write ``from __feature__ import snake_case, true_property``; this app
never does (tests/gui/test_feature_scan.py checks). Run from source, the scan read ~60 files
before the first frame, stdlib ones included (``typing``, ``pathlib``…): ~8 ms of a ~200 ms
start-up (bench/startup.py). A frozen build has no sources, so there it is nearly free.

``skip_feature_scan`` records PySide's answer up front, -1 for every module loaded so far and
for this package's modules, 0 for its GUI modules (the ones that import PySide6), so the hook
finds those names already known and reads nothing. With a PySide6 that keeps no such table
the call does nothing and start-up pays the scan as before.
"""

from __future__ import annotations

import os
import sys

FEATURE_MODULE = "PySide6.support.feature"
USES_PYSIDE = 0  # what the scan records for a module whose source mentions PySide6
IGNORED = -1  # ... and for one whose source does not


def package_module_names(package: str) -> list[str]:
    """The names of ``package``'s modules and sub-packages' modules, from its source folders
    (none when frozen: PyInstaller ships no sources, so the scan finds nothing to read there)."""
    names = []
    for root in sys.modules[package].__path__:
        for folder, subfolders, files in os.walk(root):
            if "__init__.py" not in files:
                subfolders.clear()  # not a package (resources, __pycache__)
                continue
            dotted = os.path.relpath(folder, root).replace(os.sep, ".").strip(".")
            prefix = f"{package}.{dotted}" if dotted else package
            names.append(prefix)
            modules = (f[:-3] for f in files if f.endswith(".py") and f != "__init__.py")
            names.extend(f"{prefix}.{module}" for module in modules)
    return names


def skip_feature_scan(package: str = "attentive_desktop", gui: str = "gui") -> int:
    """Tell PySide6 the answer its per-module scan would find, for the modules loaded so far
    and for every module of ``package``; returns how many names were added (0 when this
    PySide6 keeps no feature table)."""
    table = getattr(sys.modules.get(FEATURE_MODULE), "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return 0
    gui_prefix = f"{package}.{gui}."
    known = dict.fromkeys(sys.modules, IGNORED)
    for name in package_module_names(package):
        known[name] = USES_PYSIDE if name.startswith(gui_prefix) else IGNORED
    added = 0
    for name, value in known.items():
        if name not in table:
            table[name] = value
            added += 1
    return added
