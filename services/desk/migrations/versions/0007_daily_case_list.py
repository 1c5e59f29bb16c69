"""the case list for daily work: unread markers per officer, and indexes for its order and date filter

Revision ID: 0007
Revises: 0006
Created: 2026-12-06 07:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_reads',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('account_id', 'case_id')
    )
    op.create_index('ix_cases_due_date_received_at', 'cases', ['due_date', 'received_at'], unique=False)
    op.create_index('ix_cases_received_at', 'cases', ['received_at'], unique=False)
    op.create_index('ix_history_case_id_at', 'history', ['case_id', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_history_case_id_at', table_name='history')
    op.drop_index('ix_cases_received_at', table_name='cases')
    op.drop_index('ix_cases_due_date_received_at', table_name='cases')
    op.drop_table('case_reads')
