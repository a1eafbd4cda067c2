from __future__ import annotations

import pytest

from attentive_desktop.core.attributes import AttributeType
from attentive_desktop.core.schema import MemorySchemaStorage, SchemaRegistry
from attentive_desktop.core.verify import VerifyStatus, equivalent, verify_sent


def test_outcomes_verified_stored_differently_mismatched_missing() -> None:
    sent = {
        "Favorite color": "green",
        "VIP": "TRUE",
        "Gift card balance": "50.890",
        "sign up": "2021-04-23T16:04:33Z",
        "age": "37",
        "Points": "5",
    }
    stored = [
        ("Favorite color", "green"),
        ("VIP", "true"),
        ("Gift card balance", "50.89"),
        ("sign up", "2021-04-23T18:04:33.000+02:00"),
        ("age", "38"),
    ]
    result = verify_sent(sent, stored)
    status = {r.name: r.status for r in result.rows}
    assert status == {
        "Favorite color": VerifyStatus.VERIFIED,
        "VIP": VerifyStatus.STORED_DIFFERENTLY,
        "Gift card balance": VerifyStatus.STORED_DIFFERENTLY,
        "sign up": VerifyStatus.STORED_DIFFERENTLY,
        "age": VerifyStatus.MISMATCHED,
        "Points": VerifyStatus.MISSING,
    }
    assert result.row("VIP").stored == "true"  # what the service stored is shown
    assert "Stored as 'true'" in result.row("VIP").message
    assert result.row("age").message == "Sent '37' but the user holds '38'."
    assert result.row("Points").stored is None
    assert not result.ok
    assert [r.name for r in result.problems()] == ["age", "Points"]
    assert result.summary() == "1 verified, 3 stored differently, 1 mismatched, 1 missing."


def test_all_good_is_ok() -> None:
    result = verify_sent({"VIP": "TRUE", "age": "36"}, {"VIP": "true", "age": "36"})
    assert result.ok


@pytest.mark.parametrize(
    ("sent", "stored", "type", "same"),
    [
        ("50.890", "50.89", AttributeType.NUMBER, True),
        ("+7", "7", AttributeType.NUMBER, True),
        ("7", "7.5", AttributeType.NUMBER, False),
        ("FALSE", "false", AttributeType.BOOLEAN, True),
        ("true", "false", AttributeType.BOOLEAN, False),
        ("1986-11-16", "1986-11-16T00:00:00Z", AttributeType.DATE, True),
        ("1986-11-16", "1986-11-17", AttributeType.DATE, False),
        ("2021-04-23T16:04:33Z", "2021-04-23T16:04:34Z", AttributeType.DATE, False),
        ("blue", " blue ", AttributeType.TEXT, True),
        ("blue", "Blue", AttributeType.TEXT, False),
    ],
)
def test_equivalence_per_type(sent: str, stored: str, type: AttributeType, same: bool) -> None:
    assert equivalent(sent, stored, type) is same


def test_the_schema_type_decides() -> None:
    schema = SchemaRegistry(MemorySchemaStorage())
    schema.learn("code", "abc")  # a Text attribute: "007" and "7" are different texts
    result = verify_sent({"code": "007"}, {"code": "7"}, schema)
    assert result.row("code").status is VerifyStatus.MISMATCHED
    assert verify_sent({"n": "007"}, {"n": "7"}).row("n").status is VerifyStatus.STORED_DIFFERENTLY
