"""identity disclosure: requests for a reporter's identity, decided by the identity custodian

`disclosure_requests` (services/desk/disclosure/), with at most one open request per case and unit.

Revision ID: 0011
Revises: 0010
Created: 2026-12-06 11:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

OPEN = sa.text("state IN ('diajukan', 'disetujui')")


def upgrade() -> None:
    op.create_table(
        'disclosure_requests',
        sa.Column('request_id', sa.String(length=36), nullable=False),
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('unit_id', sa.String(length=80), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('requested_by', sa.String(length=80), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('legal_basis', sa.String(length=60), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('decided_by', sa.String(length=80), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_reason', sa.Text(), nullable=True),
        sa.Column('sealed_identity', sa.Text(), nullable=True),
        sa.Column('outcome', sa.String(length=40), nullable=True),
        sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('shown_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('request_id'),
    )
    op.create_index(op.f('ix_disclosure_requests_case_id'), 'disclosure_requests', ['case_id'], unique=False)
    op.create_index('ix_disclosure_requests_one_open', 'disclosure_requests', ['case_id', 'unit_id'], unique=True,
                    postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade() -> None:
    raise NotImplementedError("Netra migrates forward only; restore a backup to go back")
