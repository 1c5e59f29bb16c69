"""outbox wakeup: a trigger that NOTIFYs the relay when outbox rows are committed (PostgreSQL only)

Revision ID: 0004
Revises: 0003
Created: 2026-11-21 23:20:00
"""
from alembic import op

from services.common.outbox import CREATE_WAKEUP_TRIGGER, DROP_WAKEUP_TRIGGER

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in CREATE_WAKEUP_TRIGGER:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DROP_WAKEUP_TRIGGER:
            op.execute(statement)
