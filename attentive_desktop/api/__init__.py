"""HTTP access to Attentive's Custom Attributes API (httpx; no Qt).

Everything a caller needs is re-exported here: the client, its errors, the exchange record,
retry policy, pacer and base URL checks.
"""

from attentive_desktop.api.client import AttentiveClient, CustomAttribute, MeInfo
from attentive_desktop.api.errors import (
    AccessDenied,
    ApiError,
    BadRequest,
    Cancelled,
    InsecureBaseUrl,
    InvalidRequest,
    NetworkError,
    NotFound,
    RateLimited,
    RequestTimeout,
    ServerError,
    Unauthorized,
    UnexpectedResponse,
    error_for_response,
)
from attentive_desktop.api.exchange import RESPONSE_BODY_LIMIT, Exchange
from attentive_desktop.api.pacing import RateLimitPacer
from attentive_desktop.api.retry import RetryPolicy
from attentive_desktop.api.urls import DEFAULT_BASE_URL, is_loopback_host, validate_base_url
from attentive_desktop.api.useragent import user_agent

__all__ = [
    "DEFAULT_BASE_URL",
    "RESPONSE_BODY_LIMIT",
    "AccessDenied",
    "ApiError",
    "AttentiveClient",
    "BadRequest",
    "Cancelled",
    "CustomAttribute",
    "Exchange",
    "InsecureBaseUrl",
    "InvalidRequest",
    "MeInfo",
    "NetworkError",
    "NotFound",
    "RateLimitPacer",
    "RateLimited",
    "RequestTimeout",
    "RetryPolicy",
    "ServerError",
    "Unauthorized",
    "UnexpectedResponse",
    "error_for_response",
    "is_loopback_host",
    "user_agent",
    "validate_base_url",
]
