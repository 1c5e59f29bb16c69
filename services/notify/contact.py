"""Opens the reporter's sealed contact (Fernet over JSON {"email": ...}); sealing belongs to intake."""
from __future__ import annotations

import json

from cryptography.fernet import Fernet, InvalidToken

from services.common.worker import Permanent


def open_contact(sealed: str, contact_key: str) -> str:
    """The reporter's email, for the one mail about to be sent; never stored or logged in the clear."""
    try:
        opened = json.loads(Fernet(contact_key).decrypt(sealed.encode()))
        email = opened["email"]
    except (InvalidToken, ValueError, TypeError, KeyError):
        # A wrong key or a damaged token cannot heal by retrying; the reason names neither.
        raise Permanent("reporter contact cannot be opened with this contact key") from None
    if not isinstance(email, str) or "@" not in email:
        raise Permanent("reporter contact holds no email address")
    return email
