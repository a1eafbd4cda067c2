"""The fault soak at test size: 2,000 rows through the bulk engine against a sandbox giving
10 % 500s, 5 % dropped connections and periodic 429 bursts. No row may be lost, and rerunning
the failed rows once the faults stop completes every one of them (bench/soak.py runs the
10,000-row version, with the faults still on during the rerun)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SOAK = Path(__file__).resolve().parents[2] / "bench" / "soak.py"


def _soak_module():
    spec = importlib.util.spec_from_file_location("attentive_soak", SOAK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_2000_rows_under_faults_lose_nothing_and_rerun_completes_the_failed() -> None:
    soak = _soak_module()
    printed: list[str] = []
    first, second = soak.run_soak(
        2000,
        rate_limit=1000,  # raised so the test stays short; the pacing is the same
        latency=0.0,
        burst_every=1.0,
        burst=30,
        max_attempts=2,  # fewer retries in the first pass, so some rows do fail
        rerun_faults=False,  # the outage is over when the user reruns the failed rows
        out=printed.append,
    )
    report = "\n".join(printed)
    assert first.lost == [], report
    assert first.confirmed + first.failed_total == 2000, report
    assert first.failed_total > 0, report  # the faults did bite: there is something to rerun
    assert first.requests > 2000, report  # retries happened
    assert all(reason.endswith(".") for reason in first.failed), report  # reasons are sentences
    assert second.lost == [], report
    assert second.failed_total == 0, report
    assert second.confirmed == 2000, report
    assert "rows lost: 0" in report
