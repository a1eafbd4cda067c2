"""``bulk FILE``: a dry run, or a journaled run with a progress bar, a summary and a report."""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from attentive_desktop.cli.context import CliContext, CliError, fail, print_json

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
MAX_LISTED = 10  # failed rows listed on stderr after a run
MAX_JSON_PROBLEMS = 10_000
MAX_JSON_FAILURES = 100


def run_bulk(args: argparse.Namespace) -> int:
    """Run the ``bulk`` command."""
    path = Path(args.file)
    if not path.is_file():
        return fail(args, f"There is no file {path}. Check the path.", EXIT_USAGE)
    if args.workers is not None and not 1 <= args.workers <= 32:
        return fail(args, "--workers must be between 1 and 32.", EXIT_USAGE)
    if args.dry_run:
        if args.resume:
            return fail(args, "--dry-run and --resume exclude each other.", EXIT_USAGE)
        return _dry_run(args, path)
    return _send(args, path)


# -- dry run -------------------------------------------------------------------------------


def _dry_run(args: argparse.Namespace, path: Path) -> int:
    from attentive_desktop.core.bulk_rows import check_file

    with CliContext(args) as ctx, _problem_report(args.report) as write_problem:

        def on_problem(problem: Any) -> None:
            write_problem(problem)
            if not args.json:
                print(problem.describe())

        report = check_file(
            path,
            region=ctx.region,
            schema=ctx.registry(),
            keep=MAX_JSON_PROBLEMS if args.json else 0,
            on_problem=on_problem,
        )
    layout = report.layout
    identifiers = [c.header.strip() for c in layout.identifier_columns] if layout else []
    properties = [
        {"name": c.name, "type": t.value if (t := report.column_types.get(c.name)) else None}
        for c in (layout.property_columns if layout else ())
    ]
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "file": str(path),
                "delimiter": layout.delimiter_name if layout else None,
                "identifier_columns": identifiers,
                "property_columns": properties,
                "rows": report.rows,
                "ready": report.sendable,
                "invalid": report.invalid,
                "empty": report.empty,
                "errors": report.errors,
                "warnings": report.warnings,
                "counts": dict(sorted(report.counts.items())),
                "problems": [
                    {
                        "row": p.row,
                        "column": p.column,
                        "severity": p.severity,
                        "code": p.code,
                        "message": p.message,
                    }
                    for p in report.problems
                ],
                "problems_omitted": report.dropped,
            }
        )
    else:
        if report.problems or report.counts:
            print()
        separated = f" ({layout.delimiter_name}-separated)" if layout else ""
        print(
            f"{path}{separated}: {report.rows} rows, {report.sendable} ready to send, "
            f"{report.invalid} invalid, {report.empty} with nothing to send."
        )
        if layout is not None:
            typed = ", ".join(
                f"{p['name']} ({p['type']})" if p["type"] else str(p["name"]) for p in properties
            )
            print(f"Identifier columns: {', '.join(identifiers) or 'none'}.")
            print(f"Property columns: {typed or 'none'}.")
        counts = ", ".join(f"{code} {n}" for code, n in sorted(report.counts.items()))
        found = f"{_plural(report.errors, 'error')}, {_plural(report.warnings, 'warning')}"
        print(f"{found}{': ' + counts if counts else ''}.")
        if report.header_blocks:
            print("The header has an error: no row can be sent until it is fixed.")
        print("Dry run: no request was sent.")
    return EXIT_OK if report.ok else EXIT_USAGE


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@contextlib.contextmanager
def _problem_report(target: str | None) -> Iterator[Any]:
    if not target:
        yield lambda problem: None
        return
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("row", "column", "severity", "code", "message"))
        yield lambda p: writer.writerow((p.row, p.column, p.severity, p.code, p.message))


# -- sending -------------------------------------------------------------------------------


