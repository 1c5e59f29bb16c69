"""The rate-limit counters survive many request threads at once (limits' own memory storage can start its
expiry timer twice and fail a request with "threads can only be started once")."""
import sys
import threading
import time

import pytest
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from services.common.rate_storage import MEMORY_URI, ThreadSafeMemoryStorage


def hammer(storage, threads: int = 16) -> list[BaseException]:
    limiter, limit, failures = FixedWindowRateLimiter(storage), parse("100000/minute"), []
    start = threading.Barrier(threads)

    def hit(n):
        start.wait()
        try:
            for _ in range(20):
                limiter.hit(limit, f"client-{n % 4}")
                time.sleep(0.012)  # past the 10 ms timer, so that it has to be started again
        except BaseException as exc:  # noqa: BLE001 - what the request would have raised
            failures.append(exc)
    workers = [threading.Thread(target=hit, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return failures


@pytest.fixture
def eager_thread_switches():
    """Threads switch every microsecond instead of every 5 ms: the race between "is the timer alive?" and
    "start it" then shows within seconds (limits' own storage failed 1 run in 5 of these here)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_the_scheme_names_the_thread_safe_storage():
    assert isinstance(storage_from_string(MEMORY_URI), ThreadSafeMemoryStorage)
    assert isinstance(storage_from_string(MEMORY_URI), MemoryStorage)


@pytest.mark.usefixtures("eager_thread_switches")
def test_many_threads_never_start_the_expiry_timer_twice():
    storage = storage_from_string(MEMORY_URI)
    assert [failure for _ in range(5) for failure in hammer(storage, threads=32)] == []
