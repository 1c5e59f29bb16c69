"""Monitoring teams' API keys: made by an operator (services/intake/teams/team_cli.py), shown once, stored as a
SHA-256, checked on every request.

Why SHA-256 and not argon2: a key is 32 random bytes from `secrets` (256 bits), not a password a person
chose, so no dictionary or brute force can reach it from its digest; a slow, salted hash would add cost
to every request and rule out finding the key by an indexed lookup of its digest. Every request looks the
digest up again (no cache), so a revoked key is refused at once.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

TOKEN_PREFIX = "netra_team_"
SUBMIT, READ = "findings:submit", "findings:read"
SCOPES = (SUBMIT, READ)


class Unauthorized(Exception):
    """No key, an unknown key or a revoked key: 401."""


class Forbidden(Exception):
    """A valid key without the scope this request needs: 403."""


@dataclass(frozen=True)
class TeamKey:
    key_id: str
    team_id: str
    team_name: str
    scopes: frozenset

    @property
    def source(self) -> dict:
        """How complaint.submitted marks the team's findings: an organisation's code and public name."""
        return {"kind": "team", "team_id": self.team_id, "team_name": self.team_name}


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer_token(header: str | None) -> str | None:
    scheme, _, token = (header or "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token.startswith(TOKEN_PREFIX) and len(token) < 200 else None


def authenticate(store, header: str | None, scope: str) -> TeamKey:
    token = bearer_token(header)
    key = store.key_by_digest(token_digest(token)) if token else None
    if key is None:
        raise Unauthorized()
    if scope not in key.scopes:
        raise Forbidden()
    return key
