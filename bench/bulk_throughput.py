"""Bulk throughput: 3,000 rows through the bulk engine against the sandbox at 150/s, 20 ms latency.

Runs BulkRunner (the engine behind `attentive-desktop bulk`) with a journal in a temporary
database against an embedded sandbox, then prints, from that one run:

- achieved rate / advertised limit: rows answered 200 per second of the run, over the limit
  the server advertises in x-ratelimit-limit (target ≥ 0.95);
- the share of requests answered 429 (target ≤ 1 %), counted by the sandbox itself.

With `--concurrent N`, N runs of --rows rows each go at once on the same account (as the
window's run and one on the command line would), each with its own journal database in one
folder, so they find each other (store/rate_share.py) and split the limit; the rate is then
theirs together. Without that sharing, two runs had ~25 % of their requests refused and a
row or two failed.

    .venv/bin/python bench/bulk_throughput.py [--rows 3000] [--limit 150] [--latency 0.02]
        [--workers 24] [--window fixed|sliding] [--concurrent 1]

`--window sliding` makes the sandbox count any trailing second (stricter than its default
window that opens with the first request).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

from attentive_desktop.api import AttentiveClient
from attentive_desktop.api.bulk import DEFAULT_WORKERS, BulkRunner, BulkSummary
from attentive_desktop.sandbox import SANDBOX_API_KEY, running_sandbox
from attentive_desktop.store.database import Database
from attentive_desktop.store.journal import Journal

RATE_TARGET = 0.95
REFUSED_TARGET = 0.01


def write_rows(path: Path, rows: int, first: int = 0) -> None:
    """A CSV of distinct US numbers (from the ``first``-th) with two properties each."""
    with path.open("w", encoding="utf-8") as out:
        out.write("phone,VIP,points\n")
        for i in range(first, first + rows):
            out.write(f"+1415{5550000 + i:07d},true,{i}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--limit", type=int, default=150)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--window", choices=("fixed", "sliding"), default="fixed")
    parser.add_argument("--concurrent", type=int, default=1, help="runs at once (one account)")
    args = parser.parse_args(argv)

    summaries: list[BulkSummary] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_sandbox(
            rate_limit=args.limit, latency=args.latency, rate_window=args.window
        ) as sandbox,
    ):

        def one_run(number: int) -> None:
            csv_path = Path(tmp) / f"rows-{number}.csv"
            write_rows(csv_path, args.rows, first=number * args.rows)
            db = Database(Path(tmp) / f"bench-{number}.sqlite3")
            runner = BulkRunner(
                lambda hook: AttentiveClient(sandbox.base_url, SANDBOX_API_KEY, on_exchange=hook),
                Journal(db),
                workers=args.workers,
            )
            summaries.append(runner.execute(runner.open_run(csv_path)))
            db.close()

        runs = [threading.Thread(target=one_run, args=(n,)) for n in range(args.concurrent)]
        began = time.monotonic()
        for thread in runs:
            thread.start()
        for thread in runs:
            thread.join()
        elapsed = time.monotonic() - began
        posts = [r for r in sandbox.requests if r.method == "POST"]

    refused = sum(1 for r in posts if r.status == 429)
    ok = sum(1 for r in posts if r.status == 200)
    rate = ok / elapsed
    ratio = rate / args.limit
    share = refused / len(posts) if posts else 0.0
    sent = sum(s.sent for s in summaries)
    failed = sum(s.failed for s in summaries)
    statuses = ", ".join(sorted({s.status for s in summaries}))
    print(
        f"{args.concurrent} × {args.rows} rows, limit {args.limit}/s ({args.window} window), "
        f"latency {args.latency * 1000:.0f} ms, {args.workers} workers: {statuses}, "
        f"{sent} sent, {failed} failed in {elapsed:.2f} s"
    )
    print(f"achieved rate / limit: {rate:.1f}/{args.limit} = {ratio:.3f} (target >= {RATE_TARGET})")
    print(f"429 share: {refused}/{len(posts)} = {share:.2%} (target <= {REFUSED_TARGET:.0%})")
    met = ratio >= RATE_TARGET and share <= REFUSED_TARGET and sent == args.rows * args.concurrent
    print("targets met" if met else "TARGETS MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
