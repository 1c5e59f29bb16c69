"""Abuse limits that identify no one and that every process and replica counts together (intake and the desk).

Who the client is: the address the connection came from, or, behind `NETRA_TRUSTED_PROXIES` reverse proxies,
the address the outermost trusted proxy saw. Werkzeug's ProxyFix takes that many X-Forwarded-For entries from
the right, the ones the trusted proxies appended; whatever a client wrote into the header itself sits further
left and is never read. With 0 (the default) every X-Forwarded-For is ignored.

Where counters live: a store shared by every process (`NETRA_RATE_LIMIT_STORAGE_URL`, Redis), under one key
prefix per app, so N gunicorn workers on M replicas hold one client to the configured rate, not N x M times it.

What a counter is called: never the address. It is named by an HMAC of the address under the day's key, and the
day's key is an HMAC of the UTC date under `NETRA_RATE_LIMIT_SECRET`. Counters can only meet in the shared store
if every process names a client alike, so the day's key cannot be a random number each process draws: it is
derived from a secret they all hold (kept like the other keys, `NETRA_RATE_LIMIT_SECRET_FILE`). The store and
the logs hold no address; a name cannot be turned back into one, nor linked to another day's, without the
secret. Whoever holds the secret and a copy of the store could test guessed addresses against the names of the
current windows, so the secret is a production key like the others, and every counter expires with its
window, a day at most.

When the store does not answer: Flask-Limiter swallows the error and counts in each process's own memory, with
only the general per-client limit of `outage_limits` on every route, until the store answers again (it is
asked again after 1, 2, 4 ... 32 seconds). Requests are answered, never a 500; docs/operations.md says why.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime, timezone

from flask import Flask, request
from flask_limiter import Limiter
from werkzeug.middleware.proxy_fix import ProxyFix

from . import rate_storage  # noqa: F401  (registers netra-memory://, per-process counters safe under threads)
from .settings import ClientLimitSettings

# A store that stops answering must not hold a request for long: half a second, then the fallback counts.
STORE_TIMEOUTS = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}


def utc_today() -> date:
    return datetime.now(timezone.utc).date()


class DailyKey:
    """The name a client's counters go by today: an HMAC of its address under the day's key."""

    def __init__(self, secret: str, today=utc_today):
        self._secret, self._today = secret.encode(), today

    def __call__(self) -> str:
        return self.of(request.remote_addr or "")

    def of(self, value: str) -> str:
        day_key = hmac.new(self._secret, f"netra-day:{self._today().isoformat()}".encode(), hashlib.sha256).digest()
        return hmac.new(day_key, value.encode(), hashlib.sha256).hexdigest()[:32]


def trust_proxies(app: Flask, hops: int) -> None:
    """The client address from the last `hops` X-Forwarded-For entries; nothing else a proxy says is taken."""
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=0, x_host=0, x_port=0, x_prefix=0)


def shared_limiter(app: Flask, settings: ClientLimitSettings, prefix: str, key: DailyKey,
                   outage_limits: list[str], **options) -> Limiter:
    """Flask-Limiter on the shared store, counting in memory (outage_limits only) while the store is away."""
    storage_options = STORE_TIMEOUTS if settings.rate_limit_storage_url.startswith("redis") else {}
    return Limiter(key, app=app, storage_uri=settings.rate_limit_storage_url, storage_options=storage_options,
                   key_prefix=prefix, swallow_errors=True, in_memory_fallback=outage_limits, **options)
