"""Redaction before storage: cards (Luhn), emails and phone numbers become placeholders; other
numbers a customer types (orders, tracking, amounts, dates) stay as written."""

from __future__ import annotations

import pytest

from moodline.daemon.privacy.redaction import CARD, EMAIL, PHONE, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my card is 4111 1111 1111 1111, expiry 12/27", f"my card is {CARD}, expiry 12/27"),
        ("4111-1111-1111-1111", CARD),
        ("amex 378282246310005 was charged twice", f"amex {CARD} was charged twice"),
        ("write to jo.smith+orders@example.co.uk asap", f"write to {EMAIL} asap"),
        ("UPPER@EXAMPLE.COM", EMAIL),
        ("call me on +1 415-555-2671 tonight", f"call me on {PHONE} tonight"),
        ("or (415) 555-2671", f"or {PHONE}"),
    ],
)
def test_personal_data_becomes_a_placeholder(text: str, expected: str) -> None:
    assert redact(text, phone_region="US").text == expected


@pytest.mark.parametrize(
    "text",
    [
        "order 1234567890123456 is late",  # 16 digits, not Luhn-valid
        "ref 79927398713",  # Luhn-valid but 11 digits: too short for a card
        "order #1234567890 and 3 items, total 129.99",
        "tracking 1Z999AA10123456784",
        "account 12345678901234567890123",  # longer than any card
        "it is 2026-11-27 today at 10:30",
        "I waited 45 minutes, ticket 88231",
        "the email field says @support is wrong",
    ],
)
def test_numbers_that_are_not_personal_data_stay(text: str) -> None:
    result = redact(text, phone_region="US")
    assert result.text == text and not result.changed


def test_the_phone_region_reads_numbers_without_a_country_code() -> None:
    assert redact("ring 020 7946 0018", phone_region="GB").text == f"ring {PHONE}"
    assert redact("ring +44 20 7946 0018", phone_region="US").text == f"ring {PHONE}"


def test_counts_say_what_was_replaced() -> None:
    result = redact("4111111111111111 / a@b.io / +1 415 555 2671", phone_region="US")
    assert (result.cards, result.emails, result.phones) == (1, 1, 1)
    assert result.text == f"{CARD} / {EMAIL} / {PHONE}"
