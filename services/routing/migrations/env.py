"""Alembic's entry for routing's database; run it through `python -m services.migrate routing`."""
from services.common.migration_env import run

run()
