"""Base URL validation, the User-Agent, and the import boundary."""

from __future__ import annotations

import platform
import re
import subprocess
import sys

import httpx
import pytest

import attentive_desktop
from attentive_desktop.api import (
    DEFAULT_BASE_URL,
    AttentiveClient,
    InsecureBaseUrl,
    is_loopback_host,
    user_agent,
    validate_base_url,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (DEFAULT_BASE_URL, "https://api.attentivemobile.com/v1"),
        ("  HTTPS://API.AttentiveMobile.com/v1/ ", "https://api.attentivemobile.com/v1"),
        ("https://api.example.test:8443/v1", "https://api.example.test:8443/v1"),
        ("http://127.0.0.1:54321/v1", "http://127.0.0.1:54321/v1"),
        ("http://127.8.9.10/v1", "http://127.8.9.10/v1"),
        ("http://localhost:8080/v1", "http://localhost:8080/v1"),
        ("http://[::1]:9000/v1", "http://[::1]:9000/v1"),
        ("https://[2001:db8::1]/v1", "https://[2001:db8::1]/v1"),
    ],
)
def test_accepted_base_urls(url, expected):
    assert validate_base_url(url) == expected


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("http://api.attentivemobile.com/v1", "must use https://"),
        ("http://10.0.0.5/v1", "must use https://"),
        ("http://localhost.evil.com/v1", "must use https://"),
        ("http://128.0.0.1/v1", "must use https://"),
        ("ftp://api.attentivemobile.com/v1", "must start with https://"),
        ("api.attentivemobile.com/v1", "must start with https://"),
        ("file:///etc/passwd", "must start with https://"),
        ("https:///v1", "no host name"),
        ("https://user:pass@api.attentivemobile.com/v1", "user name or password"),
        ("https://key@api.attentivemobile.com/v1", "user name or password"),
        ("https://api.attentivemobile.com/v1?x=1", "query"),
        ("https://api.attentivemobile.com/v1#frag", "fragment"),
        ("https://api.attentive mobile.com/v1", "spaces"),
        ("https://api.attentivemobile.com:99999/v1", "not a valid web address"),
        ("", "Enter a base URL"),
    ],
)
def test_refused_base_urls(url, phrase):
    with pytest.raises(InsecureBaseUrl, match=re.escape(phrase)) as caught:
        validate_base_url(url)
    assert isinstance(caught.value, ValueError)


def test_client_refuses_an_insecure_base_url_before_anything_else():
    with pytest.raises(InsecureBaseUrl):
        AttentiveClient("http://api.attentivemobile.com/v1", "key-123456")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("0.0.0.0", False),
        ("example.com", False),
    ],
)
def test_loopback_hosts(host, loopback):
    assert is_loopback_host(host) is loopback


def test_user_agent_names_app_httpx_and_python():
    assert user_agent() == (
        f"attentive-desktop/{attentive_desktop.__version__} httpx/{httpx.__version__} "
        f"Python/{platform.python_version()}"
    )


def test_default_client_verifies_tls_and_allows_a_concurrent_runner():
    with AttentiveClient(DEFAULT_BASE_URL, "key-123456") as client:
        pool = client._http._transport._pool
        assert pool._ssl_context.verify_mode.name == "CERT_REQUIRED"
        assert pool._max_connections >= 32


def test_api_layer_imports_no_qt():
    code = (
        "import sys, attentive_desktop.api; "
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
