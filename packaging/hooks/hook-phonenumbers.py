"""Replaces pyinstaller-hooks-contrib's phonenumbers hook, which collects every submodule.

The app only parses and formats numbers: the geocoding, carrier and time-zone tables (45 MB of
source) stay out, as bundle_policy.EXCLUDED_MODULES says. Parsing needs phonenumbers.data and,
because phonenumbers/__init__ imports shortnumberinfo, phonenumbers.shortdata; both load their
per-region modules by name at run time, so those are collected here.
"""

import sys
from pathlib import Path

from PyInstaller.utils.hooks import collect_submodules

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bundle_policy import EXCLUDED_MODULES

_EXCLUDED = tuple(name for name in EXCLUDED_MODULES if name.startswith("phonenumbers."))


def _wanted(name: str) -> bool:
    return not any(name == prefix or name.startswith(prefix + ".") for prefix in _EXCLUDED)


hiddenimports = collect_submodules("phonenumbers", filter=_wanted)
