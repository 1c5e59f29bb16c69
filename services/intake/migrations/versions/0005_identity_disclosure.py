"""identity disclosure: each named reporter's identity sealed to the desk's disclosure key too

`sealed_identities.disclosure_token`, released to the desk only for a request the identity custodian approved
(services/intake/identity/disclosure.py). Identities sealed before it have none; the custodian's offline tool still
opens them.

Revision ID: 0005
Revises: 0004
Created: 2026-12-06 11:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sealed_identities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disclosure_token', sa.Text(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("Netra migrates forward only; restore a backup to go back")
