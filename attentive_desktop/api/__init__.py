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
    TlsFailure,
    Unauthorized,
    UnexpectedResponse,
    error_for_response,
    error_kind,
    is_retryable,
)
from attentive_desktop.api.exchange import RESPONSE_BODY_LIMIT, Exchange
from attentive_desktop.api.pacing import ENDPOINT_LIMITS, EndpointPacers, RateLimitPacer
from attentive_desktop.api.profile import SubscriptionEligibility
from attentive_desktop.api.retry import RetryPolicy
from attentive_desktop.api.urls import DEFAULT_BASE_URL, is_loopback_host, validate_base_url
from attentive_desktop.api.useragent import user_agent

__all__ = [
    "DEFAULT_BASE_URL",
    "ENDPOINT_LIMITS",
    "RESPONSE_BODY_LIMIT",
    "AccessDenied",
    "ApiError",
    "AttentiveClient",
    "BadRequest",
    "Cancelled",
    "CustomAttribute",
    "EndpointPacers",
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
    "SubscriptionEligibility",
    "TlsFailure",
    "Unauthorized",
    "UnexpectedResponse",
    "error_for_response",
    "error_kind",
    "is_loopback_host",
    "is_retryable",
    "user_agent",
    "validate_base_url",
]
