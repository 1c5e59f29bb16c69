"""Tracking codes, receipts, and the encryption that keeps a reporter's identity unreadable at rest."""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets

from cryptography.fernet import Fernet

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_tracking_code() -> str:
    chars = "".join(secrets.choice(CROCKFORD) for _ in range(8))
    return f"NTR-{chars[:4]}-{chars[4:]}"


def new_receipt() -> str:
    return secrets.token_urlsafe(24)


def receipt_hash(receipt: str) -> str:
    return hashlib.sha256(receipt.encode()).hexdigest()


def receipt_matches(receipt: str | None, stored_hash: str) -> bool:
    return bool(receipt) and hmac.compare_digest(receipt_hash(receipt), stored_hash)


class Vault:
    """Encrypts reporter identity at rest (reporter key) and seals the contact notify may read (contact key)."""

    def __init__(self, reporter_key: str, contact_key: str):
        self._rest = Fernet(reporter_key)
        self._contact = Fernet(contact_key)

    def lock(self, data: dict) -> bytes:
        return self._rest.encrypt(json.dumps(data).encode())

    def unlock(self, token: bytes) -> dict:
        return json.loads(self._rest.decrypt(token))

    def seal_contact(self, email: str | None) -> str | None:
        return self._contact.encrypt(json.dumps({"email": email}).encode()).decode() if email else None
