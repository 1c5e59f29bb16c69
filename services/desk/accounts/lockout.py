"""A username's login lock as the unit's admin sees it, and the admin's unlock.

The throttle (throttle.py) decides who waits; this only records, on an existing account, until when its logins
are locked, so the admin's page can say so. An unlock stamps `unlocked_at`, which is part of the name of every
login counter of that username: every client's count starts afresh at once.
"""
from __future__ import annotations

from datetime import datetime, timezone

from limits import parse


def now() -> datetime:
    return datetime.now(timezone.utc)


def failure_limits(settings) -> dict[str, object]:
    """The two counts of wrong passwords or codes, by their scope in the limiter."""
    return {"login-failed": parse(f"{settings.login_max_failures} per {settings.lockout_minutes} minutes"),
            "username-failed": parse(settings.login_failures_per_username)}


def generation(account: dict | None) -> str:
    """The part of a counter's name that an unlock changes; the same for an unknown username as for an
    account never unlocked, so the counters say nothing about which usernames exist."""
    return account["unlocked_at"].isoformat() if account and account.get("unlocked_at") else ""


def lock_after_failure(windows) -> datetime | None:
    """Until when a failure about to be counted locks the login: `windows` are (reset time, remaining) of the
    failure counts before this one is taken from them."""
    ends = [reset for reset, remaining in windows if remaining <= 1]
    return datetime.fromtimestamp(max(ends), timezone.utc) if ends else None


def record(repo, account: dict | None, until: datetime | None) -> None:
    if account is None or until is None:
        return
    current = locked_until(account, now())
    if current is None or until > current:
        repo.update(account["id"], locked_until=until)


def locked_until(account: dict, at: datetime) -> datetime | None:
    until = account.get("locked_until")
    if until is not None and until.tzinfo is None:
        until = until.replace(tzinfo=timezone.utc)  # SQLite forgets the zone
    return until if until is not None and until > at else None


def unlock(repo, account: dict) -> None:
    repo.update(account["id"], unlocked_at=now(), locked_until=None)
