"""Abuse control that identifies no one: Flask-Limiter keyed by a keyed hash of the client address.

The hash key is random, lives only in this process's memory and is replaced every UTC day, so a stored
counter key cannot be turned back into an address, and yesterday's keys cannot be linked to today's.
Counters live in memory too (`services.common.rate_storage`): the limits are per process, so with N gunicorn workers a
client may get up to N times the configured per-client rate. The global limit is likewise per process.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import threading
from datetime import datetime, timezone

from flask import Blueprint, Flask, request
from flask_limiter import Limiter

from services.common.rate_storage import MEMORY_URI


class DailyKey:
    """HMAC of the client address under a secret that changes every day and is never written anywhere."""

    def __init__(self, today=lambda: datetime.now(timezone.utc).date()):
        self._today = today
        self._day = None
        self._secret = b""
        self._lock = threading.Lock()

    def __call__(self) -> str:
        return self.of(request.remote_addr or "")

    def of(self, address: str) -> str:
        with self._lock:
            if self._day != self._today():
                self._day, self._secret = self._today(), os.urandom(32)
            secret = self._secret
        return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]


def build_limiter(app: Flask, complaints: Blueprint, settings) -> Limiter:
    """Every route: a generous per-client rate. Submitting: a per-client and an all-clients rate on top."""
    limiter = Limiter(DailyKey(), app=app, storage_uri=MEMORY_URI, headers_enabled=True,
                      enabled=settings.rate_limits_enabled, default_limits=[settings.rate_limit_default])
    limiter.limit(settings.rate_limit_per_client, methods=["POST"], override_defaults=False)(complaints)
    limiter.limit(settings.rate_limit_global, methods=["POST"], override_defaults=False,
                  key_func=lambda: "all-clients")(complaints)
    return limiter
