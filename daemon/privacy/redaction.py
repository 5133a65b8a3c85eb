"""Replaces payment card numbers, email addresses and phone numbers with placeholders before a
message is stored (scoring reads the original text in memory only)."""

from __future__ import annotations

import locale
import re
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from stdnum import luhn

CARD = "[card number]"
EMAIL = "[email]"
PHONE = "[phone]"

# Addresses as people type them (not RFC 5322's every corner): local@domain.tld.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# 13 to 19 digits, in groups split by single spaces or dashes, not inside a longer number.
_CARD_CANDIDATE = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")


def default_phone_region() -> str:
    """The two-letter region of this machine's locale (numbers written without a +country code
    are read as this region's), or US when the locale names none."""
    name = locale.getlocale()[0] or ""
    match = re.search(r"_([A-Z]{2})\b", name)
    return match.group(1) if match else "US"


@dataclass(frozen=True)
class Redacted:
    """The text with placeholders, and how many things of each kind were replaced."""

    text: str
    cards: int = 0
    emails: int = 0
    phones: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.cards or self.emails or self.phones)


def _replace(
    text: str, pattern: re.Pattern[str], keep: Callable[[str], bool], placeholder: str
) -> tuple[str, int]:
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        if not keep(match.group(0)):
            return match.group(0)
        count += 1
        return placeholder

    return pattern.sub(swap, text), count


def _is_card(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    return luhn.is_valid(digits)


def _replace_phones(text: str, region: str) -> tuple[str, int]:
    spans = [
        (match.start, match.end)
        for match in phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.VALID)
    ]
    for start, end in reversed(spans):
        text = text[:start] + PHONE + text[end:]
    return text, len(spans)


def redact(text: str, phone_region: str = "US") -> Redacted:
    """`text` with Luhn-valid card numbers, email addresses and valid phone numbers (read as
    `phone_region`'s when written without +country code) replaced by placeholders."""
    text, emails = _replace(text, _EMAIL, lambda _: True, EMAIL)
    text, cards = _replace(text, _CARD_CANDIDATE, _is_card, CARD)
    text, phones = _replace_phones(text, phone_region)
    return Redacted(text, cards=cards, emails=emails, phones=phones)
