"""Check that the packaged app can run a bulk run as its own child process.

The window starts `attentive-desktop _bulk-engine` for a bulk run (api/bulk_process.py).
This runs the frozen executable that way against an embedded sandbox on 127.0.0.1 with a
three-row CSV, and checks every row was sent.

    .venv/bin/python packaging/check_frozen_engine.py [dist/attentive-desktop/attentive-desktop]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from attentive_desktop import BULK_ENGINE_WORD
from attentive_desktop.api.bulk_process import BulkProcess, EngineEvents, EngineRequest
from attentive_desktop.sandbox import SANDBOX_API_KEY, running_sandbox
from attentive_desktop.store.database import Database

DEFAULT_EXECUTABLE = Path("dist/attentive-desktop/attentive-desktop")


def main() -> int:
    executable = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_EXECUTABLE
    with tempfile.TemporaryDirectory() as tmp, running_sandbox() as sandbox:
        csv_path = Path(tmp) / "rows.csv"
        csv_path.write_text("phone,VIP\n+14155550100,true\n+14155550101,true\n+14155550102,false\n")
        database = Database(Path(tmp) / "app.sqlite3")  # creates the schema the child expects
        rows: list[object] = []
        engine = BulkProcess(
            EngineEvents(row=rows.append), command=[str(executable), BULK_ENGINE_WORD]
        )
        summary = engine.run(
            EngineRequest(
                database=str(database.path), path=str(csv_path), account="Sandbox",
                base_url=sandbox.base_url, key=SANDBOX_API_KEY, workers=2,
            )
        )  # fmt: skip
        database.close()
    if summary.status != "completed" or summary.sent != 3 or len(rows) != 3:
        print(f"the frozen bulk engine did not send every row: {summary}", file=sys.stderr)
        return 1
    print(f"frozen bulk engine ok: {summary.sent} rows sent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
