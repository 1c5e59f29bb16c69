"""Alembic's entry for intake's database; run it through `python -m services.migrate intake`."""
from services.common.migration_env import run

run()
