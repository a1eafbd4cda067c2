"""Fault soak: 10,000 rows through the bulk engine against a sandbox that misbehaves.

The sandbox answers 10 % of requests with 500, drops 5 % of connections without an answer,
and a timer thread forces a burst of 429s every few seconds. The run is journaled like any
bulk run. Then every row is checked against the sandbox itself:

- confirmed: journaled as sent, and the server holds the value the row sent;
- failed: journaled as failed with a reason (grouped by reason below);
- lost: journaled as sent but not on the server, or in no final state, or failed without a
  reason. Must be 0.

Then "rerun failed" (a resume of the same run: failed and unsent rows are sent again, with the
faults still on) and the same figures once more. Requests per row counts every attempt.

    .venv/bin/python bench/soak.py [--rows 10000] [--limit 150] [--latency 0.0]
        [--error-rate 0.10] [--drop-rate 0.05] [--burst-every 5] [--burst 20] [--workers 24]
        [--max-attempts N]

tests/hardening/test_soak.py runs `run_soak` with 2,000 rows and a raised rate limit.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from attentive_desktop.api import AttentiveClient, RetryPolicy
from attentive_desktop.api.bulk import DEFAULT_WORKERS, BulkRunner, BulkSummary
from attentive_desktop.sandbox import SANDBOX_API_KEY, running_sandbox
from attentive_desktop.store.database import Database
from attentive_desktop.store.journal import FAILED, SENT, Journal

PROPERTY = "Soak marker"
MAX_ROWS = 10_000  # distinct +1 415 555 xxxx numbers


def phone(i: int) -> str:
    """The phone of row i (0-based): +14155550000 … +14155559999."""
    return f"+1415{5550000 + i:07d}"


def value(i: int, tag: str) -> str:
    """The value row i sends: unique per row and per soak, so stale data cannot pass."""
    return f"{tag}-{i}"


def write_rows(path: Path, rows: int, tag: str) -> None:
    """The soak's CSV: phone and one text property per row."""
    with path.open("w", encoding="utf-8") as out:
        out.write(f"phone,{PROPERTY}\n")
        for i in range(rows):
            out.write(f"{phone(i)},{value(i, tag)}\n")


@dataclass
class Figures:
    """Where every row stands after a pass, checked against the server."""

    rows: int
    confirmed: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    lost: list[str] = field(default_factory=list)
    failed_but_applied: int = 0
    requests: int = 0
    elapsed: float = 0.0
    summary: BulkSummary | None = None

    @property
    def failed_total(self) -> int:
        """Rows journaled as failed."""
        return sum(self.failed.values())

    def lines(self, title: str) -> list[str]:
        """The figures as printable lines."""
        status = self.summary.status if self.summary is not None else "?"
        out = [
            f"{title} ({status}, {self.elapsed:.1f} s):",
            f"  rows confirmed on the server: {self.confirmed:,} of {self.rows:,}",
            f"  rows failed: {self.failed_total:,}",
        ]
        out += [f"    {n:,} × {reason}" for reason, n in self.failed.most_common()]
        if self.failed_but_applied:
            out.append(f"    (of which {self.failed_but_applied:,} reached the server anyway)")
        out.append(f"  rows lost: {len(self.lost):,}")
        out += [f"    {what}" for what in self.lost[:10]]
        per_row = self.requests / self.rows if self.rows else 0.0
        out.append(f"  requests: {self.requests:,} ({per_row:.3f} per row)")
        return out


def check(journal: Journal, run_id: int, sandbox: object, rows: int, tag: str) -> Figures:
    """Compare every journaled row with what the sandbox holds."""
    figures = Figures(rows)
    seen = set()
    for row in journal.rows(run_id):
        i = row.row_no - 2  # spreadsheet numbering: the header is row 1
        seen.add(i)
        stored = sandbox.user_attributes(phone=phone(i)).get(PROPERTY)  # type: ignore[attr-defined]
        on_server = stored == value(i, tag)
        if row.state == SENT:
            if on_server:
                figures.confirmed += 1
            else:
                figures.lost.append(f"row {row.row_no}: journaled as sent, server has {stored!r}")
        elif row.state == FAILED:
            if not row.message.strip():
                figures.lost.append(f"row {row.row_no}: failed without a reason")
            else:
                figures.failed[_reason(row.message)] += 1
                figures.failed_but_applied += on_server
        else:
            figures.lost.append(f"row {row.row_no}: left {row.state}")
    figures.lost += [f"row {i + 2}: never journaled" for i in range(rows) if i not in seen]
    return figures


def _reason(message: str) -> str:
    """A failure message without the parts that differ per row (kept short for grouping)."""
    return message.split(" Server said:")[0][:160]


