"""A test database at head, the way `python -m services.migrate` leaves it (services never create tables)."""
from __future__ import annotations

from alembic import command

from services.common import migrations
from services.common.db import make_engine
from services.common.migrations import upgrade


def migrated(service: str, url: str) -> str:
    """Upgrades the database at `url` to `service`'s head and gives the URL back."""
    upgrade(service, url)
    return url


def migrated_database(service: str):
    """In a test module, `database_url = migrated_database("desk")`: the conftest's fresh database, migrated."""
    import pytest

    @pytest.fixture
    def database_url(database_url):
        return migrated(service, database_url)
    return database_url


def upgrade_to(service: str, url: str, revision: str) -> None:
    engine = make_engine(url)
    with engine.connect() as conn:
        command.upgrade(migrations.alembic_config(service, conn), revision)
        conn.commit()
    engine.dispose()
