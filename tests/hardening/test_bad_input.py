"""Bad input everywhere: property sets and identifiers of any shape never crash; each refusal
is a finding or an InvalidIdentifier whose message names the property or field and the fix."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from attentive_desktop.api import AttentiveClient, InvalidRequest, RetryPolicy
from attentive_desktop.core._text import shown
from attentive_desktop.core.identifiers import (
    InvalidIdentifier,
    UserRef,
    normalize_email,
    normalize_phone,
)
from attentive_desktop.core.limits import LONG_VALUE, MAX_VALUE_LENGTH
from attentive_desktop.core.validation import Finding, Severity, validate_properties

from .support import API_KEY

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Every message ends by telling the person what to do; these are the verbs it starts with.
FIX = re.compile(
    r"\b(Give|Shorten|Send|Enter|Remove|Pick|Retype|Check|Use|Keep|Add|Did you mean|check)\b"
)
E164 = re.compile(r"\+[1-9][0-9]{6,14}")

any_char = st.characters(codec=None, exclude_categories=())
weird_text = st.text(any_char, max_size=40)
json_looking = st.sampled_from(
    ['["chicago", "new york"]', '{"a": 1}', "[]", "{}", "[1]", "[", "null", '"quoted"', "[[[]]]"]
)
names = (
    weird_text
    | json_looking
    | st.sampled_from(["a" * 200, "a" * 201, "é" * 201, " age", "age\u200b", "VIP\x00", ""])
    | st.text(any_char, min_size=201, max_size=260)
)
values = (
    weird_text
    | json_looking
    | st.integers()
    | st.floats()
    | st.booleans()
    | st.none()
    | st.lists(st.text(max_size=3), max_size=2)
    | st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2)
    | st.sampled_from(["x" * (LONG_VALUE + 1), "1" * 5000, "\x1b[2J", "true\u200b", "2021-02-30"])
)


def _names_its_property(finding: Finding) -> bool:
    name = finding.property
    if name in finding.message:
        return True
    # Very long or broken names are quoted shortened, with invisible characters made visible.
    return shown(name, 80)[:40] in finding.message


def _check_findings(findings: list[Finding]) -> None:
    for finding in findings:
        assert finding.message.strip() == finding.message and finding.message
        finding.message.encode("utf-8")  # printable, loggable, storable: no lone surrogates
        assert len(finding.message) < 1200, finding.message[:100]
        assert _names_its_property(finding), finding
        assert FIX.search(finding.message), finding.message


@FAST
@given(st.dictionaries(names, values, max_size=5))
def test_validation_never_raises_and_every_finding_names_the_property_and_the_fix(props) -> None:
    _check_findings(validate_properties(props))


@pytest.fixture(scope="module")
def client():
    sent: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with AttentiveClient(
        "https://api.example.test/v1", API_KEY, http=http, retry=RetryPolicy(max_attempts=1)
    ) as made:
        made.sent = sent  # type: ignore[attr-defined]
        yield made
    http.close()


@FAST
@given(st.dictionaries(names, values, min_size=1, max_size=4))
def test_the_client_either_refuses_with_a_message_or_sends_valid_utf8_json(client, props) -> None:
    before = len(client.sent)
    try:
        client.set_custom_attributes({"phone": "+14155550100"}, props)
    except InvalidRequest as refused:
        assert refused.findings and all(f.severity is Severity.ERROR for f in refused.findings)
        assert str(refused).startswith(refused.findings[0].message)
        assert len(client.sent) == before  # nothing left the machine
        return
    body = json.loads(client.sent[-1].decode("utf-8"))
    assert set(body["properties"]) == set(props)
    assert all(isinstance(v, str) for v in body["properties"].values())


def test_a_10_mb_value_is_refused_before_it_is_sent() -> None:
    (finding,) = validate_properties({"Notes": "x" * 10_000_000})
    assert (finding.severity, finding.code) == (Severity.ERROR, "value-too-long")
    assert finding.message == (
        "The value of 'Notes' is 10,000,000 characters long; this app sends at most 1,000,000 "
        "(Attentive documents no limit, and requests this large are commonly refused). Shorten "
        "the value, or check what was pasted."
    )


def test_a_long_value_is_a_warning_and_the_limits_are_exact() -> None:
    assert validate_properties({"Notes": "x" * LONG_VALUE}) == []
    (finding,) = validate_properties({"Notes": "x" * (LONG_VALUE + 1)})
    assert (finding.severity, finding.code) == (Severity.WARNING, "long-value")
    assert "1,001 characters long" in finding.message
    assert "does not document a limit" in finding.message
    codes = [f.code for f in validate_properties({"Notes": "x" * MAX_VALUE_LENGTH})]
    assert codes == ["long-value"]
    codes = [f.code for f in validate_properties({"Notes": "x" * (MAX_VALUE_LENGTH + 1)})]
    assert codes == ["value-too-long"]


def test_a_10_mb_name_gets_a_short_message() -> None:
    (finding,) = validate_properties({"n" * 10_000_000: "x"})
    assert finding.code == "name-too-long"
    assert len(finding.message) < 300
    assert "10000000 characters long" in finding.message


@pytest.mark.parametrize(
    ("props", "code", "quoted"),
    [
        ({"a\ud800b": "x"}, "unsupported-value", "a\\ud800b"),
        ({"ok": "x\udc80"}, "unsupported-value", "'ok'"),
        ({"VIP\u200b": "true"}, "whitespace", "\\u200b"),
        ({"Fav\x00color": "red"}, "whitespace", "\\u0000"),
    ],
)
def test_broken_and_invisible_characters_are_reported(props, code, quoted) -> None:
    findings = validate_properties(props)
    assert [f.code for f in findings] == [code]
    assert quoted in findings[0].message
    findings[0].message.encode("utf-8")


# --- identifiers -------------------------------------------------------------------------

_separators = st.sampled_from([" ", "-", ".", "", "\u00a0", "/", "  "])


@st.composite
def _us_phone_spellings(draw) -> str:
    groups = ["415", "555", "0100"]
    digits = draw(
        st.sampled_from(
            [str.maketrans("", ""), str.maketrans("0123456789", "０１２３４５６７８９")]
        )
    )
    parts = [g.translate(digits) for g in groups]
    if draw(st.booleans()):
        parts[0] = f"({parts[0]})"
    prefix = draw(st.sampled_from(["", "+1 ", "1 ", "+1-", "tel:+1-", "1"]))
    sep = draw(_separators)
    return (
        draw(st.sampled_from(["", " ", "\t"]))
        + prefix
        + sep.join(parts)
        + draw(st.sampled_from(["", " ", "\n"]))
    )


@FAST
@given(_us_phone_spellings())
def test_odd_spellings_of_a_valid_phone_all_normalise_to_one_number(text) -> None:
    assert normalize_phone(text) == "+14155550100"


@FAST
@given(st.text(any_char, max_size=30) | _us_phone_spellings().map(lambda s: s + "x9"))
def test_any_phone_text_is_e164_or_a_phone_refusal(text) -> None:
    try:
        result = normalize_phone(text)
    except InvalidIdentifier as refused:
        assert refused.field == "phone"
        assert "phone number" in refused.message and FIX.search(refused.message)
        refused.message.encode("utf-8")
    else:
        assert E164.fullmatch(result), result


_local = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=12)
_domain = st.lists(st.text(any_char, min_size=0, max_size=8), min_size=1, max_size=3).map(".".join)


@FAST
@given(_local, _domain)
def test_any_email_text_is_normalised_or_an_email_refusal(local, domain) -> None:
    text = f"{local}@{domain}"
    try:
        result = normalize_email(text)
    except InvalidIdentifier as refused:
        assert refused.field == "email"
        assert "email address" in refused.message and FIX.search(refused.message)
        refused.message.encode("utf-8")
    else:
        assert result.count("@") == 1 and result.encode("utf-8")
        assert result.split("@")[1] == result.split("@")[1].lower()


@pytest.mark.parametrize(
    "pairs",
    [[("", "")], [(" ", "\t")], [("", ""), (None, None)], [(None, "")]],
)
def test_empty_custom_identifiers_are_absent_not_errors(pairs) -> None:
    user = UserRef.parse(email="ada@example.com", custom_identifiers=pairs)
    assert user.custom_identifiers == ()
    with pytest.raises(InvalidIdentifier) as caught:
        UserRef.parse(custom_identifiers=pairs)
    assert caught.value.field == "user"
    assert "Enter at least one identifier" in caught.value.message


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"client_user_id": "abc\x00"}, "clientUserId", "clientUserId"),
        ({"client_user_id": "ab\u200bc"}, "clientUserId", "\\u200b"),
        ({"client_user_id": "\ud800"}, "clientUserId", "\\ud800"),
        ({"custom_identifiers": [("loyalty\x07", "1")]}, "customIdentifiers", "name"),
        ({"custom_identifiers": [("loyalty", "1\u202e2")]}, "customIdentifiers", "'loyalty'"),
    ],
)
def test_invisible_characters_in_external_ids_are_refused(kwargs, field, words) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        UserRef.parse(**kwargs)
    assert caught.value.field == field
    assert words in caught.value.message
    assert "Retype it without them" in caught.value.message
    caught.value.message.encode("utf-8")


@FAST
@given(
    phone=st.none() | weird_text,
    email=st.none() | weird_text,
    client_user_id=st.none() | weird_text,
    custom=st.lists(st.tuples(st.none() | weird_text, st.none() | weird_text), max_size=3),
)
def test_any_user_is_sendable_json_or_refused_naming_the_field(
    phone, email, client_user_id, custom
) -> None:
    try:
        user = UserRef.parse(
            phone=phone, email=email, client_user_id=client_user_id, custom_identifiers=custom
        )
    except InvalidIdentifier as refused:
        assert refused.field in {"phone", "email", "clientUserId", "customIdentifiers", "user"}
        assert FIX.search(refused.message), refused.message
        refused.message.encode("utf-8")
        return
    wire = json.dumps(user.to_user_json(), ensure_ascii=False).encode("utf-8")
    assume(wire)
    assert user.describe()
