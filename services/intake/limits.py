"""intake's abuse limits: per client on every route, and per client and for all clients on submitting.

Clients are told apart, and counters shared, as services.common.client_limits explains: the address a trusted
proxy saw (NETRA_TRUSTED_PROXIES), hashed under the day's key (NETRA_RATE_LIMIT_SECRET) into a counter name in
the store every process and replica shares (NETRA_RATE_LIMIT_STORAGE_URL). No address is stored or logged.
"""
from __future__ import annotations

from flask import Blueprint, Flask
from flask_limiter import Limiter

from services.common.client_limits import DailyKey, shared_limiter, trust_proxies


def build_limiter(app: Flask, complaints: Blueprint, settings) -> Limiter:
    """Every route: a generous per-client rate. Submitting: a per-client and an all-clients rate on top."""
    trust_proxies(app, settings.trusted_proxies)
    limiter = shared_limiter(app, settings, "netra-intake", DailyKey(settings.rate_limit_secret),
                             outage_limits=[settings.rate_limit_default], headers_enabled=True,
                             enabled=settings.rate_limits_enabled, default_limits=[settings.rate_limit_default])
    limiter.limit(settings.rate_limit_per_client, methods=["POST"], override_defaults=False)(complaints)
    limiter.limit(settings.rate_limit_global, methods=["POST"], override_defaults=False,
                  key_func=lambda: "all-clients")(complaints)
    return limiter
