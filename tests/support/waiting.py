"""Waiting for something a test can observe, instead of sleeping a fixed time."""
from __future__ import annotations

import time


def wait_until(condition, what: str = "condition", timeout: float = 20, interval: float = 0.05):
    """The condition's first truthy result, polled until `timeout`; fails the test naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(interval)
    raise AssertionError(f"waited {timeout}s for {what}")
