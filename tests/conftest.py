import os
import secrets
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The local run's settings files (var/netra*.env, services/common/settings.py) are for a shell on that run:
# every test, and every process a test starts, gets only the settings the test gives it.
os.environ["NETRA_SETTINGS_DIR"] = ""

from tests.support import servers  # noqa: E402

FOLDER_MARKERS = ("unit", "integration", "e2e", "faults", "containers")  # pyproject.toml describes each


def pytest_collection_modifyitems(items):
    """Every test is marked by its folder, tests/<folder>/..., so `-m "not e2e"` selects by folder too."""
    for item in items:
        folder = item.path.relative_to(ROOT / "tests").parts[0]
        if folder in FOLDER_MARKERS:
            item.add_marker(folder)


_SECONDS_BY_FOLDER: dict[str, float] = {}
_SECONDS_BY_FILE: dict[str, float] = {}


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    folder = Path(path).parts[1:2] or ("tests",)
    _SECONDS_BY_FOLDER[folder[0]] = _SECONDS_BY_FOLDER.get(folder[0], 0.0) + report.duration
    _SECONDS_BY_FILE[path] = _SECONDS_BY_FILE.get(path, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    """Where the suite's time went, folder by folder (setup, call and teardown): what to look at when CI slows."""
    if _SECONDS_BY_FOLDER:
        terminalreporter.section("time per folder")
        for folder, seconds in sorted(_SECONDS_BY_FOLDER.items(), key=lambda item: -item[1]):
            terminalreporter.write_line(f"{seconds:8.1f}s  tests/{folder}")
        terminalreporter.section("the 25 slowest files")
        for path, seconds in sorted(_SECONDS_BY_FILE.items(), key=lambda item: -item[1])[:25]:
            terminalreporter.write_line(f"{seconds:8.1f}s  {path}")


@pytest.fixture(autouse=True)
def own_limit_counters(monkeypatch):
    """Each test's abuse counters under a secret of its own: the shared Redis holds every test's, and those of
    other runs, and a day key from another secret names other counters (as a vhost keeps a test's queues)."""
    monkeypatch.setenv("NETRA_RATE_LIMIT_SECRET", secrets.token_hex(32))


@pytest.fixture
def vhost_url():
    name, url = servers.new_vhost()
    yield url
    servers.drop_vhost(name)


@pytest.fixture
def database_url():
    name, url = servers.new_database()
    yield url
    servers.drop_database(name)


@pytest.fixture
def mailbox():
    return servers.Mailbox()


@pytest.fixture
def s3():
    from services.common.storage import make_s3
    """MinIO as its root user: tests look at, and try to break, what the services' own users wrote."""
    return make_s3(os.environ.get("NETRA_S3_ENDPOINT", "http://127.0.0.1:9000"),
                   os.environ.get("NETRA_S3_ROOT_USER", "netra-dev"),
                   os.environ.get("NETRA_S3_ROOT_PASSWORD", "netra-dev-secret"), "us-east-1")
