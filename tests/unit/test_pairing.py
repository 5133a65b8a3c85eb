"""Pairing codes: expiry, single use, rate limit and lockout, with a fake clock."""

from __future__ import annotations

import pytest

from moodline.daemon.pairing import ALPHABET, PairingCodes, PairingError, normalise_code


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make() -> tuple[PairingCodes, Clock]:
    clock = Clock()
    return PairingCodes(lambda: "TOKEN", clock=clock), clock


def test_code_is_short_readable_and_single_use() -> None:
    codes, _ = make()
    code, ttl = codes.issue()
    assert len(code) == 7 and code[3] == "-" and ttl == 120
    assert all(ch in ALPHABET for ch in code.replace("-", ""))
    assert codes.redeem(code) == "TOKEN"
    with pytest.raises(PairingError) as error:
        codes.redeem(code)
    assert error.value.reason == "no_code"


def test_code_expires_after_two_minutes() -> None:
    codes, clock = make()
    code, _ = codes.issue()
    clock.now += 121
    with pytest.raises(PairingError) as error:
        codes.redeem(code)
    assert error.value.reason == "expired"


def test_five_wrong_guesses_burn_the_code() -> None:
    codes, _ = make()
    code, _ = codes.issue()
    wrong = "ZZZ-ZZZ" if code != "ZZZ-ZZZ" else "YYY-YYY"
    for _ in range(5):
        with pytest.raises(PairingError):
            codes.redeem(wrong)
    with pytest.raises(PairingError) as error:
        codes.redeem(code)
    assert error.value.reason == "no_code", "the right code no longer works after 5 misses"


def test_repeated_failures_lock_pairing() -> None:
    codes, clock = make()
    for _ in range(2):
        code, _ = codes.issue()
        for _ in range(5):
            with pytest.raises(PairingError):
                codes.redeem("!!!-!!!")
    code, _ = codes.issue()
    with pytest.raises(PairingError) as error:
        codes.redeem(code)
    assert error.value.reason == "locked" and error.value.retry_after > 0
    clock.now += 301
    code, _ = codes.issue()
    assert codes.redeem(code) == "TOKEN"


def test_normalise_reads_confusable_letters() -> None:
    assert normalise_code(" ab0-o1l ") == "AB0011"


def test_provisioned_secret_pairs_and_wrong_secrets_count_toward_lockout() -> None:
    import hashlib

    codes, _clock = make()
    secret = "it-provisioned-secret-0123456789"
    expected = hashlib.sha256(secret.encode()).hexdigest()
    assert codes.redeem_provisioned(secret, expected) == "TOKEN"
    assert codes.redeem_provisioned(secret, expected) == "TOKEN"  # every agent's browser
    with pytest.raises(PairingError) as error:
        codes.redeem_provisioned(secret, None)
    assert error.value.reason == "not_provisioned"
    for _ in range(10):
        with pytest.raises(PairingError):
            codes.redeem_provisioned("a-wrong-guess-of-the-secret", expected)
    with pytest.raises(PairingError) as error:
        codes.redeem_provisioned(secret, expected)
    assert error.value.reason == "locked"
