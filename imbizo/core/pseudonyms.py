"""Pseudonyms for citizens: one key per phone number or email address.

Engagement files contacts and responses under it, privacy finds a citizen's
records by it; neither keeps the number or address itself.
"""

from django.utils.crypto import salted_hmac


def citizen_key(identifier: str) -> str:
    """A pseudonym for a phone number or email: the same person, the same key;
    no way back to who they are without the server's secret."""
    normalised = identifier.strip().lower()
    if not normalised:
        return ""
    return salted_hmac("imbizo.citizen", normalised, algorithm="sha256").hexdigest()
