"""a case keeps no notification status

Whether the unit was told is intake's timeline (notification.sent goes only there); routing's
`cases.status` was moved by notification.sent and read by nothing.

Revision ID: 0003
Revises: 0002
Created: 2026-12-06 04:10:00
"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('status')


def downgrade() -> None:
    raise NotImplementedError("Netra migrates forward only; restore a backup to go back")
