"""Opens the reporter's sealed contact ({"email": ...} sealed to notify's public key by intake)."""
from __future__ import annotations

from services.common.envelope import Permanent
from services.common.sealing import Opener, SealError


def open_contact(sealed: str, opener: Opener) -> str:
    """The reporter's email, for the one mail about to be sent; never stored or logged in the clear."""
    try:
        email = opener.open(sealed).get("email")
    except (SealError, AttributeError):
        # A wrong key or a damaged token cannot heal by retrying; the reason names neither.
        raise Permanent("reporter contact cannot be opened with notify's contact keys") from None
    if not isinstance(email, str) or "@" not in email:
        raise Permanent("reporter contact holds no email address")
    return email
