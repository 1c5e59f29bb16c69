"""Who may see a complaint on /lacak, and the form token that keeps other sites from posting for them.

Every attempt does the same work: the receipt is hashed and compared with `hmac.compare_digest` against
the stored hash, or against a dummy hash when the code is unknown, so a wrong receipt and an unknown code
give the same answer after the same work.

The form token is a double-submit token: a random value in a SameSite=Strict, HttpOnly cookie and the same
value in each form; a post whose two values differ is refused. It needs no server-side secret (intake keeps
none), so every gunicorn worker checks it alike. The edge's Origin/Sec-Fetch-Site check comes on top.
"""
from __future__ import annotations

import hmac
import re
import secrets

from ..complaints.receipts import receipt_hash

DUMMY_HASH = receipt_hash("netra-no-such-complaint")
TOKEN_COOKIE = "lacak_token"
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
CODE_SHAPE = re.compile(r"^NTR-[0-9A-Z]{4}-[0-9A-Z]{4}$")


def normal_code(raw: str) -> str:
    """What a citizen types: spaces around, lower case; anything else stays as it is and simply fails."""
    return (raw or "").strip().upper()[:32]


def open_complaint(repository, tracking_code: str, receipt: str) -> dict | None:
    """The complaint when the receipt matches; None for an unknown code and a wrong receipt alike."""
    found = repository.complaint(tracking_code) if CODE_SHAPE.match(tracking_code) else None
    stored = found["receipt_hash"] if found else DUMMY_HASH
    matches = hmac.compare_digest(receipt_hash((receipt or "")[:200]), stored)
    return found if found is not None and matches and receipt else None


def form_token(cookie_value: str | None) -> str:
    """The browser's token if it already has a well-formed one, else a new one."""
    return cookie_value if cookie_value and TOKEN_SHAPE.match(cookie_value) else secrets.token_urlsafe(32)


def token_matches(cookie_value: str | None, posted: str | None) -> bool:
    return bool(cookie_value and posted and TOKEN_SHAPE.match(cookie_value)) and \
        hmac.compare_digest(cookie_value.encode(), posted.encode())
