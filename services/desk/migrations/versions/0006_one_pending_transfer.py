"""one pending transfer per case: a unique partial index behind the check the desk makes under a row lock

Revision ID: 0006
Revises: 0005
Created: 2026-12-06 07:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

PENDING = sa.text("state = 'diajukan'")


def upgrade() -> None:
    doubled = op.get_bind().execute(sa.text(
        "SELECT case_id FROM transfers WHERE state = 'diajukan' GROUP BY case_id HAVING count(*) > 1")).scalars().all()
    if doubled:  # made before this index
        raise RuntimeError("cases with more than one pending transfer: delete all but the one to keep from "
                           f"transfers (the audit log keeps each request), then upgrade again: {doubled}")
    op.create_index('ix_transfers_one_pending', 'transfers', ['case_id'], unique=True,
                    postgresql_where=PENDING, sqlite_where=PENDING)


def downgrade() -> None:
    op.drop_index('ix_transfers_one_pending', table_name='transfers')
