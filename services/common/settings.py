"""Configuration from the environment, read once at start-up into a frozen object."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROUTING_DATA = Path(__file__).resolve().parent.parent / "routing" / "data"

# Development-only keys: they let a laptop run start with no set-up. Production sets its own.
DEV_REPORTER_KEY = "bmV0cmEtZGV2LXJlcG9ydGVyLWtleS0zMi1ieXRlcyE="
DEV_CONTACT_KEY = "bmV0cmEtZGV2LWNvbnRhY3Qta2V5LTMyLWJ5dGVzLi4="


def _env(name: str, default: str) -> str:
    return os.environ.get(f"NETRA_{name}", default)


def _flag(name: str, default: bool) -> bool:
    return _env(name, "on" if default else "off").strip().lower() in {"1", "on", "true", "yes"}


def _ints(name: str, default: str) -> tuple[int, ...]:
    return tuple(int(part) for part in _env(name, default).split(",") if part.strip())


def _default_log_format() -> str:
    return "console" if sys.stderr.isatty() else "json"


@dataclass(frozen=True)
class Settings:
    service: str
    amqp_url: str
    s3_endpoint: str
    s3_access_key: str
    s3_secret_key: str
    s3_region: str
    database_url: str
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_starttls: bool
    mail_from: str
    intake_bind: str
    public_url: str
    units_file: Path
    rules_file: Path
    evidence_retention_days: int
    evidence_retention_mode: str
    presign_seconds: int
    max_body_bytes: int
    max_files: int
    reporter_key: str
    contact_key: str
    retry_delays_ms: tuple[int, ...]
    max_attempts: int
    prefetch: int
    health_bind: str
    log_level: str
    log_format: str

    @classmethod
    def from_env(cls, service: str) -> "Settings":
        intake_bind = _env("INTAKE_BIND", "127.0.0.1:8080")
        return cls(
            service=service,
            amqp_url=_env("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
            s3_endpoint=_env("S3_ENDPOINT", "http://127.0.0.1:9000"),
            s3_access_key=_env("S3_ACCESS_KEY", "netra-dev"),
            s3_secret_key=_env("S3_SECRET_KEY", "netra-dev-secret"),
            s3_region=_env("S3_REGION", "us-east-1"),
            database_url=_env("DATABASE_URL", f"sqlite:///var/netra-{service}.db"),
            smtp_host=_env("SMTP_HOST", "127.0.0.1"),
            smtp_port=int(_env("SMTP_PORT", "1025")),
            smtp_user=_env("SMTP_USER", ""),
            smtp_password=_env("SMTP_PASSWORD", ""),
            smtp_starttls=_flag("SMTP_STARTTLS", False),
            mail_from=_env("MAIL_FROM", "Netra <netra@localhost>"),
            intake_bind=intake_bind,
            public_url=_env("PUBLIC_URL", f"http://{intake_bind}").rstrip("/"),
            units_file=Path(_env("UNITS_FILE", str(ROUTING_DATA / "units.yaml"))),
            rules_file=Path(_env("RULES_FILE", str(ROUTING_DATA / "rules.yaml"))),
            evidence_retention_days=int(_env("EVIDENCE_RETENTION_DAYS", "1825")),
            evidence_retention_mode=_env("EVIDENCE_RETENTION_MODE", "COMPLIANCE").upper(),
            presign_seconds=int(_env("PRESIGN_SECONDS", str(7 * 24 * 3600))),
            max_body_bytes=int(_env("MAX_BODY_BYTES", str(25 * 1024 * 1024))),
            max_files=int(_env("MAX_FILES", "10")),
            reporter_key=_env("REPORTER_KEY", DEV_REPORTER_KEY),
            contact_key=_env("CONTACT_KEY", DEV_CONTACT_KEY),
            retry_delays_ms=_ints("RETRY_DELAYS_MS", "1000,5000,30000,120000"),
            max_attempts=int(_env("MAX_ATTEMPTS", "5")),
            prefetch=int(_env("PREFETCH", "10")),
            health_bind=_env("HEALTH_BIND", "127.0.0.1:0"),
            log_level=_env("LOG_LEVEL", "info"),
            log_format=_env("LOG_FORMAT", _default_log_format()),
        )
