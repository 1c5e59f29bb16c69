"""Sealing small documents to a public key (libsodium sealed boxes, PyNaCl).

Whoever holds only the public key can seal but never open: intake seals a reporter's identity for the
custodian and a reporter's contact for notify. A sealed token is "<key id>.<base64 box>", where the key
id names the public key it was sealed to, so an opener holding several private keys (the current one and
those it replaced, during a rotation) picks the right one.

Keys travel as standard base64 of their 32 bytes.
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox


class SealError(Exception):
    """A token that cannot be opened with the keys at hand (unknown key id, damaged, not a token)."""


def key_id(public: PublicKey) -> str:
    return hashlib.sha256(bytes(public)).hexdigest()[:12]


def public_key(text: str) -> PublicKey:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return PublicKey(raw)
    except (ValueError, TypeError, CryptoError):
        raise ValueError("not a public key (base64 of 32 bytes)") from None


def private_key(text: str) -> PrivateKey:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return PrivateKey(raw)
    except (ValueError, TypeError, CryptoError):
        raise ValueError("not a private key (base64 of 32 bytes)") from None


def new_key_pair() -> tuple[str, str]:
    """(public, private) as base64 text."""
    private = PrivateKey.generate()
    return _b64(bytes(private.public_key)), _b64(bytes(private))


def seal(public: PublicKey, document: dict) -> str:
    box = SealedBox(public).encrypt(json.dumps(document, ensure_ascii=False).encode())
    return f"{key_id(public)}.{_b64(box)}"


@dataclass(frozen=True)
class Opener:
    """Opens tokens sealed to any of its private keys."""

    keys: dict[str, PrivateKey]

    @classmethod
    def from_texts(cls, texts: list[str]) -> "Opener":
        keys = [private_key(text) for text in texts if text.strip()]
        return cls({key_id(key.public_key): key for key in keys})

    def open(self, token: str) -> dict:
        kid, _, box = (token or "").partition(".")
        key = self.keys.get(kid)
        if key is None:
            raise SealError(f"sealed to key {kid or '?'}, which this opener does not hold")
        try:
            return json.loads(SealedBox(key).decrypt(base64.b64decode(box, validate=True)))
        except (CryptoError, ValueError, TypeError):
            raise SealError(f"token sealed to key {kid} is damaged") from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
