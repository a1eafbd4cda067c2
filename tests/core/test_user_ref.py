"""UserRef: parsing identifiers as typed, the user JSON, the lookup query and the label."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attentive_desktop.core.identifiers import (
    CustomIdentifier,
    InvalidIdentifier,
    LookupQuery,
    UserRef,
)

# --- UserRef.parse -----------------------------------------------------------------------


def test_parse_normalises_every_identifier() -> None:
    user = UserRef.parse(
        phone="(415) 555-0100",
        email=" Ada@Example.COM ",
        client_user_id="  cu-1 ",
        custom_identifiers=[("loyaltyId", " L-9 "), CustomIdentifier("crm", "42")],
    )
    assert user == UserRef(
        phone="+14155550100",
        email="Ada@example.com",
        client_user_id="cu-1",
        custom_identifiers=(CustomIdentifier("loyaltyId", "L-9"), CustomIdentifier("crm", "42")),
    )


def test_parse_uses_the_region_for_national_numbers() -> None:
    assert UserRef.parse(phone="020 7946 0958", region="GB").phone == "+442079460958"


def test_parse_treats_blanks_as_absent() -> None:
    user = UserRef.parse(phone="  ", email="ada@example.com", client_user_id="", region="US")
    assert user == UserRef(email="ada@example.com")


def test_parse_skips_fully_blank_custom_identifier_rows() -> None:
    user = UserRef.parse(custom_identifiers=[("", ""), (" ", None), ("crm", "7")])
    assert user.custom_identifiers == (CustomIdentifier("crm", "7"),)


def test_parse_accepts_a_single_custom_identifier() -> None:
    user = UserRef.parse(custom_identifiers=CustomIdentifier("crm", "7"))  # type: ignore[arg-type]
    assert user.custom_identifiers == (CustomIdentifier("crm", "7"),)


@pytest.mark.parametrize(
    ("pairs", "words"),
    [
        ([("crm", "")], "'crm' has no value"),
        ([("crm", "  ")], "'crm' has no value"),
        ([("", "7")], "has no name"),
        ([CustomIdentifier("", "7")], "has no name"),
        ([("crm",)], "name and value pair"),
        ([("a", "b", "c")], "name and value pair"),
        (["crm"], "name and value pair"),
        ([("crm", 7)], "must be text"),
        (7, "list of name and value pairs"),
    ],
)
def test_parse_refuses_half_filled_custom_identifiers(pairs, words: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        UserRef.parse(phone="+14155550100", custom_identifiers=pairs)
    assert caught.value.field == "customIdentifiers"
    assert words in str(caught.value)


def test_parse_requires_an_identifier() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        UserRef.parse(phone="", email=" ", custom_identifiers=[("", "")])
    assert caught.value.field == "user"
    assert "at least one identifier" in str(caught.value)


def test_parse_names_the_field_at_fault() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        UserRef.parse(phone="+14155550100", email="not-an-email")
    assert caught.value.field == "email"


def test_parse_refuses_a_client_user_id_that_is_not_text() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        UserRef.parse(client_user_id=12)  # type: ignore[arg-type]
    assert caught.value.field == "clientUserId"


_maybe_text = st.none() | st.text(max_size=30)


@settings(max_examples=200)
@given(
    phone=_maybe_text,
    email=_maybe_text,
    client_user_id=_maybe_text,
    custom=st.lists(st.tuples(_maybe_text, _maybe_text), max_size=3),
    region=st.sampled_from(["US", "GB", "", "zz"]),
)
def test_parse_returns_or_raises_invalid_identifier(
    phone, email, client_user_id, custom, region
) -> None:
    try:
        user = UserRef.parse(
            phone=phone,
            email=email,
            client_user_id=client_user_id,
            custom_identifiers=custom,
            region=region,
        )
    except InvalidIdentifier as error:
        assert error.field in {"phone", "email", "clientUserId", "customIdentifiers", "user"}
        assert str(error) and str(error) == error.message
    else:
        assert user.to_user_json()
        assert user.describe()


# --- to_user_json, lookup_query, describe ------------------------------------------------


def test_to_user_json_with_everything() -> None:
    user = UserRef(
        phone="+14155550100",
        email="ada@example.com",
        client_user_id="cu-1",
        custom_identifiers=(CustomIdentifier("crm", "42"),),
    )
    assert user.to_user_json() == {
        "phone": "+14155550100",
        "email": "ada@example.com",
        "externalIdentifiers": {
            "clientUserId": "cu-1",
            "customIdentifiers": [{"name": "crm", "value": "42"}],
        },
    }


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (UserRef(phone="+14155550100"), {"phone": "+14155550100"}),
        (UserRef(email="ada@example.com"), {"email": "ada@example.com"}),
        (UserRef(client_user_id="cu-1"), {"externalIdentifiers": {"clientUserId": "cu-1"}}),
        (
            UserRef(custom_identifiers=(CustomIdentifier("crm", "42"),)),
            {"externalIdentifiers": {"customIdentifiers": [{"name": "crm", "value": "42"}]}},
        ),
    ],
)
def test_to_user_json_omits_absent_parts(user: UserRef, expected: dict) -> None:
    assert user.to_user_json() == expected


def test_to_user_json_returns_a_fresh_dict_each_time() -> None:
    user = UserRef(phone="+14155550100")
    user.to_user_json()["phone"] = "changed"
    assert user.to_user_json() == {"phone": "+14155550100"}


def test_lookup_prefers_phone() -> None:
    user = UserRef(phone="+14155550100", email="ada@example.com")
    assert user.lookup_query() == LookupQuery("phone", "+14155550100")
    assert user.lookup_query().params() == {"phone": "+14155550100"}
    assert user.lookup_query("email").params() == {"email": "ada@example.com"}
    assert user.lookup_query("phone").params() == {"phone": "+14155550100"}


def test_lookup_falls_back_to_email() -> None:
    assert UserRef(email="ada@example.com").lookup_query() == LookupQuery(
        "email", "ada@example.com"
    )


def test_lookup_without_phone_or_email_says_why() -> None:
    user = UserRef(client_user_id="cu-1", custom_identifiers=(CustomIdentifier("crm", "1"),))
    with pytest.raises(InvalidIdentifier) as caught:
        user.lookup_query()
    assert caught.value.field == "user"
    assert "needs a phone number or an email address" in str(caught.value)


@pytest.mark.parametrize(
    ("user", "by"),
    [(UserRef(email="ada@example.com"), "phone"), (UserRef(phone="+14155550100"), "email")],
)
def test_lookup_by_a_missing_field_is_refused(user: UserRef, by: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        user.lookup_query(by)
    assert caught.value.field == by
    assert "no " in str(caught.value) and "look up by" in str(caught.value)


def test_lookup_by_an_unknown_field_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="'phone' or 'email'"):
        UserRef(phone="+14155550100").lookup_query("clientUserId")


def test_lookup_query_only_takes_phone_or_email() -> None:
    with pytest.raises(ValueError):
        LookupQuery("clientUserId", "x")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("user", "label"),
    [
        (UserRef(phone="+14155550100", email="ada@example.com"), "+14155550100"),
        (UserRef(email="ada@example.com", client_user_id="cu-1"), "ada@example.com"),
        (UserRef(client_user_id="cu-1"), "clientUserId cu-1"),
        (UserRef(custom_identifiers=(CustomIdentifier("crm", "42"),)), "crm 42"),
        (UserRef(), ""),
    ],
)
def test_describe(user: UserRef, label: str) -> None:
    assert user.describe() == label


def test_user_ref_is_hashable_and_frozen() -> None:
    user = UserRef.parse(phone="+14155550100", custom_identifiers=[("crm", "1")])
    assert hash(user) == hash(
        UserRef.parse(phone="(415) 555-0100", custom_identifiers=[("crm", "1")])
    )
    with pytest.raises(AttributeError):
        user.phone = "+1"  # type: ignore[misc]
