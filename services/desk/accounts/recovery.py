"""Recovery codes, given once when the second factor is enrolled: each signs in once in place of a TOTP code
(a lost phone). Only their argon2 hashes are kept; enrolling again or a second-factor reset replaces them."""
from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .links import now

HASHER = PasswordHasher()
COUNT = 8
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def _one() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def new_codes(repo, account_id: int) -> list[str]:
    """COUNT fresh codes for the account (the old ones stop working); shown once, never stored in clear."""
    codes = [_one() for _ in range(COUNT)]
    repo.replace_recovery_codes(account_id, [HASHER.hash(code) for code in codes])
    return codes


def looks_like_code(typed: str) -> bool:
    return "-" in typed and len(typed) == 11


def use_code(repo, account_id: int, typed: str) -> bool:
    """True once per code: the matching unused code is marked used."""
    typed = typed.strip().lower()
    for row in repo.unused_recovery_codes(account_id):
        if _matches(row["code_hash"], typed):
            return repo.use_recovery_code(row["id"], now())
    return False


def _matches(code_hash: str, typed: str) -> bool:
    try:
        return HASHER.verify(code_hash, typed)
    except (VerificationError, InvalidHashError):
        return False
