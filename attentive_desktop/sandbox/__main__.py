"""``python -m attentive_desktop.sandbox``: run the sandbox in the foreground until Ctrl+C."""

from __future__ import annotations

import argparse
import threading

from .server import SandboxServer


def main(argv: list[str] | None = None) -> int:
    """Parse options, serve, print how to reach the sandbox, and stop cleanly on Ctrl+C."""
    parser = argparse.ArgumentParser(
        prog="python -m attentive_desktop.sandbox",
        description="Run the Attentive API sandbox on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to bind (default: any free)")
    parser.add_argument("--rate-limit", type=int, default=150, help="requests/s per endpoint")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per response")
    parser.add_argument("--error-rate", type=float, default=0.0, help="share answered with 500")
    parser.add_argument("--drop-rate", type=float, default=0.0, help="share of dropped requests")
    parser.add_argument("--seed", type=int, default=None, help="seed for injected faults")
    args = parser.parse_args(argv)

    server = SandboxServer(
        port=args.port, rate_limit=args.rate_limit, latency=args.latency, seed=args.seed
    )
    server.set_faults(error_rate=args.error_rate, drop_rate=args.drop_rate)
    server.start()
    print(f"Attentive sandbox listening at {server.base_url}", flush=True)
    print(f"API key (full access):  {server.api_key}", flush=True)
    print(f"API key (read-only):    {server.readonly_key}", flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    print("Sandbox stopped.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
