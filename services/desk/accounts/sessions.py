"""Desk sessions held on the server: the signed cookie carries a random key, the desk's `sessions` table the
key's SHA-256, so a session ends when its row goes and a copied cookie stops working at once.

Logging out ends this session only (the officer's other devices stay signed in); disabling an account, a
second-factor reset and a password change end every session of the account (`revoke_sessions`). A row
unused for the idle time is ended too, and removed at the next login.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

KEY_BYTES = 32
# How stale a row's last use may be before a request records it again: one write a minute, not one a request.
TOUCH_EVERY = timedelta(minutes=1)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def start_session(repo, account_id: int, idle: timedelta) -> str:
    """A new session of the account; returns the key for the cookie (only its digest is stored)."""
    repo.drop_sessions_seen_before(_now() - idle)
    key = secrets.token_urlsafe(KEY_BYTES)
    repo.add_session(_digest(key), account_id, _now())
    return key


def session_alive(repo, account_id: int, key: str | None, idle: timedelta) -> bool:
    """The cookie's key names a live session of this account; records its use (at most once a minute)."""
    row = repo.session(_digest(key)) if key else None
    if row is None or row["account_id"] != account_id:
        return False
    seen = row["seen_at"].replace(tzinfo=row["seen_at"].tzinfo or timezone.utc)  # SQLite forgets the zone
    if _now() - seen > idle:
        return False
    if _now() - seen >= TOUCH_EVERY:
        repo.touch_session(row["key_sha256"], _now())
    return True


def end_session(repo, key: str | None) -> None:
    if key:
        repo.drop_session(_digest(key))


def revoke_sessions(repo, account_id: int) -> None:
    """Ends every session of the account, on every device: its next request goes to the login page."""
    repo.drop_sessions_of(account_id)
