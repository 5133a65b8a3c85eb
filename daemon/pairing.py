"""One-time pairing codes: short, expiring, single use, with wrong guesses rate-limited.

A code is 6 Crockford base-32 symbols (about 10^9 possibilities), valid for 2 minutes, and burnt
after 5 wrong guesses; after 10 wrong guesses in 10 minutes pairing is locked for 5 minutes.
So an attacker gets at most 5 guesses per code the user chose to show: a 5 in 10^9 chance.

IT can instead pre-provision pairing: a secret set both in the extension's managed policy and
(as its SHA-256) in the daemon's settings is exchanged for the token with the same lockout.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


class PairingError(Exception):
    """A pairing attempt failed: `reason` is invalid_code, no_code, expired or locked."""

    def __init__(self, reason: str, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.reason = reason
        self.retry_after = retry_after


@dataclass
class _ActiveCode:
    code: str
    expires_at: float
    wrong_guesses: int = 0


def normalise_code(text: str) -> str:
    """Upper-case, drop spaces and dashes, read O as 0 and I/L as 1."""
    return "".join(ch for ch in text.upper() if ch not in " -").translate(_READ_AS)


def format_code(code: str) -> str:
    return f"{code[:3]}-{code[3:]}"


class PairingCodes:
    """Issues and redeems pairing codes; exchanging a right code returns the token."""

    def __init__(
        self,
        token: Callable[[], str],
        clock: Callable[[], float] = time.monotonic,
        ttl: float = 120.0,
        guesses_per_code: int = 5,
        lockout_failures: int = 10,
        lockout_window: float = 600.0,
        lockout_seconds: float = 300.0,
    ) -> None:
        self._token = token
        self._clock = clock
        self.ttl = ttl
        self.guesses_per_code = guesses_per_code
        self.lockout_failures = lockout_failures
        self.lockout_window = lockout_window
        self.lockout_seconds = lockout_seconds
        self._active: _ActiveCode | None = None
        self._failures: deque[float] = deque()
        self._locked_until = 0.0

    def issue(self) -> tuple[str, float]:
        """A fresh code (replacing any earlier one) and its lifetime in seconds."""
        code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        self._active = _ActiveCode(code=code, expires_at=self._clock() + self.ttl)
        return format_code(code), self.ttl

    def _refuse_while_locked(self, now: float) -> None:
        if now < self._locked_until:
            raise PairingError(
                "locked",
                "too many wrong pairing attempts; try again later",
                retry_after=self._locked_until - now,
            )

    def redeem(self, attempt: str) -> str:
        """The token if `attempt` is the active code; otherwise a PairingError."""
        now = self._clock()
        self._refuse_while_locked(now)
        active = self._active
        if active is None:
            raise PairingError("no_code", "no pairing code is active; show a new one first")
        if now >= active.expires_at:
            self._active = None
            raise PairingError("expired", "that pairing code has expired; show a new one")
        if hmac.compare_digest(normalise_code(attempt).encode(), active.code.encode()):
            self._active = None
            return self._token()
        self._record_failure(now, active)
        raise PairingError("invalid_code", "wrong pairing code")

    def redeem_provisioned(self, secret: str, expected_sha256: str | None) -> str:
        """The token if `secret` hashes to the provisioned SHA-256; otherwise a PairingError."""
        now = self._clock()
        self._refuse_while_locked(now)
        if not expected_sha256:
            raise PairingError("not_provisioned", "pairing is not pre-provisioned on this computer")
        digest = hashlib.sha256(secret.encode()).hexdigest()
        if hmac.compare_digest(digest.encode(), expected_sha256.encode()):
            return self._token()
        self._record_failure(now, None)
        raise PairingError("invalid_secret", "wrong provisioning secret")

    def _record_failure(self, now: float, active: _ActiveCode | None) -> None:
        if active is not None:
            active.wrong_guesses += 1
            if active.wrong_guesses >= self.guesses_per_code:
                self._active = None
        self._failures.append(now)
        while self._failures and self._failures[0] < now - self.lockout_window:
            self._failures.popleft()
        if len(self._failures) >= self.lockout_failures:
            self._locked_until = now + self.lockout_seconds
            self._failures.clear()
            self._active = None
