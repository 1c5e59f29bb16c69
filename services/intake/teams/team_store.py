"""Monitoring teams' rows: teams, their keys, their batches and which complaint each of their items became."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from ..tables import complaints, team_batches, team_findings, team_keys, teams
from .teams import TeamKey, new_token, token_digest


class TeamStore:
    def __init__(self, engine: Engine | None):
        self.engine = engine

    def create_key(self, team_name: str, region_code: str | None, scopes) -> tuple[str, str]:
        """(key id, token): the token exists only in this answer; the table keeps its SHA-256."""
        key_id, token = f"tk_{secrets.token_hex(6)}", new_token()
        with self.engine.begin() as conn:
            team_id = conn.execute(select(teams.c.team_id).where(teams.c.name == team_name)).scalar()
            if team_id is None:
                team_id = f"team_{secrets.token_hex(6)}"
                conn.execute(insert(teams).values(team_id=team_id, name=team_name, region_code=region_code))
            conn.execute(insert(team_keys).values(key_id=key_id, team_id=team_id, token_sha256=token_digest(token),
                                                  scopes=" ".join(scopes)))
        return key_id, token

    def keys(self) -> list[dict]:
        query = (select(team_keys.c.key_id, teams.c.name.label("team_name"), teams.c.region_code,
                        team_keys.c.created_at, team_keys.c.revoked_at)
                 .join(teams).order_by(teams.c.name, team_keys.c.created_at))
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def revoke(self, key_id: str) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(update(team_keys).where(team_keys.c.key_id == key_id)
                                .where(team_keys.c.revoked_at.is_(None))
                                .values(revoked_at=datetime.now(timezone.utc)))
        return done.rowcount == 1

    def key_by_digest(self, digest: str) -> TeamKey | None:
        query = (select(team_keys.c.key_id, team_keys.c.team_id, team_keys.c.scopes, teams.c.name).join(teams)
                 .where(team_keys.c.token_sha256 == digest).where(team_keys.c.revoked_at.is_(None)))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return TeamKey(row.key_id, row.team_id, row.name, frozenset(row.scopes.split())) if row else None

    def finding(self, team_id: str, external_id: str) -> str | None:
        """The tracking code the team's item already became, if it did."""
        query = (select(complaints.c.tracking_code).join(team_findings)
                 .where(team_findings.c.team_id == team_id).where(team_findings.c.external_id == external_id))
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    @staticmethod
    def add_finding(tx, team_id: str, external_id: str, complaint_id: str, batch_id: str) -> None:
        """The item's row, in the complaint's own unit of work `tx` (a second one breaks the primary key)."""
        tx.conn.execute(insert(team_findings).values(team_id=team_id, external_id=external_id,
                                                     complaint_id=complaint_id, batch_id=batch_id))

    def save_batch(self, batch_id: str, team_id: str, results: dict, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(team_batches).values(batch_id=batch_id, team_id=team_id, results=results,
                                                     created_at=at))

    def batch(self, batch_id: str, team_id: str) -> dict | None:
        """Only the team's own batch: another team's is as unknown as a batch that never was."""
        query = (select(team_batches.c.results).where(team_batches.c.batch_id == batch_id)
                 .where(team_batches.c.team_id == team_id))
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    def findings(self, team_id: str, limit: int, offset: int) -> list[dict]:
        query = (select(team_findings.c.external_id, team_findings.c.batch_id, complaints.c.tracking_code,
                        complaints.c.status, complaints.c.submitted_at)
                 .join(complaints).where(team_findings.c.team_id == team_id)
                 .order_by(complaints.c.submitted_at, team_findings.c.external_id).limit(limit).offset(offset))
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

