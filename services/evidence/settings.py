"""evidence's settings: the object store and how long archived evidence stays locked."""
from __future__ import annotations

from services.common.settings import RetentionSettings, StoreSettings


class EvidenceSettings(StoreSettings, RetentionSettings):
    SERVICE = "evidence"
