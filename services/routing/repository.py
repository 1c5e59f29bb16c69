"""Routing's persistence: its tables, and the cases repository handlers work through.

The unit of work (services/common/unit_of_work.py): `with cases.transaction(publish) as repo:` opens a
transaction; everything read and written through `repo` commits together or not at all, and the events
emitted with `repo.emit` are published after the commit.
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from typing import Callable, ContextManager

from sqlalchemy import (JSON, Column, DateTime, ForeignKey, Index, Integer, MetaData, Select, String, Table, and_,
                        bindparam, case, cast, func, insert, literal, or_, select, text, tuple_, update)
from sqlalchemy.dialects.postgresql import BIT
from sqlalchemy.engine import Engine

from services.common.db import inbox_table, insert_for, insert_new
from services.common.unit_of_work import Transaction, unit_of_work

from .case import Case, Routing
from .grouping import EXACT_KINDS, PHASH, GroupPolicy, Match, close_enough, is_hex
from .numbering import Series

metadata = MetaData()
KEY_LENGTH = 200  # a fingerprint value is stored, and so looked up, cut to this length

cases = Table(
    "cases", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("complaint_id", String(64), nullable=False, unique=True),
    Column("tracking_code", String(32), nullable=False),
    Column("primary_unit_id", String(64), nullable=False),
    Column("dossier", JSON, nullable=False),  # subject, violation, files, manifest_key
    Column("grouping", JSON),  # the group the case joined when routed (grouping.group_payload)
    Column("group_id", String(36), index=True),
    Column("case_number", String(32), unique=True),  # numbering.py; null only for a case stored before numbers
)

# The last number each region gave out in each year (numbering.py): moved in the transaction storing the case.
case_number_counters = Table(
    "case_number_counters", metadata,
    Column("region", String(8), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
)

# What identifies the act a group reports (grouping.fingerprint of its cases, each key once per group), to
# find the same act reported again: a viral post reported 300 times adds its keys once.
case_fingerprints = Table(
    "case_fingerprints", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), ForeignKey("cases.case_id"), nullable=False),
    Column("group_id", String(36), nullable=False, index=True),
    Column("unit_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("value", String(KEY_LENGTH), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("case_fingerprints_lookup", "unit_id", "kind", "value"),
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

inbox_table(metadata)  # in the schema since 0001; a case's unique insert, not this table, makes a repeat harmless


@lru_cache(maxsize=64)
def _group_query(with_exact: bool, phash_lengths: tuple[int, ...]) -> Select:
    """The fingerprints of the unit in the window that share an exact key (`exact`, expanding) or lie within
    `distance` bits of a wanted perceptual hash (`phash_0`, `phash_1`…). Built once per shape: building
    the expression cost more than running it."""
    fingerprint = case_fingerprints.c
    same_act = [tuple_(fingerprint.kind, fingerprint.value).in_(bindparam("exact", expanding=True))] \
        if with_exact else []
    for n, length in enumerate(phash_lengths):
        bits = BIT(4 * length)
        differing = func.bit_count(cast(literal("x") + fingerprint.value, bits)
                                   .op("#")(cast(literal("x") + bindparam(f"phash_{n}", type_=String), bits)))
        # The CASE keeps PostgreSQL from casting a value of another length, or not hex, to bits.
        same_act.append(and_(fingerprint.kind == PHASH, case(
            (and_(func.length(fingerprint.value) == length, fingerprint.value.op("~")("^[0-9a-fA-F]+$")),
             differing)) <= bindparam("distance")))
    return (select(fingerprint.group_id, fingerprint.kind, fingerprint.at)
            .where(fingerprint.unit_id == bindparam("unit"), fingerprint.at >= bindparam("since"), or_(*same_act))
            .order_by(fingerprint.at))


# The statements every routed complaint runs, built once: building them per message cost more than running them.
SAVE_CASE = update(cases).where(cases.c.case_id == bindparam("case"))
ADD_ROUTING = insert(routings)
ADD_CHANGE = insert(case_status_history)
ROUTINGS_OF = select(routings).where(routings.c.case_id == bindparam("case")).order_by(routings.c.id)
CASE_OF_COMPLAINT = select(cases).where(cases.c.complaint_id == bindparam("key"))
CASE_BY_ID = select(cases).where(cases.c.case_id == bindparam("key"))
LEAD_OF = select(cases.c.case_id, cases.c.tracking_code).where(cases.c.case_id == bindparam("case"))
GROUP_SIZE = select(func.count()).where(cases.c.group_id == bindparam("group"))
HOLD_UNIT = text("SELECT pg_advisory_xact_lock(hashtext(:unit))")


class DuplicateCase(Exception):
    """Another delivery stored a case for this complaint first."""


class CaseRepository(Transaction):
    """Cases within one open transaction."""

    def by_complaint(self, complaint_id: str) -> Case | None:
        return self._load(CASE_OF_COMPLAINT, complaint_id)

    def by_id(self, case_id: str) -> Case | None:
        return self._load(CASE_BY_ID, case_id)

    def add(self, case: Case) -> None:
        """Store a new case under the next number of its series; a duplicate raises, and the rollback that
        follows gives the number back."""
        case.case_number = case.series.number(self._next_in(case.series))
        added = self.conn.execute(insert_new(self.conn, cases, ("complaint_id",), "case_id"), {
            "case_id": case.case_id, "complaint_id": case.complaint_id, "tracking_code": case.tracking_code,
            "primary_unit_id": case.primary_unit_id, "dossier": case.dossier, "case_number": case.case_number,
            "grouping": case.group or None, "group_id": case.group.get("group_id")}).first()
        if added is None:
            raise DuplicateCase(case.complaint_id)
        self._write_news(case)

    def _next_in(self, series: Series) -> int:
        """One more in the series' counter row, which stays locked until this transaction ends."""
        statement = insert_for(self.conn.dialect.name, case_number_counters).values(
            region=series.region, year=series.year, last=1)
        statement = statement.on_conflict_do_update(
            index_elements=["region", "year"], set_={"last": case_number_counters.c.last + 1})
        return self.conn.execute(statement.returning(case_number_counters.c.last)).scalar_one()

    def hold_unit(self, unit_id: str) -> None:
        """Until commit, no other routing decides a group for this unit: two reports of one act that
        arrive together still end in one group."""
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(HOLD_UNIT, {"unit": unit_id})

    def find_group(self, unit_id: str, keys: list[tuple[str, str]], since: datetime,
                   policy: GroupPolicy) -> Match | None:
        """The earliest group of this unit since `since` sharing any key; None when the act is new.

        PostgreSQL does the matching: exact keys through the lookup index, perceptual hashes by distance
        over the unit's hashes in the window. Fetching those hashes to compare them here cost 30 ms of CPU
        per report with 3,000 cases in the window (scripts/benchmark_grouping.py)."""
        exact = [(kind, value[:KEY_LENGTH]) for kind, value in keys if kind in EXACT_KINDS]
        near = [value for kind, value in keys if kind == PHASH and is_hex(value)]
        if not exact and not near:
            return None
        if self.conn.dialect.name != "postgresql":  # a SQLite file: the same rule, compared here
            return self._find_group_here(unit_id, exact + [(PHASH, value) for value in near], since, policy)
        query = _group_query(bool(exact), tuple(len(value) for value in near))
        values = {"unit": unit_id, "since": since, "distance": policy.phash_distance,
                  **({"exact": exact} if exact else {}), **{f"phash_{n}": value for n, value in enumerate(near)}}
        return self._match(self.conn.execute(query, values).all())

    def _find_group_here(self, unit_id, keys, since, policy) -> Match | None:
        fingerprint = case_fingerprints.c
        found = self.conn.execute(select(fingerprint.group_id, fingerprint.kind, fingerprint.value, fingerprint.at)
                                  .where(fingerprint.unit_id == unit_id, fingerprint.at >= since,
                                         fingerprint.kind.in_({kind for kind, _ in keys}))).all()
        return self._match(sorted((row for row in found if any(
            kind == row.kind and close_enough(kind, value, row.value, policy) for kind, value in keys)),
            key=lambda row: row.at))

    def _match(self, hits) -> Match | None:
        if not hits:
            return None
        group_id = hits[0].group_id
        lead = self.conn.execute(LEAD_OF, {"case": group_id}).one()
        matched = tuple(sorted({row.kind for row in hits if row.group_id == group_id}))
        return Match(group_id, lead.case_id, lead.tracking_code, matched)

    def group_size(self, group_id: str) -> int:
        return self.conn.execute(GROUP_SIZE, {"group": group_id}).scalar_one()

    def add_fingerprint(self, case: Case, keys: list[tuple[str, str]], at: datetime) -> None:
        """The keys this case adds to its group (those the group already has are not repeated)."""
        group_id = case.group["group_id"]
        wanted = list(dict.fromkeys((kind, value[:KEY_LENGTH]) for kind, value in keys))
        if not wanted:
            return
        # A group this case starts has no keys yet, so there is nothing to look up. Otherwise only these keys
        # are, through the unit's index: a group reported hundreds of times has thousands of rows. (A key the
        # group holds under the unit it had before a transfer is stored again.)
        pair = tuple_(case_fingerprints.c.kind, case_fingerprints.c.value)
        known = set() if group_id == case.case_id else {(row.kind, row.value) for row in self.conn.execute(
            select(case_fingerprints.c.kind, case_fingerprints.c.value)
            .where(case_fingerprints.c.unit_id == case.primary_unit_id, pair.in_(wanted),
                   case_fingerprints.c.group_id == group_id))}
        new = [key for key in wanted if key not in known]
        if new:
            self.conn.execute(insert(case_fingerprints), [
                {"case_id": case.case_id, "group_id": group_id, "unit_id": case.primary_unit_id,
                 "kind": kind, "value": value, "at": at} for kind, value in new])

    def save(self, case: Case) -> None:
        self.conn.execute(SAVE_CASE, {"case": case.case_id, "primary_unit_id": case.primary_unit_id})
        self._write_news(case)

    def _write_news(self, case: Case) -> None:
        if case.new_routings:
            self.conn.execute(ADD_ROUTING, [
                {"case_id": case.case_id, "transfer_id": routing.transfer_id, "from_unit_id": routing.from_unit_id,
                 "primary_unit": routing.primary, "copies": list(routing.copies),
                 "matched_rule": routing.matched_rule, "fallback": list(routing.fallback),
                 "routed_at": routing.routed_at} for routing in case.new_routings])
        if case.new_changes:
            self.conn.execute(ADD_CHANGE, [
                {"case_id": case.case_id, "status": change.status, "detail": (change.detail or "")[:500] or None,
                 "event_id": change.event_id, "changed_at": change.at} for change in case.new_changes])
        case.new_routings.clear()
        case.new_changes.clear()

    def _load(self, query, key: str) -> Case | None:
        row = self.conn.execute(query, {"key": key}).first()
        if row is None:
            return None
        found = self.conn.execute(ROUTINGS_OF, {"case": row.case_id}).all()
        return Case(row.case_id, row.complaint_id, row.tracking_code, row.dossier, [_routing(r) for r in found],
                    group=row.grouping or {}, case_number=row.case_number)


def _routing(row) -> Routing:
    return Routing(row.primary_unit, tuple(row.copies), row.matched_rule, tuple(row.fallback),
                   _aware(row.routed_at), row.transfer_id, row.from_unit_id)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every time stored here is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class SqlCases:
    def __init__(self, engine: Engine):
        self.engine = engine

    def transaction(self, publish: Callable[[dict], None] | None = None) -> ContextManager[CaseRepository]:
        """One unit of work; its events go to `publish` once it has committed."""
        return unit_of_work(self.engine, CaseRepository, after_commit=publish)

