"""The backup's settings: the databases of each service, the object store's admin user, the key files."""
from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from services.common.settings import PREFIX, CommonSettings
from services.common.storage import EVIDENCE_BUCKET

from .databases import SERVICES

SECRET_WORDS = ("KEY", "SECRET", "PASSWORD", "TOKEN")  # not NETRA_UNITS_FILE or NETRA_RULES_FILE
LOCAL_DATABASE = "postgresql+psycopg://netra:netra@127.0.0.1:5432/netra_{service}"


class BackupSettings(CommonSettings):
    """NETRA_<SERVICE>_DATABASE_URL per service (default: the local run's netra_<service> databases);
    the object store's root (or a backup) user, which may read every version and its retention."""

    SERVICE: ClassVar[str] = "backup"

    intake_database_url: str = LOCAL_DATABASE.format(service="intake")
    routing_database_url: str = LOCAL_DATABASE.format(service="routing")
    notify_database_url: str = LOCAL_DATABASE.format(service="notify")
    desk_database_url: str = LOCAL_DATABASE.format(service="desk")
    s3_endpoint: str = "http://127.0.0.1:9000"
    s3_root_user: str = "netra-dev"
    s3_root_password: str = "netra-dev-secret"
    s3_region: str = "us-east-1"
    evidence_bucket: str = EVIDENCE_BUCKET
    backup_evidence_prefixes: str = ""  # comma-separated key prefixes; empty: the whole bucket
    backup_key_files: str = ""  # comma-separated extra key files, e.g. the custodian's
    restore_keys_dir: Path | None = None

    def database_urls(self) -> dict[str, str]:
        return {service: getattr(self, f"{service}_database_url") for service in SERVICES}

    def prefixes(self) -> list[str]:
        return [part.strip() for part in self.backup_evidence_prefixes.split(",") if part.strip()]

    def key_files(self) -> dict[str, Path]:
        """Every file a secret's NETRA_*_FILE variable names, by variable, and NETRA_BACKUP_KEY_FILES by file name."""
        files = {name: Path(value) for name, value in os.environ.items()
                 if name.startswith(PREFIX) and name.endswith("_FILE") and value
                 and any(word in name for word in SECRET_WORDS)}
        for part in self.backup_key_files.split(","):
            if part.strip():
                files[Path(part.strip()).name] = Path(part.strip())
        return files
