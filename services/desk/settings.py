"""The desk's settings: its database, the evidence store, where it listens, sessions and logins."""
from __future__ import annotations

from email.utils import parseaddr
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from services.common.sealing import private_key
from services.common.settings import (
    DEV_DISCLOSURE_PRIVATE_KEY,
    DEV_S3_KEYS,
    PREFIX,
    ClientLimitSettings,
    DatabaseSettings,
    HolidaySettings,
    MailSettings,
    RetentionSettings,
    StoreSettings,
    check_bind,
    limits_or_error,
    plain_http,
)
from services.reference.files import UNITS_FILE

DEV_SESSION_SECRET = "netra-desk-development-session-secret-not-for-production"


class DigestSettings(DatabaseSettings, MailSettings, HolidaySettings):
    """What the reminders (`python -m services.desk.cli digest`) need, and no session secret or store key:
    the scheduler runs them without the desk's web secrets."""
    SERVICE = "desk"

    desk_url: str = Field("", validate_default=True,
                          description="Where units reach the desk; NETRA_DESK_BIND over http when empty")
    units_file: Path = Field(UNITS_FILE, description="The units directory (YAML); the shipped one by default")
    # The daily digest (python -m services.desk.cli digest) goes through the SMTP relay (MailSettings);
    # a case due within this many working days counts as due soon.
    mail_from: str = Field("Netra Meja Unit <netra@localhost>",
                           description="Sender address of the desk's mails (daily digest, invitations, password resets)")
    digest_within_days: int = Field(3, ge=0, le=30,
                                    description="A case due within this many working days is listed as due soon in "
                                                "the digest")
    escalate_after_days: int = Field(5, ge=1, le=60, description=(
        "Working days a case may be overdue before the body above its unit is told (its province's unit of "
        "the same kind; twice as long: the one at the centre)"))

    @field_validator("desk_url")
    @classmethod
    def _desk_url(cls, value: str) -> str:
        import os
        url = (value or f"http://{os.environ.get(PREFIX + 'DESK_BIND', '127.0.0.1:8090')}").rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise ValueError("expected an http(s):// address")
        return url

    @field_validator("units_file")
    @classmethod
    def _units_file(cls, value: Path) -> Path:
        if not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    def production_problems(self) -> list[str]:
        problems = super().production_problems() + plain_http("DESK_URL", self.desk_url)
        if parseaddr(self.mail_from)[1].endswith("@localhost"):
            problems.append(f"{PREFIX}MAIL_FROM: units cannot answer or trust a @localhost sender")
        return problems


class DeskWorkerSettings(DigestSettings):
    """What the desk's worker needs: its database, the broker and the units' mail (which links to the desk).
    No session secret, store key or disclosure key: it serves no page and opens no identity."""


