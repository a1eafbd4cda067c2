"""The PyInstaller spec and its policy, checked without running PyInstaller (.ci/run builds)."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import attentive_desktop

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "attentive_desktop.spec"


@pytest.fixture(scope="module")
def spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"))


def calls(tree: ast.Module, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


def keyword(call: ast.Call, name: str) -> ast.expr:
    return next(k.value for k in call.keywords if k.arg == name)


def test_the_spec_analyses_the_entry_script(spec_tree: ast.Module) -> None:
    (analysis,) = calls(spec_tree, "Analysis")
    assert "entry.py" in ast.unparse(analysis.args[0])
    assert "attentive_desktop/resources" in ast.unparse(keyword(analysis, "datas"))
    assert "KEYRING_HIDDEN_IMPORTS" in ast.unparse(keyword(analysis, "hiddenimports"))
    assert "EXCLUDED_MODULES" in ast.unparse(keyword(analysis, "excludes"))


def test_the_spec_builds_one_windowed_folder_named_after_the_package(spec_tree: ast.Module) -> None:
    (exe,) = calls(spec_tree, "EXE")
    (collect,) = calls(spec_tree, "COLLECT")
    assert ast.unparse(keyword(exe, "name")) == "APP_NAME"
    assert ast.unparse(keyword(collect, "name")) == "APP_NAME"
    assert ast.literal_eval(keyword(exe, "exclude_binaries")) is True  # one-folder
    assert ast.literal_eval(keyword(exe, "console")) is False
    (bundle,) = calls(spec_tree, "BUNDLE")  # the macOS .app, guarded by platform
    assert ast.unparse(keyword(bundle, "version")) == "VERSION"
    source = SPEC.read_text(encoding="utf-8")
    assert "module.APP_NAME, module.__version__" in source


def test_the_entry_script_calls_app_main() -> None:
    tree = ast.parse((ROOT / "packaging" / "entry.py").read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert any(n.module == "attentive_desktop.app" and n.names[0].name == "main" for n in imports)
    assert "sys.exit(main())" in ast.unparse(tree)


def test_policy_names_match_the_package(policy: ModuleType) -> None:
    assert policy.APP_NAME == attentive_desktop.APP_NAME


def test_keyring_hidden_imports_exist(policy: ModuleType) -> None:
    for name in policy.KEYRING_HIDDEN_IMPORTS:
        assert importlib.util.find_spec(name) is not None, name


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_app_imports_nothing_the_bundle_leaves_out(policy: ModuleType) -> None:
    excluded = tuple(policy.EXCLUDED_MODULES)
    offenders = []
    for path in sorted((ROOT / "attentive_desktop").rglob("*.py")):
        for name in imported_modules(path):
            if any(name == ex or name.startswith(ex + ".") for ex in excluded):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders, "packaging/bundle_policy.py leaves these out: " + "; ".join(offenders)


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/qmltooling/libqmldbg_debugger.so", False),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/QtNetwork.abi3.so", False),
        ("PySide6/QtWidgets.abi3.so", True),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("attentive_desktop/resources/attentive-desktop.svg", True),
    ],
)
def test_keep_entry(policy: ModuleType, dest: str, kept: bool) -> None:
    assert policy.keep_entry(dest) is kept


def test_dependency_libraries_are_plain_libraries_only(policy: ModuleType) -> None:
    assert policy.is_dependency_library("libcairo.so.2", "BINARY")
    assert policy.is_dependency_library("PySide6/Qt/lib/libQt6Network.so.6", "BINARY")
    assert not policy.is_dependency_library("libpython3.11.so.1.0", "BINARY")
    assert not policy.is_dependency_library("PySide6/QtCore.abi3.so", "EXTENSION")
    assert not policy.is_dependency_library("PySide6/Qt/plugins/platforms/libqxcb.so", "BINARY")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF files are Linux's")
def test_elf_needed_reads_direct_dependencies(policy: ModuleType) -> None:
    from PySide6 import QtWidgets

    library = Path(QtWidgets.__file__).parent / "Qt" / "lib" / "libQt6Widgets.so.6"
    needed = policy.elf_needed(str(library))
    assert "libQt6Gui.so.6" in needed and "libQt6Core.so.6" in needed
    assert "libicudata.so.73" not in needed  # only direct dependencies, unlike ldd
    assert policy.elf_needed(str(SPEC)) is None


def test_version_tuple(policy: ModuleType) -> None:
    assert policy.version_tuple("0.1.0") == (0, 1, 0, 0)
    assert policy.version_tuple("1.2rc1") == (1, 2, 0, 0)


def test_tarball_name_and_version(build_linux: ModuleType) -> None:
    version = attentive_desktop.__version__
    assert build_linux.package_version() == version
    path = build_linux.tarball_path(version, "x86_64")
    assert path == ROOT / "dist" / f"attentive-desktop-{version}-linux-x86_64.tar.gz"


def test_install_note_template_fills_in() -> None:
    template = (ROOT / "packaging" / "linux" / "INSTALL.txt").read_text(encoding="utf-8")
    note = template.format(version="9.9.9", arch="x86_64", glibc="2.36")
    assert "9.9.9" in note and "install.sh" in note


def test_install_script_is_valid_sh() -> None:
    script = ROOT / "packaging" / "linux" / "install.sh"
    result = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
