"""Routing's persistence: its tables, and the cases repository handlers work through.

One transaction style: `with cases.transaction() as repo:` opens a transaction; everything read and
written through `repo` commits together or not at all (the inbox line included).
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator

from sqlalchemy import (JSON, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, insert,
                        select, update)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from services.common.db import inbox_table, record_processed

from .case import Case, Routing

metadata = MetaData()

cases = Table(
    "cases", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("complaint_id", String(64), nullable=False, unique=True),
    Column("tracking_code", String(32), nullable=False),
    Column("primary_unit_id", String(64), nullable=False),
    Column("status", String(32), nullable=False),
    Column("dossier", JSON, nullable=False),  # subject, violation, files, manifest_key
)

routings = Table(
    "case_routings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("transfer_id", String(64), unique=True),  # null: the first routing
    Column("from_unit_id", String(64)),
    Column("primary_unit", JSON, nullable=False),
    Column("copies", JSON, nullable=False),
    Column("matched_rule", String(128), nullable=False),
    Column("fallback", JSON, nullable=False),
    Column("routed_at", DateTime(timezone=True), nullable=False),
)

case_status_history = Table(
    "case_status_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("detail", String(500)),
    Column("event_id", String(64)),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

inbox = inbox_table(metadata)


class DuplicateCase(Exception):
    """Another delivery stored a case for this complaint first."""


class CaseRepository:
    """Cases within one open transaction."""

    def __init__(self, conn):
        self.conn = conn

    def first_time(self, event: dict) -> bool:
        """Records the event as handled; False when it was handled before."""
        return record_processed(self.conn, inbox, event)

    def by_complaint(self, complaint_id: str) -> Case | None:
        return self._load(cases.c.complaint_id == complaint_id)

    def by_id(self, case_id: str) -> Case | None:
        return self._load(cases.c.case_id == case_id)

    def add(self, case: Case) -> None:
        try:
            with self.conn.begin_nested():
                self.conn.execute(insert(cases).values(
                    case_id=case.case_id, complaint_id=case.complaint_id, tracking_code=case.tracking_code,
                    primary_unit_id=case.primary_unit_id, status=case.status, dossier=case.dossier))
        except IntegrityError:
            raise DuplicateCase(case.complaint_id) from None
        self._write_news(case)

    def save(self, case: Case) -> None:
        self.conn.execute(update(cases).where(cases.c.case_id == case.case_id)
                          .values(status=case.status, primary_unit_id=case.primary_unit_id))
        self._write_news(case)

    def _write_news(self, case: Case) -> None:
        for routing in case.new_routings:
            self.conn.execute(insert(routings).values(
                case_id=case.case_id, transfer_id=routing.transfer_id, from_unit_id=routing.from_unit_id,
                primary_unit=routing.primary, copies=list(routing.copies), matched_rule=routing.matched_rule,
                fallback=list(routing.fallback), routed_at=routing.routed_at))
        for change in case.new_changes:
            self.conn.execute(insert(case_status_history).values(
                case_id=case.case_id, status=change.status, detail=(change.detail or "")[:500] or None,
                event_id=change.event_id, changed_at=change.at))
        case.new_routings.clear()
        case.new_changes.clear()

    def _load(self, condition) -> Case | None:
        row = self.conn.execute(select(cases).where(condition)).first()
        if row is None:
            return None
        found = self.conn.execute(select(routings).where(routings.c.case_id == row.case_id)
                                  .order_by(routings.c.id)).all()
        return Case(row.case_id, row.complaint_id, row.tracking_code, row.dossier, row.status,
                    [_routing(r) for r in found])


def _routing(row) -> Routing:
    return Routing(row.primary_unit, tuple(row.copies), row.matched_rule, tuple(row.fallback),
                   _aware(row.routed_at), row.transfer_id, row.from_unit_id)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every time stored here is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class SqlCases:
    def __init__(self, engine: Engine):
        self.engine = engine

    @contextmanager
    def transaction(self) -> Iterator[CaseRepository]:
        with self.engine.begin() as conn:
            yield CaseRepository(conn)

