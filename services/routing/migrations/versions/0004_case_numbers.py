"""case numbers people can say

`cases.case_number` (NTR-<year>-<region>-<sequence>, services/routing/numbering.py) and the counter row per
region and year that hands them out. Cases stored before get theirs here, in the order they were first
routed, so the counters go on from there without a gap.

Revision ID: 0004
Revises: 0003
Created: 2026-12-06 07:20:00
"""
from collections import Counter
from datetime import timezone

from alembic import op
import sqlalchemy as sa

from services.routing.numbering import series_of


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

cases = sa.table('cases', sa.column('case_id', sa.String), sa.column('dossier', sa.JSON),
                 sa.column('case_number', sa.String))
routings = sa.table('case_routings', sa.column('case_id', sa.String), sa.column('routed_at', sa.DateTime))


def upgrade() -> None:
    counters = op.create_table(
        'case_number_counters',
        sa.Column('region', sa.String(length=8), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('region', 'year'))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_number', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint('uq_cases_case_number', ['case_number'])
    last = number_existing_cases(op.get_bind())
    if last:
        op.bulk_insert(counters, [{"region": s.region, "year": s.year, "last": n} for s, n in last.items()])


def number_existing_cases(conn) -> Counter:
    first_routed = (sa.select(routings.c.case_id, sa.func.min(routings.c.routed_at).label('at'))
                    .group_by(routings.c.case_id).subquery())
    rows = conn.execute(sa.select(cases.c.case_id, cases.c.dossier, first_routed.c.at)
                        .join(first_routed, first_routed.c.case_id == cases.c.case_id)
                        .order_by(first_routed.c.at, cases.c.case_id)).all()
    last = Counter()
    for row in rows:
        at = row.at if row.at.tzinfo else row.at.replace(tzinfo=timezone.utc)
        series = series_of((row.dossier.get('subject') or {}).get('region_code'), at)
        last[series] += 1
        conn.execute(cases.update().where(cases.c.case_id == row.case_id)
                     .values(case_number=series.number(last[series])))
    return last


def downgrade() -> None:
    raise NotImplementedError("Netra migrates forward only; restore a backup to go back")
