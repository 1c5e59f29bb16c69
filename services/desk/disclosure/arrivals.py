"""identity.disclosed from intake: the identity, still sealed to the desk's disclosure key, kept for the one
view; or intake's word that there is none to give."""
from __future__ import annotations

from datetime import datetime, timezone

from services.common.envelope import read_payload

from ..events import IdentityDisclosedSchema
from ..ports import Disclosures


def identity_disclosed(event: dict, disclosures: Disclosures) -> None:
    disclosures.released(read_payload(IdentityDisclosedSchema, event), datetime.now(timezone.utc))
