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
import re
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NONCE_BYTES = 12
# A receipt is 8 groups of 5 Crockford base32 characters: 200 bits (the receipts before were 192), read aloud
# and typed on a phone without look-alikes (no I, L, O or U) and without a case to get wrong.
RECEIPT_GROUPS, GROUP_LENGTH = 8, 5
_TYPED_FOR = str.maketrans({"I": "1", "L": "1", "O": "0"})  # what Crockford decoding reads them as
_SEPARATORS = re.compile(r"[\s\-]+")


def new_tracking_code() -> str:
    chars = "".join(secrets.choice(CROCKFORD) for _ in range(8))
    return f"NTR-{chars[:4]}-{chars[4:]}"


def new_receipt() -> str:
    """XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX, as shown and printed."""
    chars = "".join(secrets.choice(CROCKFORD) for _ in range(RECEIPT_GROUPS * GROUP_LENGTH))
    return "-".join(chars[start:start + GROUP_LENGTH] for start in range(0, len(chars), GROUP_LENGTH))


def canonical_receipt(receipt: str) -> str:
    """The receipt as typed (any case, with or without hyphens or spaces, I or L for 1, O for 0) as issued."""
    return _SEPARATORS.sub("", receipt).upper().translate(_TYPED_FOR)


def receipt_hash(receipt: str) -> str:
    return _sha256(canonical_receipt(receipt))


def receipt_matches(receipt: str | None, stored_hash: str) -> bool:
    """A receipt issued before the Crockford ones (32 URL-safe characters, case-sensitive) still matches as typed."""
    if not receipt:
        return False
    return hmac.compare_digest(receipt_hash(receipt), stored_hash) | hmac.compare_digest(_sha256(receipt), stored_hash)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


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
