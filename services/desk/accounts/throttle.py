"""Login throttling that tells no one which usernames exist and lets no one lock an officer out from elsewhere.

Three limits on the login steps (password, code, enrolment), counted in the store every desk process shares
(services.common.client_limits), none on the account's row:
- per client: `NETRA_LOGIN_RATE` attempts on each step, right or wrong;
- per client and username: `NETRA_LOGIN_MAX_FAILURES` wrong passwords or codes per `NETRA_LOCKOUT_MINUTES`;
  then that client waits, and only that client: the officer at another address still logs in;
- per username, all clients together: `NETRA_LOGIN_FAILURES_PER_USERNAME`, against guessing from many addresses.
A username is counted by a keyed hash of what was typed, whether or not such an account exists, and every
refusal reads the same for both: a wrong password, or how many minutes to wait. The counters of a username are
named with its account's last unlock too (services/desk/accounts/lockout.py; empty for an unknown username), and for an
existing account the failure that locks it is recorded on its row, for the admin's page only.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone

from flask import (
    Flask,
    current_app,
    g,
    make_response,
    render_template,
    request,
    session,
)
from flask_limiter import Limiter, RateLimitExceeded

from services.common.client_limits import DailyKey, shared_limiter, trust_proxies

from ..errors import answer
from . import lockout

# While the shared store is away, each process counts this per client and page in its own memory instead.
OUTAGE_LIMIT = "120/minute"
WAIT = "Terlalu banyak percobaan masuk. Coba lagi dalam {minutes} menit."
BUSY = "Terlalu banyak permintaan. Coba lagi dalam {minutes} menit."
LOGIN_STEPS = ("auth.login", "auth.code", "auth.enrol")
PREFIX = "netra-desk"  # the counters' names in the shared store begin with it


def typed_username() -> str:
    """The username being logged in to: typed on the first step, the pending account's on the code steps."""
    if request.endpoint == "auth.login":
        return (request.form.get("username") or "").strip()
    if request.endpoint not in LOGIN_STEPS or session.get("pending") is None:
        return ""  # logging out, or no login under way: these limits do not apply
    account = current_app.extensions["netra.desk"].accounts.by_id(session["pending"])
    return account["username"] if account else ""


def login_account() -> dict | None:
    """The account of the typed username, if there is one (once per request)."""
    if "login_account" not in g:
        name = typed_username()
        g.login_account = current_app.extensions["netra.desk"].accounts.by_username(name) if name else None
    return g.login_account


def counted_name() -> str:
    """What the login counters are named after: the typed username, and when its account was last unlocked."""
    name = typed_username()
    return f"{name}\n{lockout.generation(login_account())}" if name else ""


def build_throttle(app: Flask, blueprint, settings, selfservice) -> Limiter:
    """The client from the trusted proxies, the three login limits on `blueprint`'s POSTs, and on `selfservice`'s
    (invitations, password resets) the per-client rate and the reset mails per typed address."""
    trust_proxies(app, settings.trusted_proxies)
    key = DailyKey(settings.rate_limit_secret)
    limiter = shared_limiter(app, settings, PREFIX, key, outage_limits=[OUTAGE_LIMIT], default_limits=[],
                             strategy="moving-window")
    register_limits(app, limiter, key, blueprint, settings)
    register_selfservice_limits(limiter, key, selfservice, settings)
    return limiter


def register_selfservice_limits(limiter: Limiter, key: DailyKey, blueprint, settings) -> None:
    """A reset request is counted per typed address, existing or not, so nobody can flood an officer's
    mailbox, and the count says nothing about which addresses have accounts."""
    def per_address() -> str:
        if request.endpoint != "selfservice.forgot":
            return ""
        return key.of(f"reset\n{(request.form.get('email') or '').strip().lower()}")

    limiter.limit(settings.login_rate, methods=["POST"])(blueprint)
    limiter.limit(settings.reset_rate, methods=["POST"], key_func=per_address)(blueprint)


def register_limits(app: Flask, limiter: Limiter, key: DailyKey, blueprint, settings) -> None:
    def per_username() -> str:  # an empty key makes Flask-Limiter skip the limit
        return key.of(f"username\n{name}") if (name := counted_name()) else ""

    def per_client_and_username() -> str:
        return key.of(f"{request.remote_addr}\n{name}") if (name := counted_name()) else ""

    failed = {"methods": ["POST"], "deduct_when": lambda response: response.status_code == 401}
    limiter.limit(settings.login_rate, methods=["POST"])(blueprint)  # per step, as an office shares one address
    # Shared: a password step and a code step draw on one count of failures, not one each.
    limiter.shared_limit(f"{settings.login_max_failures} per {settings.lockout_minutes} minutes", "login-failed",
                         key_func=per_client_and_username, **failed)(blueprint)
    limiter.shared_limit(settings.login_failures_per_username, "username-failed", key_func=per_username,
                         **failed)(blueprint)

    counts = {"login-failed": per_client_and_username, "username-failed": per_username}
    register_lock_records(app, limiter, blueprint, counts, lockout.failure_limits(settings))

    @app.errorhandler(RateLimitExceeded)
    def wait(_exc):
        seconds = _seconds_to_wait(limiter)
        minutes = max(1, round(seconds / 60))
        if request.blueprint == blueprint.name:
            if getattr(limiter.current_limit, "scope", None) in counts:
                _record_lock(time.time() + seconds)
            response = make_response(render_template("login.html", error=WAIT.format(minutes=minutes)), 429)
        else:  # another page: limited only while the store is away (OUTAGE_LIMIT)
            response = make_response(answer(429, BUSY.format(minutes=minutes)))
        response.headers["Retry-After"] = str(seconds)
        return response


def register_lock_records(app: Flask, limiter: Limiter, blueprint, counts: dict, limits: dict) -> None:
    """After a wrong password or code for an existing account, records until when its login is locked if this
    failure locks it. Runs before Flask-Limiter's own after_request counts the failure (reverse order)."""
    @app.after_request
    def record_lock(response):
        if request.blueprint != blueprint.name or response.status_code != 401 or login_account() is None:
            return response
        try:
            windows = [limiter.limiter.get_window_stats(limits[scope], PREFIX, name(), scope)
                       for scope, name in counts.items()]
        except Exception:  # noqa: BLE001 - the store went away: the admin's page just says less
            return response
        _record_lock(lockout.lock_after_failure(windows))
        return response


def _record_lock(until) -> None:
    if isinstance(until, (int, float)):
        until = datetime.fromtimestamp(until, timezone.utc)
    lockout.record(current_app.extensions["netra.desk"].accounts, login_account(), until)


def _seconds_to_wait(limiter: Limiter) -> int:
    try:
        reset_at = limiter.current_limit.reset_at
    except Exception:  # noqa: BLE001 - the store went away in between: a minute is a fair guess
        reset_at = time.time() + 60
    return max(1, int(reset_at - time.time()))