class Bursts:
    """Forces `size` 429s on the sandbox every `every` seconds from a timer thread."""

    def __init__(self, sandbox: object, every: float, size: int) -> None:
        self._sandbox = sandbox
        self._every = every
        self._size = size
        self._stop = threading.Event()
        self.count = 0
        self._thread = threading.Thread(target=self._run, name="soak-429", daemon=True)

    def __enter__(self) -> Bursts:
        if self._every > 0 and self._size > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._every):  # a timer, not a synchronisation sleep
            self._sandbox.burst_429(self._size)  # type: ignore[attr-defined]
            self.count += 1


def run_soak(
    rows: int = MAX_ROWS,
    *,
    rate_limit: int = 150,
    latency: float = 0.0,
    error_rate: float = 0.10,
    drop_rate: float = 0.05,
    burst_every: float = 5.0,
    burst: int = 20,
    workers: int = DEFAULT_WORKERS,
    seed: int | None = 6,
    max_attempts: int | None = None,
    rerun_faults: bool = True,
    out: Callable[[str], None] = print,
) -> tuple[Figures, Figures]:
    """Run the soak and the rerun of failed rows; returns both passes' figures.

    `max_attempts` overrides the client's retry policy for the first pass (fewer attempts,
    more failed rows to rerun); the rerun uses the client's defaults. `rerun_faults` False
    turns the faults off for the rerun (the outage is over)."""
    if not 1 <= rows <= MAX_ROWS:
        raise ValueError(f"rows must be between 1 and {MAX_ROWS}")
    tag = f"soak{time.time_ns() % 1_000_000}"
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "soak.csv"
        write_rows(csv_path, rows, tag)
        db = Database(Path(tmp) / "soak.sqlite3")
        journal = Journal(db)
        try:
            with running_sandbox(rate_limit=rate_limit, latency=latency, seed=seed) as sandbox:
                sandbox.set_faults(error_rate=error_rate, drop_rate=drop_rate)
                out(
                    f"{rows:,} rows, {error_rate:.0%} 500s, {drop_rate:.0%} dropped connections, "
                    f"{burst} forced 429s every {burst_every:g} s, limit {rate_limit}/s, "
                    f"latency {latency * 1000:.0f} ms, {workers} workers"
                )
                first = _pass(
                    sandbox, journal, csv_path, rows, tag, workers, burst_every, burst,
                    max_attempts=max_attempts,
                )  # fmt: skip
                out("\n".join(first.lines("Run")))
                if first.failed_total or first.lost:
                    if not rerun_faults:
                        sandbox.set_faults(0.0, 0.0)
                        # The last burst's unused 429s too: the rerun otherwise met up to
                        # `burst` of them at once and a row could fail again (a flaky test).
                        sandbox.burst_429(0)
                        burst = 0
                    second = _pass(
                        sandbox, journal, csv_path, rows, tag, workers, burst_every, burst,
                        rerun=True,
                    )  # fmt: skip
                    out("\n".join(second.lines("After rerun failed")))
                else:
                    second = first
                    out("After rerun failed: nothing to rerun (no row failed).")
        finally:
            db.close()
    return first, second


def _pass(
    sandbox: object,
    journal: Journal,
    csv_path: Path,
    rows: int,
    tag: str,
    workers: int,
    burst_every: float,
    burst: int,
    *,
    rerun: bool = False,
    max_attempts: int | None = None,
) -> Figures:
    attempts = 0
    lock = threading.Lock()

    def count(_exchange: object) -> None:
        nonlocal attempts
        with lock:
            attempts += 1

    base_url = sandbox.base_url  # type: ignore[attr-defined]
    retry = RetryPolicy(max_attempts=max_attempts) if max_attempts else None
    runner = BulkRunner(
        lambda hook: AttentiveClient(base_url, SANDBOX_API_KEY, on_exchange=hook, retry=retry),
        journal,
        workers=workers,
        on_exchange=count,
    )
    started = time.monotonic()
    with Bursts(sandbox, burst_every, burst):
        summary = runner.run(csv_path, resume=rerun)
    figures = check(journal, summary.run_id, sandbox, rows, tag)
    figures.elapsed = time.monotonic() - started
    figures.requests = attempts
    figures.summary = summary
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=MAX_ROWS)
    parser.add_argument("--limit", type=int, default=150)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--error-rate", type=float, default=0.10)
    parser.add_argument("--drop-rate", type=float, default=0.05)
    parser.add_argument("--burst-every", type=float, default=5.0)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument(
        "--max-attempts", type=int, default=None, help="attempts per row in the first pass"
    )
    args = parser.parse_args(argv)
    first, second = run_soak(
        args.rows,
        rate_limit=args.limit,
        latency=args.latency,
        error_rate=args.error_rate,
        drop_rate=args.drop_rate,
        burst_every=args.burst_every,
        burst=args.burst,
        workers=args.workers,
        max_attempts=args.max_attempts,
    )
    ok = not first.lost and not second.lost and second.failed_total == 0
    print("OK: 0 rows lost" if ok else "NOT OK: see the rows lost or still failed above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
