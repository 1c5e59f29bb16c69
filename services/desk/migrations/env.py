"""Alembic's entry for desk's database; run it through `python -m services.migrate desk`."""
from services.common.migration_env import run

run()
