"""Readiness checks: each names a dependency and answers whether it is up. /readyz (services/common/health.py)
and the netra_ready gauges (services/common/metrics.py) both run them here."""
from __future__ import annotations

from typing import Callable

Checks = dict[str, Callable[[], bool]]


class NotReady(Exception):
    """Raised by a check to say why it is down; /readyz shows the reason (e.g. the command to run)."""


def run_checks(checks: Checks) -> tuple[bool, dict[str, str]]:
    results = {}
    for name, check in checks.items():
        try:
            results[name] = "ok" if check() else "down"
        except NotReady as exc:
            results[name] = f"down: {exc}"
        except Exception:  # noqa: BLE001 - a failing check is an answer, not a crash
            results[name] = "down"
    return all(v == "ok" for v in results.values()), results