class DeskSettings(DigestSettings, StoreSettings, ClientLimitSettings, RetentionSettings):
    SERVICE = "desk"

    desk_bind: str = Field("127.0.0.1:8090", description="host:port the desk's web server listens on (gunicorn)")
    desk_workers: int = Field(2, ge=1, le=64, description="gunicorn worker processes (deploy/gunicorn-desk.conf.py)")
    desk_threads: int = Field(4, ge=1, le=64,
                              description="Threads per gunicorn worker (deploy/gunicorn-desk.conf.py)")
    session_secret: str = Field(DEV_SESSION_SECRET, min_length=32,
                                description="Key that signs the desk's session cookies (at least 32 characters)")
    idle_minutes: int = Field(30, ge=1, le=24 * 60, description="Minutes without a request before a desk session ends")
    # None: Secure exactly when the desk is reached over https (a loopback http run still logs in).
    cookie_secure: bool | None = Field(None,
                                       description="Send session cookies over https only; unset: exactly when "
                                                   "NETRA_DESK_URL is https")
    login_max_failures: int = Field(5, ge=1, le=100, description=(
        "Wrong passwords or codes one client may try for one username, existing or not, before that client waits"))
    lockout_minutes: int = Field(15, ge=1, le=24 * 60, description=(
        "The window NETRA_LOGIN_MAX_FAILURES counts in: how long that client waits at most"))
    login_failures_per_username: str = Field("50 per hour", description=(
        "Wrong passwords or codes for one username from all clients together before every client waits, "
        "e.g. 50 per hour"))
    login_rate: str = Field("20 per minute", description="Login attempts per client, e.g. 20 per minute")
    invitation_days: int = Field(7, ge=1, le=60,
                                 description="Days an invitation link to a desk account stays usable")
    reset_minutes: int = Field(60, ge=5, le=24 * 60,
                               description="Minutes a mailed password-reset link stays usable (once)")
    reset_rate: str = Field("3 per hour", description=(
        "Password-reset mails one typed address may ask for, from all clients together (each client is also "
        "held to NETRA_LOGIN_RATE)"))

    election_calendar: Path | None = Field(None, description=(
        "The operator's election calendar (the file routing reads); the figures page offers its running "
        "election as a period"))

    # Comma-separated, the current one first; older ones stay during a rotation (docs/operations.md).
    disclosure_private_keys: str = Field(DEV_DISCLOSURE_PRIVATE_KEY, description=(
        "Private keys that open identities intake releases for approved disclosure requests, comma-separated, "
        "the current one first"))

    document_max_bytes: int = Field(10 * 1024 * 1024, ge=1024, le=100 * 1024 * 1024, description=(
        "Largest PDF a unit may upload with its step's outcome (the PPK's decree, the BAP)"))
    documents_access_key: str = Field("netra-documents", description=(
        "Object-store user the desk writes uploaded decrees and BAPs with: put-only under "
        "netra-evidence/complaints/*/documents/ (provision's NETRA_S3_DOCUMENTS_ACCESS_KEY); the desk reads "
        "evidence as NETRA_S3_ACCESS_KEY"))
    documents_secret_key: str = Field("netra-documents-secret", description="The secret of NETRA_DOCUMENTS_ACCESS_KEY")

    _bind = field_validator("desk_bind")(check_bind)
    _rates = field_validator("login_rate", "login_failures_per_username", "reset_rate")(limits_or_error)

    @field_validator("election_calendar")
    @classmethod
    def _calendar(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @model_validator(mode="after")
    def _disclosure_keys(self) -> "DeskSettings":
        # Checked on the whole model so that an error report never echoes the keys themselves.
        for number, key in enumerate(self.disclosure_keys, start=1):
            try:
                private_key(key)
            except ValueError:
                raise ValueError(f"{PREFIX}DISCLOSURE_PRIVATE_KEYS: key {number} is not a private key "
                                 "(base64 of 32 bytes)") from None
        if not self.disclosure_keys:
            raise ValueError(f"{PREFIX}DISCLOSURE_PRIVATE_KEYS: expected at least one private key")
        return self

    @property
    def disclosure_keys(self) -> list[str]:
        return [part.strip() for part in self.disclosure_private_keys.split(",") if part.strip()]

    @property
    def secure_cookies(self) -> bool:
        return self.desk_url.startswith("https://") if self.cookie_secure is None else self.cookie_secure

    def production_problems(self) -> list[str]:
        problems = super().production_problems()
        if self.session_secret == DEV_SESSION_SECRET:
            problems.append(f"{PREFIX}SESSION_SECRET: the development secret is public")
        if (self.documents_access_key, self.documents_secret_key) in DEV_S3_KEYS:
            problems.append(f"{PREFIX}DOCUMENTS_ACCESS_KEY/{PREFIX}DOCUMENTS_SECRET_KEY: development keys")
        if not self.secure_cookies:
            problems.append(f"{PREFIX}COOKIE_SECURE: production sends session cookies over https only")
        if DEV_DISCLOSURE_PRIVATE_KEY in self.disclosure_keys:
            problems.append(f"{PREFIX}DISCLOSURE_PRIVATE_KEYS: the development private key is public")
        return problems
