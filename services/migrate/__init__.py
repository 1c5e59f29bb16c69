"""`python -m services.migrate`: brings each service's database to the revision its code needs (Alembic)."""
