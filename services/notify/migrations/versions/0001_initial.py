"""0001: notify's schema as it stood before Alembic: deliveries and sealed reporter contacts.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

TABLES = ("deliveries", "reporter_contacts")


def upgrade() -> None:
    op.create_table('deliveries',
    sa.Column('delivery_id', sa.String(length=36), nullable=False),
    sa.Column('complaint_id', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.String(length=64), nullable=True),
    sa.Column('recipient_kind', sa.String(length=16), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('ref', sa.String(length=128), nullable=False),
    sa.Column('unit_id', sa.String(length=128), nullable=True),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('delivery_id'),
    sa.UniqueConstraint('complaint_id', 'recipient_kind', 'purpose', 'ref', name='uq_delivery_key')
    )
    op.create_table('reporter_contacts',
    sa.Column('complaint_id', sa.String(length=64), nullable=False),
    sa.Column('sealed_contact', sa.Text(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('complaint_id')
    )

def downgrade() -> None:
    raise NotImplementedError("Netra migrates forward only; restore a backup to go back")
