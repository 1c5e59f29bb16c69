"""identity.disclosed from intake: the identity, still sealed to the desk's disclosure key, kept for the one
view; or intake's word that there is none to give."""
from __future__ import annotations

from datetime import datetime, timezone

from marshmallow import fields

from services.common.envelope import Tolerant, read_payload


class IdentityDisclosed(Tolerant):
    request_id = fields.String(required=True)
    case_id = fields.String(required=True)
    unit_id = fields.String(required=True)
    outcome = fields.String(required=True)
    sealed_identity = fields.String(load_default=None, allow_none=True)


def identity_disclosed(event: dict, requests) -> None:
    requests.released(read_payload(IdentityDisclosed, event), datetime.now(timezone.utc))
