"""core.key_in_values, and the client refusing to send an API key as an attribute."""

from __future__ import annotations

import httpx
import pytest

from attentive_desktop.api.client import AttentiveClient
from attentive_desktop.api.errors import InvalidRequest
from attentive_desktop.api.retry import RetryPolicy
from attentive_desktop.core.key_in_values import holds_key, key_findings
from attentive_desktop.core.validation import Severity

KEY = "sk_live_4f9a+Zq/81xY=="


def test_a_name_or_value_holding_the_key_is_an_error_that_never_quotes_it():
    findings = key_findings({"Note": f"see {KEY}", KEY: "x", "Color": "teal"}, (KEY,))
    assert [(f.severity, f.code) for f in findings] == [(Severity.ERROR, "api-key")] * 2
    assert findings[0].property == "Note"
    assert all(KEY not in f.message and "Remove" in f.message for f in findings)


@pytest.mark.parametrize("keys", [(), ("",)])
def test_without_a_key_nothing_is_found(keys):
    assert key_findings({"Note": "anything"}, keys) == []
    assert not holds_key("anything", keys)


def test_the_client_refuses_to_post_its_own_key_as_a_value():
    sent: list[httpx.Request] = []
    http = httpx.Client(
        transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200))
    )
    with AttentiveClient(
        "https://api.example.test/v1", KEY, http=http, retry=RetryPolicy(max_attempts=1)
    ) as client:
        with pytest.raises(InvalidRequest) as refused:
            client.set_custom_attributes({"phone": "+14155550100"}, {"Note": KEY})
        client.set_custom_attributes({"phone": "+14155550100"}, {"Note": "fine"})
    http.close()
    assert "API key" in str(refused.value) and KEY not in str(refused.value)
    assert [r.method for r in sent] == ["POST"]  # only the second
