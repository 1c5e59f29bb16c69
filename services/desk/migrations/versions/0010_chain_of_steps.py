"""a case's chain of steps

`cases.chain`: the steps the case takes from body to body as routing planned them (case.routed's `chain`),
with each step's state, due date and outcome as the desk records them (services/desk/chain/steps.py). Null for a
case routed before chains existed: it has one step, the unit it went to.

Revision ID: 0010
Revises: 0009
Created: 2026-12-06 11:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain', sa.JSON(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("Netra migrates forward only; restore a backup to go back")
