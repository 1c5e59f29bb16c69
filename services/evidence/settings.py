"""evidence's settings: the object store and how long archived evidence stays locked."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from services.common.settings import StoreSettings


class EvidenceSettings(StoreSettings):
    SERVICE = "evidence"

    evidence_retention_days: int = Field(1825, ge=1, le=36500,
                                         description="Days archived evidence stays locked (object lock)")
    evidence_retention_mode: Literal["COMPLIANCE", "GOVERNANCE"] = Field("COMPLIANCE",
                                                                         description="Object-lock mode: COMPLIANCE "
                                                                                     "(nobody can shorten it) or "
                                                                                     "GOVERNANCE")

    @field_validator("evidence_retention_mode", mode="before")
    @classmethod
    def _upper(cls, value):
        return value.strip().upper() if isinstance(value, str) else value
