"""server-side sessions: a row per signed-in session, so logout, disabling and a second-factor reset end it

Revision ID: 0005
Revises: 0004
Created: 2026-12-06 04:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sessions',
    sa.Column('key_sha256', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key_sha256')
    )
    op.create_index('ix_sessions_account_id', 'sessions', ['account_id'], unique=False)
    op.create_index('ix_sessions_seen_at', 'sessions', ['seen_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_sessions_seen_at', table_name='sessions')
    op.drop_index('ix_sessions_account_id', table_name='sessions')
    op.drop_table('sessions')
