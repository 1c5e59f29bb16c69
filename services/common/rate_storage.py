"""Rate-limit counters in process memory, safe under gunicorn's threads: `NETRA_RATE_LIMIT_STORAGE_URL=netra-memory://`.

For one process alone (the unit tests' stand-in for the shared Redis); served by several processes, each would
count on its own (services.common.client_limits).

limits' MemoryStorage (5.8.0, the newest release) restarts its expiry timer without a lock: two request
threads can both see it stopped and start the same Timer twice, and the second request fails with
"RuntimeError: threads can only be started once" (a 500; it happened once in 2 000 benchmark requests).
Upstream fixed it in alisaifee/limits#352, not yet released. Until then this subclass, registered under
its own scheme, takes a lock around that restart; everything else is limits' own.
"""
from __future__ import annotations

import threading

from limits.storage import MemoryStorage

MEMORY_URI = "netra-memory://"


class ThreadSafeMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["netra-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        self._timer_lock = threading.Lock()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def __setstate__(self, state: dict) -> None:
        self._timer_lock = threading.Lock()
        super().__setstate__(state)

    def _MemoryStorage__schedule_expiry(self) -> None:  # the name MemoryStorage calls it by
        with self._timer_lock:
            if not self.timer.is_alive():
                self.timer = threading.Timer(0.01, self._MemoryStorage__expire_events)
                self.timer.start()
