"""Type inference, the first-value type lock, and UI-created properties."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from attentive_desktop.sandbox import UI_PROPERTIES, SandboxServer, infer_type

from .conftest import ADA_PHONE, make_client, post


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("24", "Number"),
        ("50.89", "Number"),
        ("-3", "Number"),
        ("TRUE", "Boolean"),
        ("false", "Boolean"),
        ("True", "Boolean"),
        ("1986-11-16", "Date"),
        ("2021-04-23T16:04:33Z", "Date"),
        ("2021-04-23T16:04:33.123+02:00", "Date"),
        ("2021-04-23T16:04", "Date"),
        ("2021-02-30", "Text"),
        ("1986/11/16", "Text"),
        ("blue", "Text"),
        ("", "Text"),
        ("1e5", "Text"),
        (" 24", "Text"),
        ("yes", "Text"),
        ('["chicago", "new york"]', "Text"),
    ],
)
def test_infer_type(value: str, expected: str) -> None:
    assert infer_type(value) == expected


def test_seeded_types_are_locked(sandbox: SandboxServer) -> None:
    types = sandbox.attribute_types()
    assert types["age"] == "Number"
    assert types["Gift card balance"] == "Number"
    assert types["VIP"] == "Boolean"
    assert types["birthday"] == "Date"
    assert types["sign up"] == "Date"
    assert types["Favorite color"] == "Text"
    assert types["Shirt size"] == "Text"


def test_first_value_locks_a_new_attribute(client: httpx.Client, sandbox: SandboxServer) -> None:
    assert post(client, {"phone": ADA_PHONE}, {"Points": "120"}).status_code == 200
    assert sandbox.attribute_types()["Points"] == "Number"
    response = post(client, {"phone": "+14155550101"}, {"Points": "lots"})
    assert response.status_code == 400
    message = response.json()["message"]
    assert "Points" in message and "Number" in message
    assert "Points" not in sandbox.user_attributes(phone="+14155550101")


@pytest.mark.parametrize(
    ("name", "bad", "good"),
    [
        ("age", "thirty-six", "36.5"),
        ("VIP", "yes", "FALSE"),
        ("birthday", "16 Nov 1986", "2021-04-23T16:04:33Z"),
    ],
)
def test_locked_types_refuse_other_types(
    client: httpx.Client, sandbox: SandboxServer, name: str, bad: str, good: str
) -> None:
    refused = post(client, {"phone": ADA_PHONE}, {name: bad})
    assert refused.status_code == 400
    assert name in refused.json()["message"]
    assert post(client, {"phone": ADA_PHONE}, {name: good}).status_code == 200
    assert sandbox.user_attributes(phone=ADA_PHONE)[name] == good


def test_text_attributes_accept_any_string(client: httpx.Client, sandbox: SandboxServer) -> None:
    assert post(client, {"phone": ADA_PHONE}, {"Favorite color": "42"}).status_code == 200
    assert sandbox.attribute_types()["Favorite color"] == "Text"


def test_a_refused_property_refuses_the_whole_request(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    response = post(client, {"phone": ADA_PHONE}, {"Favorite color": "red", "age": "old"})
    assert response.status_code == 400
    assert sandbox.user_attributes(phone=ADA_PHONE)["Favorite color"] == "blue"


def test_ui_created_property_accepts_only_its_values(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    assert sandbox.ui_properties()["Shirt size"] == ("S", "M", "L", "XL")
    assert post(client, {"phone": ADA_PHONE}, {"Shirt size": "XL"}).status_code == 200
    for bad in ("XXL", "xl", "Medium"):
        response = post(client, {"phone": ADA_PHONE}, {"Shirt size": bad})
        assert response.status_code == 400
        assert "Shirt size" in response.json()["message"]
    assert sandbox.user_attributes(phone=ADA_PHONE)["Shirt size"] == "XL"


def test_custom_input_ui_property_accepts_anything(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    assert UI_PROPERTIES["Preferred store"] is None
    response = post(client, {"phone": ADA_PHONE}, {"Preferred store": "Pop-up #7, Oakland"})
    assert response.status_code == 200
    assert sandbox.user_attributes(phone=ADA_PHONE)["Preferred store"] == "Pop-up #7, Oakland"


def test_concurrent_first_values_lock_exactly_one_type(sandbox: SandboxServer) -> None:
    values = ["7", "true"] * 10  # Number and Boolean refuse each other
    with (
        make_client(sandbox.base_url) as http,
        ThreadPoolExecutor(8) as pool,
    ):
        statuses = list(pool.map(lambda v: post(http, {"phone": ADA_PHONE}, {"Lucky": v}), values))
    locked = sandbox.attribute_types()["Lucky"]
    accepted = [v for v, r in zip(values, statuses, strict=True) if r.status_code == 200]
    assert accepted and {infer_type(v) for v in accepted} == {locked}
