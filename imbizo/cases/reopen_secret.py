"""The secret that lets a citizen reopen their own case from the tracking page.

A reference is public (Open311 lists every one), so it cannot be what allows a
reopening. Each case gets a short random secret when it opens; only its hash is
stored on the case. The plain secret goes to the reporter once: on the
confirmation page and in their own messages (docs/cases.md, "Reopening").
Pure functions: no ORM, no clock.
"""

import hashlib
import hmac
import secrets

# No 0/O, 1/I/L: read aloud over a phone or copied from an SMS without doubt.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10  # about 50 bits: with the rate limit, guessing is out of reach


def secret_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def secret_normalised(secret: str) -> str:
    """What a person typed, as it was issued: case and spaces do not matter."""
    return "".join((secret or "").split()).upper()[:64]


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret_normalised(secret).encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    """Whether `secret` is the one whose hash is stored. A case without a
    stored hash (imported, or from before secrets) has no public reopening."""
    if not stored_hash or not secret:
        return False
    return hmac.compare_digest(secret_hash(secret), stored_hash)
