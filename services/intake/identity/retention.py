"""How long intake keeps a reporter's sealed identity: until NETRA_CONTACT_RETENTION_DAYS after their case
closed, as /privasi promises.

intake knows whether a case is open from its own status timeline (case.status_changed, which it already
records for /lacak): a case whose latest status is the desk's terminal `selesai` is closed since that
entry; any later status (reopened, handed on) makes it open again. Nothing of another service is read.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine

from ..tables import sealed_identities, timeline

CLOSED_STATUSES = frozenset({"selesai"})


class SqlIdentities:
    def __init__(self, engine: Engine):
        self.engine = engine

    def purge(self, closed_before: datetime) -> int:
        """Deletes the sealed identity of every complaint whose case closed before closed_before."""
        latest = select(timeline.c.complaint_id, timeline.c.status, timeline.c.at, func.row_number().over(
            partition_by=timeline.c.complaint_id, order_by=(timeline.c.at.desc(), timeline.c.id.desc())).label("n")
        ).where(timeline.c.complaint_id.in_(select(sealed_identities.c.complaint_id))).subquery()
        closed = select(latest.c.complaint_id).where(latest.c.n == 1, latest.c.status.in_(CLOSED_STATUSES),
                                                     latest.c.at < closed_before)
        with self.engine.begin() as conn:
            return conn.execute(delete(sealed_identities)
                                .where(sealed_identities.c.complaint_id.in_(closed))).rowcount


def purge_identities(identities, retention_days: int, now: datetime) -> int:
    """Deletes the identities of cases closed more than retention_days ago; returns how many."""
    return identities.purge(now - timedelta(days=retention_days))
