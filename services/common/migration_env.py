"""What every service's migrations/env.py runs: Alembic on the connection services.common.migrations
gives it (python -m services.migrate), under that module's lock."""
from __future__ import annotations

from alembic import context

from .migrations import metadata_of, version_table


def run() -> None:
    config = context.config
    service = config.attributes["service"]
    options = {"target_metadata": metadata_of(service), "version_table": version_table(service),
               "compare_type": True, "render_as_batch": True, "include_object": _not_a_version_table}
    context.configure(connection=config.attributes["connection"], **options)
    with context.begin_transaction():
        context.run_migrations()


def _not_a_version_table(obj, name, type_, reflected, compare_to) -> bool:
    """Another service's version table, where two share a database, is not one to drop."""
    return not (type_ == "table" and reflected and compare_to is None and name.startswith("alembic_version_"))
