"""The operators' tools' settings: the backup's (the databases of each service, the object store's admin user,
the key files) and the reconciler's (intake's database, how long each step of a complaint may take)."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

from pydantic import Field, field_validator

from services.common.settings import PREFIX, CommonSettings, DatabaseSettings, HolidaySettings
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


class ReconcileSettings(DatabaseSettings):
    """The reconciler: intake's database (the complaints, their timeline, the outbox) and how long each step
    of a complaint may take. It publishes nothing itself: a re-drive is a row in intake's outbox."""

    SERVICE: ClassVar[str] = "reconcile"

    database_url: str = Field("", validate_default=True, description=(
        "intake's database (SQLAlchemy URL), which the reconciler reads and whose outbox it re-drives through; "
        "intake's SQLite file under var/ when empty"))
    due_evidence_archived_seconds: int = Field(300, ge=1, description=(
        "Seconds a received complaint may wait for evidence_archived before it counts as overdue"))
    due_routed_seconds: int = Field(300, ge=1, description=(
        "Seconds a complaint may wait, once its evidence is archived, for routed before it counts as overdue"))
    due_unit_notified_seconds: int = Field(300, ge=1, description=(
        "Seconds a routed complaint may wait for unit_notified (the unit's mail sent) before it counts as "
        "overdue"))

    @field_validator("database_url")
    @classmethod
    def _default_database(cls, value: str) -> str:
        return value or "sqlite:///var/netra-intake.db"

    def due(self) -> dict[str, timedelta]:
        """Each step's time, by the timeline status that marks it reached."""
        return {step: timedelta(seconds=getattr(self, f"due_{step}_seconds"))
                for step in ("evidence_archived", "routed", "unit_notified")}

    def production_problems(self) -> list[str]:
        return []  # it reaches only intake's database: no broker, store or keys with development defaults


class ScheduleSettings(HolidaySettings):
    """The scheduler: each job's service database (its lock is taken there, and the job's own command gets
    it as NETRA_DATABASE_URL), when each job runs, and how early the holiday data's end is announced."""

    SERVICE: ClassVar[str] = "scheduler"

    intake_database_url: str = Field(LOCAL_DATABASE.format(service="intake"), description=(
        "intake's database, for the scheduler's identity purge and its lock"))
    notify_database_url: str = Field(LOCAL_DATABASE.format(service="notify"), description=(
        "notify's database, for the scheduler's contact purge and its lock"))
    desk_database_url: str = Field(LOCAL_DATABASE.format(service="desk"), description=(
        "The desk's database, for the scheduler's reminders and its holiday check's lock"))
    schedule_timezone: str = Field("Asia/Jakarta", description="Time zone of the scheduler's cron expressions")
    schedule_digest: str = Field("0 7 * * *", description=(
        "Cron expression of the reminders (each unit's cases due soon and overdue, the desk digest) and of the "
        "escalation of long-overdue cases to the body above the unit"))
    schedule_purge: str = Field("30 2 * * *", description=(
        "Cron expression of the purge of reporters' contacts (notify) and sealed identities (intake)"))
    schedule_holiday_check: str = Field("0 8 * * 1", description=(
        "Cron expression of the check that warns when the published holiday data runs out"))
    holiday_warn_days: int = Field(180, ge=1, le=3650, description=(
        "Days before the last published holiday data runs out that the scheduler starts warning"))

    @field_validator("schedule_digest", "schedule_purge", "schedule_holiday_check")
    @classmethod
    def _cron(cls, value: str) -> str:
        from apscheduler.triggers.cron import CronTrigger
        CronTrigger.from_crontab(value)  # ValueError names the wrong field
        return value

    @field_validator("schedule_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("expected an IANA time zone such as Asia/Jakarta") from None
        return value

    def database_urls(self) -> dict[str, str]:
        return {service: getattr(self, f"{service}_database_url") for service in ("intake", "notify", "desk")}

    def production_problems(self) -> list[str]:
        return []  # it reaches only the databases; each job's own command checks its own settings
