"""What goes into the PyInstaller bundle and what is left out (used by attentive_desktop.spec).

Kept apart from the spec so tests/packaging can check the policy without running PyInstaller:
e.g. that the app never imports a module excluded here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import PurePosixPath

APP_NAME = "attentive-desktop"
DISPLAY_NAME = "Attentive Desktop"
BUNDLE_ID = "org.attentive-desktop.AttentiveDesktop"

# keyring finds its backends through entry points and imports them by name; list them all so
# each platform's keychain works in the frozen app (platform-specific ones import lazily).
KEYRING_HIDDEN_IMPORTS = (
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "keyring.backends.null",
    "keyring.backends.SecretService",  # Linux: GNOME Keyring / KeePassXC over D-Bus
    "keyring.backends.kwallet",  # Linux: KWallet (needs dbus-python at run time)
    "keyring.backends.libsecret",  # Linux: libsecret through PyGObject, when present
    "keyring.backends.macOS",
    "keyring.backends.Windows",
    "secretstorage",
    "jeepney",
)

QT_UNUSED_MODULES = (
    "Qt3DAnimation",
    "Qt3DCore",
    "Qt3DExtras",
    "Qt3DInput",
    "Qt3DLogic",
    "Qt3DRender",
    "QtAxContainer",
    "QtBluetooth",
    "QtCharts",
    "QtConcurrent",
    "QtDataVisualization",
    "QtDBus",  # the Python binding only; libQt6DBus stays, Qt itself links it
    "QtDesigner",
    "QtGraphs",
    "QtGraphsWidgets",
    "QtHelp",
    "QtHttpServer",
    "QtLabsStyleKit",
    "QtLocation",
    "QtMultimedia",
    "QtMultimediaWidgets",
    "QtNetwork",  # the app talks HTTP through httpx
    "QtNetworkAuth",
    "QtNfc",
    "QtOpenGL",
    "QtOpenGLWidgets",
    "QtPdf",
    "QtPdfWidgets",
    "QtPositioning",
    "QtPrintSupport",
    "QtQml",
    "QtQmlFeatures",
    "QtQuick",
    "QtQuick3D",
    "QtQuickControls2",
    "QtQuickTest",
    "QtQuickWidgets",
    "QtRemoteObjects",
    "QtScxml",
    "QtSensors",
    "QtSerialBus",
    "QtSerialPort",
    "QtSpatialAudio",
    "QtSql",
    "QtStateMachine",
    "QtTest",
    "QtTextToSpeech",
    "QtUiTools",
    "QtWebChannel",
    "QtWebEngineCore",
    "QtWebEngineQuick",
    "QtWebEngineWidgets",
    "QtWebSockets",
    "QtWebView",
    "QtXml",
)

EXCLUDED_MODULES = (
    *(f"PySide6.{name}" for name in QT_UNUSED_MODULES),
    # development tools that must never ship
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "pluggy",
    "iniconfig",
    "pygments",
    "ruff",
    "PyInstaller",
    "setuptools",
    "pkg_resources",
    "pip",
    # standard library parts the app does not use (pulled in by `if __name__ == "__main__"`
    # blocks and docstring tooling of dependencies)
    "tkinter",
    "_tkinter",
    "turtle",
    "idlelib",
    "lib2to3",
    "distutils",
    "ensurepip",
    "venv",
    "test",
    "unittest",
    "doctest",
    "pdb",
    "pydoc",
    "pydoc_data",
    # Only concurrent.futures.process (never used) imports it, yet bundling it adds
    # PyInstaller's multiprocessing runtime hook, which imports it (with pickle, socket and
    # subprocess) before the app's first line: ~15 ms of every start. The bulk engine's child
    # process is started with subprocess.
    "multiprocessing",
    "xmlrpc",
    "curses",
    "readline",
    "_pydecimal",  # decimal's pure-Python fallback; the C _decimal is bundled
    # legacy CJK codecs (1 MB): the API speaks JSON, which is UTF-8 (RFC 8259), and httpx
    # falls back to UTF-8 for a charset it cannot look up
    "_codecs_cn",
    "_codecs_hk",
    "_codecs_iso2022",
    "_codecs_jp",
    "_codecs_kr",
    "_codecs_tw",
    "_multibytecodec",
    # phonenumbers ships 45 MB of geocoding, carrier and time-zone tables; the app only parses
    # and formats numbers. Importing one of these from the app fails the packaging tests.
    "phonenumbers.geocoder",
    "phonenumbers.geodata",
    "phonenumbers.carrier",
    "phonenumbers.carrierdata",
    "phonenumbers.timezone",
    "phonenumbers.tzdata",
)

# Qt plugins kept, by folder; any folder not listed is left out whole. Names are compared
# without the "lib" prefix and the file suffix, so one list serves Linux, Windows and macOS.
QT_PLUGINS_KEPT: dict[str, frozenset[str]] = {
    # offscreen: --self-test and CI; xcb and wayland: Linux desktops; windows/cocoa elsewhere
    "platforms": frozenset({"qxcb", "qwayland", "qoffscreen", "qwindows", "qcocoa"}),
    # the desktop portal gives the light/dark colour scheme and native file dialogs on Linux;
    # qgtk3 is left out: it would drag GTK's whole stack in and break against the system GTK
    "platformthemes": frozenset({"qxdgdesktopportal"}),
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}
    ),
    "xcbglintegrations": frozenset({"qxcb-glx-integration", "qxcb-egl-integration"}),
    "wayland-shell-integration": frozenset({"xdg-shell"}),
    "wayland-decoration-client": frozenset({"adwaita", "bradient"}),
    "imageformats": frozenset({"qsvg", "qico"}),  # PNG is built into QtGui
    "iconengines": frozenset({"qsvgicon"}),
    "styles": frozenset({"qmodernwindowsstyle", "qwindowsvistastyle", "qmacstyle"}),
}

_PLUGIN_RE = re.compile(r"(?:^|/)plugins/(?P<folder>[^/]+)/(?P<file>[^/]+)$")
_SUFFIX_RE = re.compile(r"\.(so|dll|dylib)(\.[0-9.]+)?$")


def _posix(dest: str) -> PurePosixPath:
    return PurePosixPath(dest.replace(os.sep, "/").replace("\\", "/"))


def plugin_kept(dest: str) -> bool | None:
    """For a Qt plugin's destination path: whether to keep it; None when it is no plugin."""
    match = _PLUGIN_RE.search(str(_posix(dest)))
    if match is None or "PySide6" not in dest:
        return None
    stem = _SUFFIX_RE.sub("", match["file"])
    stem = stem.removeprefix("lib")
    return stem in QT_PLUGINS_KEPT.get(match["folder"], frozenset())


