"""Base URL checks: HTTPS everywhere except loopback, no credentials in the URL."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

from attentive_desktop.api.errors import InsecureBaseUrl

DEFAULT_BASE_URL = "https://api.attentivemobile.com/v1"


def is_loopback_host(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (also as an IPv4-mapped address)."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def validate_base_url(url: str) -> str:
    """Return `url` normalised (lower-case scheme and host, no trailing slash) or raise
    InsecureBaseUrl with a sentence saying what is wrong."""
    if not isinstance(url, str) or not url.strip():
        raise InsecureBaseUrl("Enter a base URL, for example " + DEFAULT_BASE_URL + ".")
    url = url.strip()
    if any(ch.isspace() for ch in url):
        raise InsecureBaseUrl("The base URL must not contain spaces.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InsecureBaseUrl("The base URL is not a valid web address.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise InsecureBaseUrl(
            "The base URL must start with https:// (for example " + DEFAULT_BASE_URL + ")."
        )
    if "@" in parts.netloc:
        raise InsecureBaseUrl(
            "The base URL must not contain a user name or password. "
            "Put the API key in the key field instead."
        )
    host = (parts.hostname or "").lower()
    if not host:
        raise InsecureBaseUrl("The base URL has no host name.")
    if scheme == "http" and not is_loopback_host(host):
        raise InsecureBaseUrl(
            "The base URL must use https:// so the API key is encrypted in transit. "
            "Plain http:// is allowed only for this computer (localhost)."
        )
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise InsecureBaseUrl("The base URL must not contain a query (?…) or fragment (#…).")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), "", ""))
