"""0002: drop the tables an earlier version of intake wrote and nothing reads any more.

`reporters` held identities with IP addresses under a symmetric key, `idempotency_keys` raw Idempotency-Keys;
until now intake only warned about them at start ("an operator should drop them"). Neither is in 0001:
they are only there on databases that ran that earlier version.

Revision ID: 0002
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LEFTOVERS = ("reporters", "idempotency_keys")


def upgrade() -> None:
    for table in LEFTOVERS:
        op.execute(f"DROP TABLE IF EXISTS {table}")


def downgrade() -> None:
    raise NotImplementedError("Netra migrates forward only; restore a backup to go back")
