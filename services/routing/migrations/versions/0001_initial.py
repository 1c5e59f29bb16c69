"""0001: routing's schema as it stood before Alembic: cases, their routings and status history, inbox.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

TABLES = ("cases", "processed_events", "case_routings", "case_status_history")


def upgrade() -> None:
    op.create_table('cases',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('complaint_id', sa.String(length=64), nullable=False),
    sa.Column('tracking_code', sa.String(length=32), nullable=False),
    sa.Column('primary_unit_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('dossier', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('case_id'),
    sa.UniqueConstraint('complaint_id')
    )
    op.create_table('processed_events',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('event_type', sa.String(length=64), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=True),
    sa.PrimaryKeyConstraint('event_id')
    )
    op.create_table('case_routings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('transfer_id', sa.String(length=64), nullable=True),
    sa.Column('from_unit_id', sa.String(length=64), nullable=True),
    sa.Column('primary_unit', sa.JSON(), nullable=False),
    sa.Column('copies', sa.JSON(), nullable=False),
    sa.Column('matched_rule', sa.String(length=128), nullable=False),
    sa.Column('fallback', sa.JSON(), nullable=False),
    sa.Column('routed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.case_id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('transfer_id')
    )
    op.create_index('ix_case_routings_case_id', 'case_routings', ['case_id'], unique=False)

    op.create_table('case_status_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=True),
    sa.Column('event_id', sa.String(length=64), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.case_id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_case_status_history_case_id', 'case_status_history', ['case_id'], unique=False)


def downgrade() -> None:
    raise NotImplementedError("Netra migrates forward only; restore a backup to go back")
