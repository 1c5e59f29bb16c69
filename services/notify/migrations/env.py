"""Alembic's entry for notify's database; run it through `python -m services.migrate notify`."""
from services.common.migration_env import run

run()
