"""an admin can unlock an account; a head can refuse a transfer

`transfers.refused_by`, `refused_at`, `refusal_reason`: a transfer the unit's head refused (state `ditolak`),
with the reason the requesting officer reads on the case.

`accounts.unlocked_at`: when an admin last unlocked the account. The login counters of a username are named
with it (services/desk/accounts/throttle.py), so an unlock starts them afresh on every client; `locked_until`, there
since 0001, now records until when the login is locked, for the admin's page.

Revision ID: 0014
Revises: 0011
Created: 2026-12-06 11:15:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unlocked_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refused_by', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('refused_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('refusal_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("Netra migrates forward only; restore a backup to go back")
