"""Tracking codes and receipts, and the idempotency record that the database alone cannot read.

The first answer to a request with an Idempotency-Key holds the receipt. It is stored encrypted under a
key derived from the Idempotency-Key itself (HKDF-SHA256, AES-GCM) and found by the Idempotency-Key's
SHA-256: only a client that still has the Idempotency-Key can read it back. intake keeps no key of its own.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NONCE_BYTES = 12


def new_tracking_code() -> str:
    chars = "".join(secrets.choice(CROCKFORD) for _ in range(8))
    return f"NTR-{chars[:4]}-{chars[4:]}"


def new_receipt() -> str:
    return secrets.token_urlsafe(24)


def receipt_hash(receipt: str) -> str:
    return hashlib.sha256(receipt.encode()).hexdigest()


def receipt_matches(receipt: str | None, stored_hash: str) -> bool:
    return bool(receipt) and hmac.compare_digest(receipt_hash(receipt), stored_hash)


class IdempotencyKey:
    """What an Idempotency-Key gives: the row's lookup digest, a request fingerprint, the answer's cipher."""

    def __init__(self, key: str):
        self.digest = hashlib.sha256(key.encode()).hexdigest()
        self._secret = HKDF(algorithm=hashes.SHA256(), length=64, salt=None,
                            info=b"netra-intake-idempotency-v1").derive(key.encode())

    def fingerprint(self, document, file_digests: list[str]) -> str:
        body = json.dumps([document, file_digests], sort_keys=True, ensure_ascii=True).encode()
        return hmac.new(self._secret[32:], body, hashlib.sha256).hexdigest()

    def lock(self, answer: dict) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(self._secret[:32]).encrypt(nonce, json.dumps(answer).encode(), None)

    def unlock(self, blob: bytes) -> dict:
        try:
            return json.loads(AESGCM(self._secret[:32]).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], None))
        except InvalidTag:
            raise ValueError("the idempotency record does not open with this key") from None
