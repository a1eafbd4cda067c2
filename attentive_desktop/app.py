"""The composition root: command-line flags, then the objects the window needs, wired once.

`main()` parses the flags before importing Qt, so `--version` (and the command-line
sub-commands to come) never load PySide6. Everything heavy is imported where it is first used.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from attentive_desktop import APP_NAME, BULK_ENGINE_WORD, __version__

if TYPE_CHECKING:
    from attentive_desktop.gui.main_window import MainWindow
    from attentive_desktop.store.paths import AppPaths
    from attentive_desktop.store.secrets import SecretStore


def build_parser() -> argparse.ArgumentParser:
    """The GUI's command-line flags."""
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description="Fix and enrich Attentive customer profiles through the Custom Attributes API.",
        epilog="Without a window: attentive-desktop get|set|bulk ... (see attentive-desktop "
        "get --help, set --help, bulk --help).",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="start an embedded stand-in for the Attentive API and use it (nothing reaches "
        "Attentive)",
    )
    parser.add_argument("--base-url", metavar="URL", help="talk to this API base URL instead")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="build the window offscreen, check that resources load, print the version, exit",
    )
    parser.add_argument(
        "--smoke-lookup",
        metavar="PHONE_OR_EMAIL",
        help="with --sandbox: look one user up through the window, print the result, exit",
    )
    parser.add_argument(
        "--log-level",
        metavar="LEVEL",
        help="DEBUG, INFO (default), WARNING or ERROR; also ATTENTIVE_DESKTOP_LOG_LEVEL. The log "
        "is <data folder>/logs/attentive-desktop.log, with API keys redacted",
    )
    parser.add_argument("--exit-when-shown", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `attentive-desktop` and `python -m attentive_desktop`."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == [BULK_ENGINE_WORD]:
        # A bulk run the window started in a child process (api/bulk_process.py): no Qt.
        from attentive_desktop.api.bulk_process import child_main

        return child_main()
    if args_list and not args_list[0].startswith("-"):
        # Sub-commands (get, set, bulk) run the command line, which never imports Qt.
        from attentive_desktop import cli

        if args_list[0] in cli.COMMANDS:
            return int(cli.main(args_list))
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.version:
        print(f"{APP_NAME} {__version__}")
        return 0
    if args.smoke_lookup and not args.sandbox:
        parser.error("--smoke-lookup needs --sandbox")
    from attentive_desktop.session_log import log_level

    try:
        args.log_level = log_level(args.log_level)
    except ValueError as exc:
        parser.error(str(exc))
    if args.base_url:
        from attentive_desktop.api.errors import InsecureBaseUrl
        from attentive_desktop.api.urls import validate_base_url

        try:
            args.base_url = validate_base_url(args.base_url)
        except InsecureBaseUrl as exc:
            parser.error(str(exc))
    if args.self_test:
        from attentive_desktop.gui.self_check import run_self_test

        return run_self_test()
    return run_gui(args)


@dataclass
class Session:
    """What build_window made, for tests and for shutting down in order."""

    window: MainWindow
    api: Any
    history_service: Any
    database: Any
    book: Any
    schema: Any
    closers: list[Callable[[], None]] = field(default_factory=list)
    pending: list[Callable[[], None]] = field(default_factory=list)
    closed: bool = False

    def complete(self) -> None:
        """Build what waited for the first frame (bulk action, profile tools' actions and
        panels, safety net). Runs once, before start-up reports ready; a no-op once shut down.
        """
        pending, self.pending = self.pending, []
        if not self.closed:
            for build in pending:
                build()

    def shutdown(self) -> None:
        """Stop the worker threads and close the database (idempotent)."""
        self.closed = True
        closers, self.closers = self.closers, []
        for close in closers:
            close()


def build_window(
    paths: AppPaths,
    secrets: SecretStore | Callable[[], SecretStore],
    *,
    base_url: str | None = None,
    sandbox_url: str | None = None,
    sandbox_key: str | None = None,
    sandbox_pending: bool = False,
    env_key: str | None = None,
    client_factory: Callable[..., Any] | None = None,
    first_run_dialog: bool = True,
) -> Session:
    """Build the window and everything behind it; nothing is shown yet.

    Only what the first frame shows is built here; the menus' actions, the bulk action, the
    profile tools' panels and actions and the safety net follow one event-loop tick after
    the window first shows (``Session.complete``), right before MainWindow.start.
    Start-up finishes once the window shows (MainWindow.start, then ``started``): the account
    in use is activated then, or the Add account dialog opens on first run (unless
    ``first_run_dialog`` is False). ``secrets`` may be a factory so the keychain is asked only
    when first needed. ``sandbox_url``/``sandbox_key`` add a session-only "Sandbox" account
    (key in memory only) and the SANDBOX banner; ``sandbox_pending`` shows the banner now and
    leaves the account to a later ``window.attach_sandbox``.
    """
    from PySide6.QtCore import QTimer

    from attentive_desktop.gui.accounts import AccountBook, AccountSchema
    from attentive_desktop.gui.api_service import ApiService
    from attentive_desktop.gui.history_model import HistoryTableModel
    from attentive_desktop.gui.history_proxy import HistoryFilterProxy
    from attentive_desktop.gui.history_service import HistoryService
    from attentive_desktop.gui.main_window import SANDBOX_ACCOUNT, MainWindow
    from attentive_desktop.gui.property_model import PropertyTableModel
    from attentive_desktop.gui.serial_calls import SerialCalls
    from attentive_desktop.gui.settings_writer import SettingsWriter
    from attentive_desktop.store.accounts import AccountStore
    from attentive_desktop.store.history import HistoryStore
    from attentive_desktop.store.recovery import open_database_with_recovery
    from attentive_desktop.store.settings import Settings

    paths.ensure()
    # A damaged file is set aside. The whole-file check (~0.3 s for 100,000 requests of
    # history) runs in the background once the window is up (gui/safety.py).
    database, notice = open_database_with_recovery(paths, verify=False)
    settings = SettingsWriter(Settings(paths.settings_file))  # written off the GUI thread
    history_store = HistoryStore(database)
    book = AccountBook(AccountStore(database), secrets, env_key=env_key, base_url=base_url)
    book.load()  # the one read of the accounts on the GUI thread, before the window exists

    def registry_for(account: str) -> Any:  # on the keychain thread (MainWindow.use_account)
        from attentive_desktop.core.schema import SchemaRegistry
        from attentive_desktop.store.schema_store import SqliteSchemaStorage

        storage = SqliteSchemaStorage(database, account)
        registry = SchemaRegistry(storage)
        if account == SANDBOX_ACCOUNT and book.is_session(account) and not registry.catalog():
            # The embedded sandbox's properties "created in Attentive's UI" are known up front,
            # so its demo offers their values as a real account's catalog would.
            from attentive_desktop.sandbox.seed import UI_PROPERTIES

            seed = {name: values for name, values in UI_PROPERTIES.items() if values}
            registry.adopt_catalog(seed)  # "Custom input" (no values) takes any: not an entry
            for name, values in seed.items():
                storage.save_catalog_entry(name, values)
        return registry

    schema = AccountSchema(registry_for)
    api = ApiService(client_factory, history=history_store, registry=schema)
    history_service = HistoryService(history_store)
    history_model = HistoryTableModel(history_service)
    history_proxy = HistoryFilterProxy()
    history_proxy.setSourceModel(history_model)
    api.historyRecorded.connect(history_model.prepend)
    property_model = PropertyTableModel(schema, keys=api.known_keys)
    keychain = SerialCalls("attentive-keychain")
    session: Session | None = None

    def close() -> None:
        if session is not None:
            session.shutdown()

    window = MainWindow(
        api=api,
        book=book,
        property_model=property_model,
        history_model=history_model,
        history_proxy=history_proxy,
        history_service=history_service,
        settings=settings,
        schema=lambda: schema,
        sandbox=bool(sandbox_url) or sandbox_pending,
        region=str(settings.get("default_region", "US") or "US"),
        keychain=keychain,
        on_account=lambda name: (schema.use(name), property_model.refresh_schema()),
        prepare_account=schema.prepare,
        on_close=close,
    )
    session = Session(window, api, history_service, database, book, schema)
    session.closers += [keychain.stop, api.shutdown, history_service.shutdown, settings.stop]
    session.closers.append(database.close)
    settings.failed.connect(lambda text: window.show_message(text, "error"))
    from attentive_desktop.gui.profile_tools import ProfileTools

    window.profile_tools = ProfileTools(  # type: ignore[attr-defined]
        window, api=api, history_service=history_service, database=database,
        settings=settings, schema=schema, data_dir=paths.data_dir, secrets=lambda: book.secrets,
        defer=True,
    )  # fmt: skip

    def complete() -> None:
        # Menus' extra actions, the profile tools, the bulk action and the safety net: built
        # one tick after the first frame (session.complete), before start() reports ready.
        from attentive_desktop.gui.bulk_action import install_bulk_action
        from attentive_desktop.gui.safety import install_safety

        window.build_menus()
        window.bulk = install_bulk_action(  # type: ignore[attr-defined]
            window, database=database, history_store=history_store, schema=schema,
            region=str(settings.get("default_region", "US") or "US"),
        )  # fmt: skip
        session.closers.insert(0, window.bulk.shutdown)
        window.started.connect(window.bulk.prepare)  # builds the dialog hidden, when idle
        window.profile_tools.complete()  # type: ignore[attr-defined]
        install_safety(session, notice)  # drafts, recovery notice, interrupted bulk runs

    session.pending.append(complete)
    if sandbox_url:
        window.attach_sandbox(sandbox_url, sandbox_key or "")
    else:
        window.refresh_accounts(activate=False)

    def finish_start_up() -> None:
        session.complete()
        window.start(first_run_dialog=first_run_dialog)

    window.shown.connect(lambda: QTimer.singleShot(0, finish_start_up))
    return session


FIRST_FRAME_PURE_MODULES = (
    "json",
    "datetime",
    "attentive_desktop.store.paths",
    "attentive_desktop.store.database",
    "attentive_desktop.store.accounts",
    "attentive_desktop.store.history",
    "attentive_desktop.store.settings",
    "attentive_desktop.store.recovery",
    "attentive_desktop.early_log",
    "attentive_desktop.session_log",
    "attentive_desktop.core.validation",
    "attentive_desktop.gui.accounts",
    "attentive_desktop.gui.feature_scan",
)
"""Qt-free modules build_window needs before the first frame (imported ahead of PySide6)."""


def run_gui(args: argparse.Namespace) -> int:
    """Run the window until it closes; returns the exit code.

    With --sandbox the window shows first (banner included) and the embedded server starts
    right after, so the first frame does not wait for it.
    """
    import gc
    import importlib

    # No cyclic garbage collection until the first frame is up: start-up allocates many
    # long-lived objects (modules, classes, Qt enums) and collecting them finds nothing.
    gc.disable()
    # The Qt-free modules the first frame needs load before PySide6: once it is imported, its
    # import hook (shibokensupport.feature) reads the source of every module imported after it.
    for name in FIRST_FRAME_PURE_MODULES:
        importlib.import_module(name)
    from attentive_desktop.early_log import EarlyLogBuffer
    from attentive_desktop.gui.feature_scan import skip_feature_scan
    from attentive_desktop.gui.qt_app import make_application, set_app_icon, settle_after_start_up

    skip_feature_scan()  # PySide6 is loaded now; spare its reading of every module's source
    from attentive_desktop.session_log import SessionSecrets, start_window_logging
    from attentive_desktop.store.paths import AppPaths

    paths = AppPaths.from_environment()
    secrets_seen = SessionSecrets()
    # The log file opens once the window is up; records made before wait in the buffer.
    early_log = EarlyLogBuffer(args.log_level)
    close_log: Callable[[], None] | None = None

    def open_log() -> None:
        nonlocal close_log
        if close_log is None:
            early_log.detach()
            close_log = start_window_logging(paths, args.log_level, secrets_seen)
            early_log.replay()

    app = make_application()
    sandbox: Any = None

    def secrets() -> SecretStore:
        from attentive_desktop.store.secrets import SecretStore

        return SecretStore()

    try:
        session = build_window(
            paths,
            secrets,
            base_url=args.base_url,
            sandbox_pending=args.sandbox,
            env_key=os.environ.get("ATTENTIVE_API_KEY") or None,
            first_run_dialog=not args.smoke_lookup,
        )
    except BaseException:
        open_log()  # what was logged so far still reaches the file
        raise
    window = session.window
    secrets_seen.add_source(session.api.known_keys)
    from attentive_desktop.error_hooks import install_error_hooks

    restore_hooks = install_error_hooks(lambda text: window.show_message(text, "error"))

    def start_sandbox() -> None:
        nonlocal sandbox
        from attentive_desktop.sandbox.server import SandboxServer

        sandbox = SandboxServer()
        sandbox.start()
        window.attach_sandbox(sandbox.base_url, sandbox.api_key)

    window.started.connect(open_log)
    window.started.connect(lambda: set_app_icon(app))
    window.started.connect(settle_after_start_up)  # gc back on (frozen), GIL handover 1 ms
    if args.sandbox:
        window.started.connect(start_sandbox)
    watcher = None
    if args.exit_when_shown:
        from attentive_desktop.gui.self_check import quit_when_shown

        watcher = quit_when_shown(app, window)
    smoke = None
    if args.smoke_lookup:
        from attentive_desktop.gui.self_check import SmokeLookup

        smoke = SmokeLookup(app, session, args.smoke_lookup)
    try:
        window.show()
        code = app.exec()
        window.close()
    finally:
        open_log()  # closed before start-up finished: the early records still go to the file
        session.shutdown()
        if sandbox is not None:
            sandbox.stop()
        restore_hooks()
        if close_log is not None:
            close_log()
    del watcher
    return smoke.exit_code if smoke is not None else code
