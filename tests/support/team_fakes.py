"""An in-memory stand-in for intake's TeamStore (services/intake/teams/team_store.py), for unit tests."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from services.intake.teams.teams import SCOPES, TeamKey, new_token, token_digest


class FakeTeamStore:
    def __init__(self, repository):
        self.repository = repository  # the FakeRepository the complaints are saved in
        self.keys_by_digest: dict[str, TeamKey] = {}
        self.revoked: set[str] = set()
        self.found: dict[tuple[str, str], str] = {}  # (team id, external id) -> complaint id
        self.batches: dict[str, tuple[str, dict]] = {}

    def create_key(self, team_name, region_code=None, scopes=SCOPES) -> tuple[str, str]:
        token = new_token()
        key = TeamKey(f"tk_{len(self.keys_by_digest)}", f"team_{team_name}", team_name, frozenset(scopes))
        self.keys_by_digest[token_digest(token)] = key
        return key.key_id, token

    def key_by_digest(self, digest):
        key = self.keys_by_digest.get(digest)
        return None if key is None or key.key_id in self.revoked else key

    def revoke(self, key_id) -> bool:
        self.revoked.add(key_id)
        return True

    def finding(self, team_id, external_id):
        complaint_id = self.found.get((team_id, external_id))
        return next((code for code, accepted in self.repository.accepted.items()
                     if accepted.complaint_id == complaint_id), None)

    def add_finding(self, tx, team_id, external_id, complaint_id, batch_id) -> None:
        if (team_id, external_id) in self.found:
            raise IntegrityError("insert", {}, Exception("duplicate key"))
        self.found[(team_id, external_id)] = complaint_id

    def save_batch(self, batch_id, team_id, results, at) -> None:
        self.batches[batch_id] = (team_id, results)

    def batch(self, batch_id, team_id):
        found = self.batches.get(batch_id)
        return found[1] if found and found[0] == team_id else None

    def findings(self, team_id, limit, offset):
        return [{"external_id": e, "batch_id": None, "tracking_code": self.finding(t, e), "status": "received",
                 "submitted_at": None} for (t, e) in self.found if t == team_id][offset:offset + limit]