def keep_entry(dest: str) -> bool:
    """Whether one collected file (binary or data, by destination) belongs in the bundle."""
    path = _posix(dest)
    parts = path.parts
    if parts[:3] == ("PySide6", "Qt", "translations"):
        return False  # the app is English only and installs no Qt translator
    if parts[:3] == ("PySide6", "Qt", "qml") or parts[:3] == ("PySide6", "Qt", "metatypes"):
        return False
    kept = plugin_kept(dest)
    if kept is not None:
        return kept
    # an extension module of an excluded binding goes too
    return not (
        len(parts) == 2 and parts[0] == "PySide6" and parts[1].split(".")[0] in QT_UNUSED_MODULES
    )


def is_dependency_library(dest: str, typecode: str) -> bool:
    """A shared library collected only because something links it (may be pruned).

    Python extension modules and Qt plugins are the roots of the link graph; a plain library
    (libpython, Qt's own libraries, system libraries) is kept only if a root needs it.
    """
    if typecode != "BINARY":
        return False
    if plugin_kept(dest) is not None:
        return False
    name = _posix(dest).name
    if name.lower().startswith(("libpython", "python3")):
        return False  # the bootloader loads the Python library itself
    return bool(re.search(r"\.so(\.[0-9.]+)?$|\.dylib$|\.dll$", name, re.IGNORECASE))


