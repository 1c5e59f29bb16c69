import pytest

from services.reference.files import UNITS_FILE
from services.routing.directory import load_directory
from services.routing.rules import load_rules
from services.routing.settings import DATA as ROUTING_DATA
from tests.support.routing_fakes import FakeCases


@pytest.fixture(autouse=True)
def counters_in_memory(monkeypatch):
    """Unit tests run without servers: abuse counters in the process's memory stand in for the shared Redis."""
    monkeypatch.setenv("NETRA_RATE_LIMIT_STORAGE_URL", "netra-memory://")


@pytest.fixture(scope="session")
def directory():
    """The shipped units directory, as routing reads it."""
    return load_directory(UNITS_FILE)


@pytest.fixture(scope="session")
def rules(directory):
    """The shipped routing rules on that directory."""
    return load_rules(ROUTING_DATA / "rules.yaml", directory)


@pytest.fixture
def cases():
    """Routing's cases in memory, fresh for each test."""
    return FakeCases()
