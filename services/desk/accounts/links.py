"""One-time links mailed to people: an invitation to an account, a password reset.

Random tokens kept as SHA-256 rows (`secrets` + `hashlib`), not itsdangerous's signed tokens: a link must work
once and expire, so the server keeps a row for it anyway (to mark it used), and with that row a signature adds
nothing. Keeping only the hash means a copy of the database or a backup holds no link that works. The token has
256 random bits, so a plain SHA-256 cannot be searched back the way a password's hash could.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

TOKEN_BYTES = 32


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def now() -> datetime:
    return datetime.now(timezone.utc)


def new_link(repo, purpose: str, lifetime: timedelta, **values) -> str:
    """Stores the link's hash; returns the token, which goes only into the mail."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    at = now()
    repo.add_link(token_sha256=digest(token), purpose=purpose, created_at=at, expires_at=at + lifetime, **values)
    return token


def open_link(repo, token: str | None, purpose: str) -> dict | None:
    """The link while it may still be used: the right purpose, unused, unexpired; None otherwise."""
    link = repo.link(digest(token)) if token and len(token) < 100 else None
    if link is None or link["purpose"] != purpose or link["used_at"] is not None:
        return None
    expires = link["expires_at"].replace(tzinfo=link["expires_at"].tzinfo or timezone.utc)
    return link if expires > now() else None


def use_link(repo, token: str, purpose: str) -> bool:
    """Marks it used; False when another request used it first or it expired meanwhile."""
    return repo.use_link(digest(token), purpose, now())
