"""Masking phones and emails for screen sharing: exact forms, text scanning, idempotence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attentive_desktop.core.masking import (
    contains_personal_data,
    mask_digits,
    mask_email,
    mask_identifier,
    mask_phone,
    mask_text,
)


def test_phone_and_email_forms():
    assert mask_phone("+14155550100") == "+1 415 ••• ••00"
    assert mask_phone("+447700900123") == "+44 ••••••••23"
    assert mask_phone("+7") == "+7"
    assert mask_email("ada@example.com") == "a••@example.com"
    assert mask_email("not an address") == "not an address"


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ('{"user": {"phone": "+14155550100"}}', "5550100"),
        ("/attributes/custom?phone=%2B14155550100", "5550100"),
        ("/subscriptions?email=ada%40example.com", "ada"),
        ('{"email": "grace.hopper+news@example.com"}', "grace"),
        ("Found +1 (415) 555-0100: 3 attributes.", "555-0100"),
        ("contact crm-team@northwind-outfitters.example", "crm-team"),
    ],
)
def test_text_scanning_hides_the_identifying_part(text, hidden):
    masked = mask_text(text)
    assert hidden not in masked
    assert "•" in masked
    assert not contains_personal_data(masked)


@pytest.mark.parametrize(
    "text",
    ["2021-04-23T16:04:33+00:00", "balance 50.89", "+7", "order 123456789", "VIP: TRUE", ""],
)
def test_ordinary_values_stay_readable(text):
    assert mask_text(text) == text
    assert not contains_personal_data(text)


@given(st.text())
def test_masking_is_idempotent(text):
    once = mask_text(text)
    assert mask_text(once) == once


@given(st.from_regex(r"\+1[2-9]\d{9}", fullmatch=True))
def test_every_north_american_number_keeps_only_area_code_and_last_two(phone):
    masked = mask_text(f"phone {phone}.")
    assert masked == f"phone +1 {phone[2:5]} ••• ••{phone[-2:]}."


def test_digits_are_hidden_but_the_last_two_and_the_layout_stays():
    assert mask_digits("(415) 555-0100") == "(•••) •••-••00"
    assert mask_digits("12") == "12"
    assert mask_digits("") == ""


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("(415) 555-0100", "(•••) •••-••00"),
        ("415.555.0101", "•••.•••.••01"),
        ("+14155550100", "+1 415 ••• ••00"),
        ("ada@example.com", "a••@example.com"),
        ("ada@@example", "a••@@example"),
        ("clientUserId 42", "clientUserId 42"),
        ("shopify-7", "shopify-7"),
        ("", ""),
    ],
)
def test_one_identifier_as_typed_is_masked_valid_or_not(text, masked):
    assert mask_identifier(text) == masked
    assert mask_identifier(masked) == masked


def test_quoted_invalid_phone_and_email_in_messages_are_masked():
    phone = mask_text("The phone number '(415) 555-01' is not valid. Enter it like +12015550123.")
    assert "555-01" not in phone and "(•••) •••-01" in phone
    email = mask_text("The email address 'grace@@example' is not valid: two @ signs.")
    assert "grace" not in email and "'g••@@example'" in email
    assert mask_text("The email address 'nobody' is not valid.") == (
        "The email address 'n••' is not valid."
    )
