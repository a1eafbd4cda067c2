"""The command line: ``attentive-desktop get|set|bulk …``. Never imports Qt.

The app's entry point hands ``argv`` to ``main`` when its first word is in ``COMMANDS``;
``python -m attentive_desktop.cli …`` runs it directly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from attentive_desktop import APP_NAME

COMMANDS = frozenset({"get", "set", "bulk"})

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

EPILOG = """\
exit codes:
  0    all good (every row sent; a dry run found no error)
  1    the API call failed, or some rows failed or were skipped as invalid (see the report)
  2    bad usage or invalid input: unknown option, invalid phone/email/property, a file that
       cannot be used, a dry run that found errors, no API key, nothing to resume
  130  interrupted (Ctrl-C): rows not sent yet stay pending; continue with --resume

API key: --sandbox uses the embedded sandbox; --account NAME uses that account's key from the
system keychain (falling back to ATTENTIVE_API_KEY); without --account, ATTENTIVE_API_KEY is
used when set, else the account last used in the app (or the only one).
"""

BULK_EPILOG = (
    """\
CSV format: a header row, then one customer per row. Identifier columns: phone, email,
clientUserId, custom:<name> (matched ignoring case, surrounding spaces and spaces, '_' or '-'
inside, e.g. "Phone", "client_user_id"). Every other column is a property (name kept exactly,
case-sensitive). UTF-8 with or without BOM; comma, semicolon or tab detected. An empty cell
means "do not send this property for this row". Row numbers are spreadsheet rows (the header
is row 1).

"""
    + EPILOG
)


def build_parser() -> argparse.ArgumentParser:
    """The parser for ``get``, ``set`` and ``bulk``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--account", metavar="NAME", help="use this saved account and its key")
    common.add_argument("--base-url", metavar="URL", help="API base URL (default: Attentive's)")
    common.add_argument(
        "--sandbox",
        action="store_true",
        help="start the embedded sandbox in this process and use it (nothing reaches Attentive)",
    )
    common.add_argument("--json", action="store_true", help="print the result as JSON")
    common.add_argument(
        "--log-level",
        metavar="LEVEL",
        help="DEBUG, INFO (default), WARNING or ERROR (also ATTENTIVE_DESKTOP_LOG_LEVEL); the "
        "log is <data folder>/logs/attentive-desktop.log, API keys redacted; DEBUG also "
        "writes it to stderr",
    )
    common.add_argument(
        "--region",
        metavar="CC",
        help="country for phone numbers without +country code (default: the app's setting, US)",
    )
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description="Look up and update Attentive custom attributes from the command line.",
        epilog=EPILOG,
        formatter_class=formatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    get = commands.add_parser(
        "get",
        parents=[common],
        help="show a user's custom attributes",
        epilog=EPILOG,
        formatter_class=formatter,
    )
    who = get.add_mutually_exclusive_group(required=True)
    who.add_argument("--phone", help="look up by phone number")
    who.add_argument("--email", help="look up by email address")

    put = commands.add_parser(
        "set",
        parents=[common],
        help="set custom attributes on a user",
        epilog=EPILOG,
        formatter_class=formatter,
    )
    put.add_argument("--phone", help="the user's phone number")
    put.add_argument("--email", help="the user's email address")
    put.add_argument("--client-user-id", metavar="ID", help="the user's clientUserId")
    put.add_argument(
        "--custom",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="a custom identifier (repeatable)",
    )
    put.add_argument(
        "properties", metavar="NAME=VALUE", nargs="+", help='attributes, e.g. "VIP=true"'
    )

    bulk = commands.add_parser(
        "bulk",
        parents=[common],
        help="update many users from a CSV file",
        epilog=BULK_EPILOG,
        formatter_class=formatter,
    )
    bulk.add_argument("file", metavar="FILE", help="the CSV file")
    bulk.add_argument(
        "--dry-run", action="store_true", help="check every row and report problems; send nothing"
    )
    bulk.add_argument(
        "--resume",
        action="store_true",
        help="continue the last run of FILE: rows already sent or skipped are not sent again; "
        "pending and failed rows are",
    )
    bulk.add_argument(
        "--report",
        metavar="OUT.csv",
        help="write a per-row report (row, identifier, status, attempts, message); with "
        "--dry-run, the problems found",
    )
    bulk.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="concurrent requests, 1-32 (default 24)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (see EPILOG)."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE
    if args.sandbox and args.base_url:
        parser.print_usage(sys.stderr)
        print(f"{APP_NAME}: error: --sandbox and --base-url exclude each other", file=sys.stderr)
        return EXIT_USAGE
    from attentive_desktop.session_log import SessionSecrets, log_level, start_logging
    from attentive_desktop.store.paths import AppPaths

    try:
        level = log_level(args.log_level)
    except ValueError as exc:
        parser.print_usage(sys.stderr)
        print(f"{APP_NAME}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    args.session_secrets = SessionSecrets()  # CliContext adds the key it resolves
    logging_setup = start_logging(
        AppPaths.from_environment(), level, args.session_secrets, console=level == "DEBUG"
    )
    try:
        if args.command == "bulk":
            from attentive_desktop.cli.bulk_command import run_bulk

            return run_bulk(args)
        from attentive_desktop.cli.commands import run_get, run_set

        return run_get(args) if args.command == "get" else run_set(args)
    finally:
        if logging_setup is not None:
            logging_setup.close()


__all__ = ["COMMANDS", "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]
