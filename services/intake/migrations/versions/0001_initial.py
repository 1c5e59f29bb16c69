"""0001: intake's schema as it stood before Alembic: complaints, sealed identities, timeline, outbox,
idempotency answers, evidence quota, the append-only identity access log (PostgreSQL triggers), inbox.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

TABLES = ("complaints", "evidence_quota", "idempotency_answers", "identity_access_log", "outbox", "processed_events", "sealed_identities", "timeline")

# On PostgreSQL who opened which identity stays on record: UPDATE, DELETE and TRUNCATE are refused.
ACCESS_LOG_APPEND_ONLY = (
    """CREATE OR REPLACE FUNCTION netra_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'identity_access_log is append-only: % refused', TG_OP; END $$""",
    """CREATE TRIGGER identity_access_log_append_only BEFORE UPDATE OR DELETE ON identity_access_log
       FOR EACH ROW EXECUTE FUNCTION netra_refuse_change()""",
    """CREATE TRIGGER identity_access_log_no_truncate BEFORE TRUNCATE ON identity_access_log
       FOR EACH STATEMENT EXECUTE FUNCTION netra_refuse_change()""",
)


def upgrade() -> None:
    op.create_table('complaints',
    sa.Column('complaint_id', sa.String(length=36), nullable=False),
    sa.Column('tracking_code', sa.String(length=20), nullable=False),
    sa.Column('receipt_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.JSON(), nullable=False),
    sa.Column('violation', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('complaint_id'),
    sa.UniqueConstraint('tracking_code')
    )
    op.create_table('evidence_quota',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('bytes', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('day')
    )
    op.create_table('idempotency_answers',
    sa.Column('key_sha256', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('answer', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=True),
    sa.PrimaryKeyConstraint('key_sha256')
    )
    op.create_table('identity_access_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('tracking_code', sa.String(length=20), nullable=False),
    sa.Column('who', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('event_type', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id')
    )
    op.create_index('ix_outbox_published_at', 'outbox', ['published_at'], unique=False)

    op.create_table('processed_events',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('event_type', sa.String(length=64), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=True),
    sa.PrimaryKeyConstraint('event_id')
    )
    op.create_table('sealed_identities',
    sa.Column('complaint_id', sa.String(length=36), nullable=False),
    sa.Column('token', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.complaint_id'], ),
    sa.PrimaryKeyConstraint('complaint_id')
    )
    op.create_table('timeline',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('complaint_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('event_id', sa.String(length=64), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.complaint_id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id')
    )
    op.create_index('ix_timeline_complaint_id', 'timeline', ['complaint_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for statement in ACCESS_LOG_APPEND_ONLY:
            op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("Netra migrates forward only; restore a backup to go back")
