"""Fixtures for the command-line tests: a sandbox in this process, CLI runs in and out of it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest

from attentive_desktop.cli import main
from attentive_desktop.sandbox import SandboxServer, running_sandbox


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with running_sandbox(seed=11) as server:
        yield server
        assert server.internal_errors == []


@pytest.fixture
def cli(capsys) -> Callable[..., tuple[int, str, str]]:
    """Run ``main(argv)`` in this process: (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def cli_json(cli) -> Callable[..., tuple[int, dict]]:
    """Run with --json and parse stdout."""

    def run(*argv: str) -> tuple[int, dict]:
        code, out, _ = cli(*argv, "--json")
        return code, json.loads(out)

    return run
