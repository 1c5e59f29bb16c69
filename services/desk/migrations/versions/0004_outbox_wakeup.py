"""outbox wakeup: a trigger that NOTIFYs the relay when outbox rows are committed (PostgreSQL only)

Revision ID: 0004
Revises: 0003
Created: 2026-11-21 23:20:00
"""
from alembic import op

from services.common.outbox import add_wakeup_trigger, drop_wakeup_trigger

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_wakeup_trigger(op)


def downgrade() -> None:
    drop_wakeup_trigger(op)
