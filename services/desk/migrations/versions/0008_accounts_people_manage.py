"""accounts people manage themselves: a name and an email on each account, one-time links (invitations and
password resets, stored as SHA-256 only), recovery codes (argon2 hashes only)

Revision ID: 0008
Revises: 0007
Created: 2026-12-06 07:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('accounts', sa.Column('name', sa.String(length=120), nullable=True))
    op.add_column('accounts', sa.Column('email', sa.String(length=254), nullable=True))
    op.create_index('ix_accounts_email', 'accounts', ['email'], unique=False)
    op.create_table('account_links',
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=10), nullable=False),
    sa.Column('unit_id', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('token_sha256')
    )
    op.create_index('ix_account_links_unit_id', 'account_links', ['unit_id'], unique=False)
    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.Text(), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_recovery_codes_account_id', 'recovery_codes', ['account_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_recovery_codes_account_id', table_name='recovery_codes')
    op.drop_table('recovery_codes')
    op.drop_index('ix_account_links_unit_id', table_name='account_links')
    op.drop_table('account_links')
    op.drop_index('ix_accounts_email', table_name='accounts')
    op.drop_column('accounts', 'email')
    op.drop_column('accounts', 'name')
