"""case numbers people can say

`cases.case_number`, as routing gives it on case.routed (NTR-2026-1403-00123). A case that reached the desk
before numbers existed keeps none and is shown by its tracking code.

Revision ID: 0009
Revises: 0008
Created: 2026-12-06 07:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_number', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_case_number'), ['case_number'], unique=False)


def downgrade() -> None:
    raise NotImplementedError("Netra migrates forward only; restore a backup to go back")
