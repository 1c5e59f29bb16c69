"""Unread markers: which of the cases on an officer's page changed since that officer last opened them."""
from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import func, select

from services.common.db import insert_for

from ..tables import case_reads, history
from .access import Staff


@functools.cache
def _seen(dialect: str):
    statement = insert_for(dialect, case_reads)
    return statement.on_conflict_do_update(index_elements=["account_id", "case_id"],
                                           set_={"seen_at": statement.excluded.seen_at})


def mark_read(engine, staff: Staff, case_id: str, at: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(_seen(conn.dialect.name), {"account_id": staff.id, "case_id": case_id, "seen_at": at})


def unread(engine, staff: Staff, case_ids: list[str]) -> dict[str, str]:
    """case id -> the latest news an officer has not seen (a history line by someone else after the
    officer last opened the case, or any line of a case never opened), for the cases given."""
    if not case_ids:
        return {}
    latest = (select(history.c.case_id, func.max(history.c.at).label("at"))
              .where(history.c.case_id.in_(case_ids), history.c.actor != staff.username)
              .group_by(history.c.case_id).subquery())
    seen = select(case_reads.c.case_id, case_reads.c.seen_at).where(case_reads.c.account_id == staff.id,
                                                                    case_reads.c.case_id.in_(case_ids)).subquery()
    query = (select(latest.c.case_id, history.c.file_note)
             .join(history, (history.c.case_id == latest.c.case_id) & (history.c.at == latest.c.at))
             .outerjoin(seen, seen.c.case_id == latest.c.case_id)
             .where((seen.c.seen_at.is_(None)) | (seen.c.seen_at < latest.c.at)))
    with engine.connect() as conn:
        return {row.case_id: row.file_note for row in conn.execute(query)}