def filter_toc(entries: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The entries keep_entry accepts."""
    return [entry for entry in entries if keep_entry(entry[0])]


# Linux libraries every desktop provides, left to the host as AppImage's excludelist does:
# they must match the host's graphics, font and session stack (a bundled libstdc++ older than
# the one the host's GL driver needs, or a bundled fontconfig older than the host's config
# files, breaks the app), and the bundle already needs a host at least as new as its glibc.
HOST_LIBRARIES = frozenset(
    {
        "libstdc++.so.6",
        "libgcc_s.so.1",
        "libz.so.1",
        "libexpat.so.1",
        "libfontconfig.so.1",
        "libfreetype.so.6",
        "libharfbuzz.so.0",
        "libX11.so.6",
        "libX11-xcb.so.1",  # from the same package as libX11: the two must match
        "libglib-2.0.so.0",
        "libgobject-2.0.so.0",
        "libgio-2.0.so.0",
        "libgmodule-2.0.so.0",
        "libgthread-2.0.so.0",
        # the session bus library: the desktop's own services (portal, input methods,
        # keychain, accessibility) run on it; it brings systemd, gcrypt, lz4 and zstd along
        "libdbus-1.so.3",
    }
)


def elf_needed(path: str) -> list[str] | None:
    """The DT_NEEDED names of a 64-bit little-endian ELF file; None if it is not one."""
    import struct

    with open(path, "rb") as handle:
        data = handle.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    phoff = struct.unpack_from("<Q", data, 0x20)[0]
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads, dynamic = [], None
    for index in range(phnum):
        kind, _flags, offset, vaddr, _paddr, filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + index * phentsize
        )
        if kind == 1:  # PT_LOAD
            loads.append((vaddr, offset, filesz))
        elif kind == 2:  # PT_DYNAMIC
            dynamic = (offset, filesz)
    if dynamic is None:
        return []
    needed, strtab = [], None
    for at in range(dynamic[0], dynamic[0] + dynamic[1], 16):
        tag, value = struct.unpack_from("<qQ", data, at)
        if tag == 0:  # DT_NULL
            break
        if tag == 1:  # DT_NEEDED: an offset into the string table
            needed.append(value)
        elif tag == 5:  # DT_STRTAB: a virtual address
            strtab = next(
                (
                    value - vaddr + offset
                    for vaddr, offset, size in loads
                    if vaddr <= value < vaddr + size
                ),
                None,
            )
    if strtab is None:
        return None
    return [data[strtab + n : data.index(b"\0", strtab + n)].decode() for n in needed]


def prune_unreferenced(
    binaries: list[tuple[str, str, str]], datas: list[tuple[str, str, str]]
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]], list[str]]:
    """Leave host libraries out, then every library that no kept root links any more.

    PyInstaller collected the libraries of every plugin before filter_toc dropped plugins
    (e.g. GTK's cairo and pango for the qgtk3 theme); this walks the link graph again, by
    DT_NEEDED names, from the Python extension modules, the Qt plugins and libpython. Returns
    the new binaries, the new datas (dangling symlinks removed) and the destinations dropped.
    Linux only: elsewhere the lists come back unchanged.
    """
    import sys

    if not sys.platform.startswith("linux"):
        return binaries, datas, []
    candidates = [entry for entry in binaries if _posix(entry[0]).name not in HOST_LIBRARIES]
    by_name: dict[str, list[tuple[str, str, str]]] = {}
    for entry in candidates:
        by_name.setdefault(_posix(entry[0]).name, []).append(entry)
    needed: set[tuple[str, str, str]] = set()
    queue = [entry for entry in candidates if not is_dependency_library(entry[0], entry[2])]
    while queue:
        entry = queue.pop()
        if entry in needed:
            continue
        needed.add(entry)
        names = elf_needed(entry[1])
        if names is None:  # not an ELF file we can read: trust ldd's (transitive) answer
            from PyInstaller.depend import bindepend

            names = [os.path.basename(name) for name, _path in bindepend.get_imports(entry[1])]
        for name in names:
            queue.extend(by_name.get(name, []))
    kept = [entry for entry in binaries if entry in needed]
    dropped = sorted(entry[0] for entry in binaries if entry not in needed)
    kept_dests = {_posix(entry[0]) for entry in kept}
    kept_datas = [
        entry for entry in datas if entry[2] != "SYMLINK" or _posix(entry[1]) in kept_dests
    ]
    return kept, kept_datas, dropped


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """ "1.2rc1" -> (1, 2, 0, 0): the four numbers a Windows version resource holds."""
    release = re.match(r"\d+(?:\.\d+)*", version)
    numbers = [int(part) for part in release[0].split(".")[:4]] if release else []
    return (*numbers, *([0] * (4 - len(numbers))))  # type: ignore[return-value]


def windows_version_info(version: str):  # -> PyInstaller VSVersionInfo (Windows builds only)
    """The version resource of attentive-desktop.exe (Explorer's Details tab)."""
    from PyInstaller.utils.win32 import versioninfo as vi

    numbers = version_tuple(version)
    strings = {
        "CompanyName": DISPLAY_NAME,
        "FileDescription": DISPLAY_NAME,
        "FileVersion": version,
        "InternalName": APP_NAME,
        "OriginalFilename": f"{APP_NAME}.exe",
        "ProductName": DISPLAY_NAME,
        "ProductVersion": version,
    }
    return vi.VSVersionInfo(
        ffi=vi.FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            vi.StringFileInfo(
                [vi.StringTable("040904B0", [vi.StringStruct(k, v) for k, v in strings.items()])]
            ),
            vi.VarFileInfo([vi.VarStruct("Translation", [0x0409, 1200])]),
        ],
    )
