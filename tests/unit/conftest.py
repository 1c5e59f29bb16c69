import pytest


@pytest.fixture(autouse=True)
def counters_in_memory(monkeypatch):
    """Unit tests run without servers: abuse counters in the process's memory stand in for the shared Redis."""
    monkeypatch.setenv("NETRA_RATE_LIMIT_STORAGE_URL", "netra-memory://")