def _send(args: argparse.Namespace, path: Path) -> int:
    from attentive_desktop.api.bulk import DEFAULT_WORKERS, BulkRunner, ResumeError
    from attentive_desktop.cli.progress import ProgressBar
    from attentive_desktop.core.csv_input import BulkFileError
    from attentive_desktop.store.journal import Journal

    bar = ProgressBar(sys.stderr) if not args.json and sys.stderr.isatty() else None
    try:
        with CliContext(args) as ctx:
            target = ctx.target()
            registry = ctx.registry()
            journal = Journal(ctx.db)
            runner = BulkRunner(
                ctx.make_client,
                journal,
                workers=args.workers or DEFAULT_WORKERS,
                region=ctx.region,
                schema=registry,
                learn=registry.learn_all,
                on_progress=bar,
                on_exchange=ctx.history_hook(failures_only=True),
            )
            run = runner.open_run(
                path, account=target.account, base_url=target.base_url, resume=args.resume
            )
            if bar is not None:
                verb = "Resuming" if args.resume else "Starting"
                print(f"{verb} run {run.id}: {run.total_rows} rows.", file=sys.stderr)
            summary, interrupted = _execute(runner, run)
            if bar is not None:
                bar.finish()
            written = journal.export_report(run.id, args.report) if args.report else None
            failures = list(journal.rows(run.id, states=("failed", "skipped-invalid")))
    except BulkFileError as exc:
        if not args.json:
            for problem in exc.problems:
                print(problem.describe(), file=sys.stderr)
        return fail(
            args,
            "The file cannot be used as it is. Fix the problems above (try --dry-run).",
            EXIT_USAGE,
            problems=[p.describe() for p in exc.problems],
        )
    except (ResumeError, CliError) as exc:
        return fail(args, str(exc), getattr(exc, "code", EXIT_USAGE))
    finally:
        if bar is not None:
            bar.finish()
    _print_summary(args, path, summary, failures, written)
    if interrupted:
        return EXIT_INTERRUPTED
    return EXIT_OK if summary.all_sent else EXIT_FAILED


def _execute(runner: Any, run: Any) -> tuple[Any, bool]:
    """Run on a thread so Ctrl-C (or SIGTERM) here cancels it cleanly: rows stay pending."""
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["summary"] = runner.execute(run)
        except BaseException as exc:
            box["error"] = exc

    interrupted = False
    thread = threading.Thread(target=work, name="bulk-run")
    with _sigterm_as_interrupt():
        thread.start()
        while thread.is_alive():
            try:
                thread.join(0.2)
            except KeyboardInterrupt:
                interrupted = True
                runner.cancel()
    if "error" in box:
        raise box["error"]
    return box["summary"], interrupted


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _print_summary(
    args: argparse.Namespace, path: Path, summary: Any, failures: list, written: int | None
) -> None:
    rate = summary.sent / summary.elapsed if summary.elapsed > 0 else 0.0
    if args.json:
        print_json(
            {
                "ok": summary.all_sent,
                "run_id": summary.run_id,
                "status": summary.status,
                "file": str(path),
                "total": summary.total,
                "sent": summary.sent,
                "failed": summary.failed,
                "skipped_invalid": summary.skipped_invalid,
                "skipped_empty": summary.skipped_empty,
                "pending": summary.pending,
                "elapsed_s": round(summary.elapsed, 3),
                "rate": round(rate, 2),
                "error": summary.error,
                "report": args.report,
                "failures": [
                    {
                        "row": r.row_no,
                        "identifier": r.label,
                        "status": r.state,
                        "attempts": r.attempts,
                        "message": r.message,
                    }
                    for r in failures[:MAX_JSON_FAILURES]
                ],
            }
        )
        return
    print(
        f"Run {summary.run_id} {summary.status} in {summary.elapsed:.1f} s: {summary.total} rows, "
        f"{summary.sent} sent, {summary.failed} failed, {summary.skipped_invalid} skipped as "
        f"invalid, {summary.skipped_empty} with nothing to send."
    )
    for row in failures[:MAX_LISTED]:
        who = f" ({row.label})" if row.label else ""
        print(f"Row {row.row_no}{who}: {row.state}: {row.message}", file=sys.stderr)
    if len(failures) > MAX_LISTED:
        more = len(failures) - MAX_LISTED
        hint = "" if args.report else " (write them all with --report OUT.csv)"
        print(f"… and {more} more{hint}.", file=sys.stderr)
    if summary.error:
        print(f"Stopped: {summary.error}", file=sys.stderr)
    if summary.pending:
        print(
            f"{summary.pending} rows are not sent yet. Continue with: bulk {path} --resume",
            file=sys.stderr,
        )
    if written is not None:
        print(f"Report: {args.report} ({written} rows).")
