import pytest

from services.common.db import make_engine


@pytest.fixture
def engine(database_url):
    """An engine on the test's database (a module migrates it with `database_url = migrated_database(...)`)."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()
