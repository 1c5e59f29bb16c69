"""What every service's migrations/env.py runs: Alembic on the connection services.common.migrations
gives it (python -m services.migrate), under that module's lock."""
from __future__ import annotations

from alembic import context

from .migrations import metadata_of, version_table


def run() -> None:
    config = context.config
    service = config.attributes["service"]
    options = {"target_metadata": metadata_of(service), "version_table": version_table(service),
               "compare_type": True, "render_as_batch": True}
    context.configure(connection=config.attributes["connection"], **options)
    with context.begin_transaction():
        context.run_migrations()
