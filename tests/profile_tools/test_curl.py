from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from dataclasses import dataclass

import pytest

from attentive_desktop.core.curl import as_curl, record_as_curl

KEY = "sk_live_SECRET_0123456789abcdef"
BODY = json.dumps({"properties": {"it's": "a $HOME `x` b"}, "user": {"phone": "+14155550100"}})
URL = "https://api.attentivemobile.com/v1/attributes/custom"


def test_post_round_trips_through_shlex_and_holds_no_key() -> None:
    command = as_curl("POST", URL, BODY, "attentive-desktop/0.1 httpx/0.28", secrets=[KEY])
    assert KEY not in command
    assert '-H "Authorization: Bearer $ATTENTIVE_API_KEY"' in command
    argv = shlex.split(command)
    assert argv[:4] == ["curl", "-X", "POST", URL]
    assert argv[argv.index("--data-raw") + 1] == BODY
    assert argv[argv.index("-A") + 1] == "attentive-desktop/0.1 httpx/0.28"
    assert "Authorization: Bearer $ATTENTIVE_API_KEY" in argv
    assert "Content-Type: application/json" in argv


def test_get_has_no_method_flag_or_body_and_keeps_the_encoded_plus() -> None:
    command = as_curl("GET", URL + "?phone=%2B14155550100", None, "ua")
    argv = shlex.split(command)
    assert argv[1] == URL + "?phone=%2B14155550100"
    assert "-X" not in argv and "--data-raw" not in argv


def test_credentials_leaking_into_the_url_or_body_are_blanked() -> None:
    body = f'{{"authorization": "Bearer {KEY}", "note": "Bearer {KEY}"}}'
    command = as_curl("POST", f"{URL}?k={KEY}", body, "ua", secrets=[KEY])
    assert KEY not in command
    assert command.count("[redacted]") >= 3


@dataclass(frozen=True)
class Record:
    method: str = "POST"
    url: str = URL
    request_body: str = BODY
    user_agent: str = "ua"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("multiline", [False, True])
def test_bash_runs_it_with_the_key_from_the_environment(multiline: bool) -> None:
    command = as_curl("POST", URL, BODY, "ua", multiline=multiline)
    if not multiline:
        assert command == record_as_curl(Record())
    script = f"curl() {{ printf '%s\\n' \"$@\"; }}\n{command}\n"
    result = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
        env={"ATTENTIVE_API_KEY": "from-env", "PATH": "/usr/bin:/bin"},
    )
    lines = result.stdout.split("\n")
    assert "Authorization: Bearer from-env" in lines
    assert BODY in lines
