"""intake's settings: its database, the evidence bucket it writes originals into (and for how long they stay
locked), where it listens, limits, and the public keys it seals to.

intake holds no key that opens anything: it seals the reporter's identity to the custodian's public key and
the reporter's contact to notify's public key, and can open neither. Its one secret, NETRA_RATE_LIMIT_SECRET,
only names abuse counters (services.common.client_limits).
"""
from __future__ import annotations

from pydantic import Field, field_validator

from services.common.sealing import public_key
from services.common.settings import (
    DEV_CONTACT_PUBLIC_KEY,
    DEV_DISCLOSURE_PUBLIC_KEY,
    DEV_IDENTITY_PUBLIC_KEY,
    PREFIX,
    ClientLimitSettings,
    DatabaseSettings,
    RetentionSettings,
    StoreSettings,
    check_bind,
    limits_or_error,
    plain_http,
    public_url_or_default,
)


def _public_key(value: str) -> str:
    public_key(value)
    return value.strip()


class IdentityRetentionSettings(DatabaseSettings):
    """What the identity purge needs, and no key: the scheduler runs it without intake's secrets."""
    SERVICE = "intake"

    contact_retention_days: int = Field(90, ge=1, le=3650, description=(
        "Days after a case closes until the reporter's contact (notify) and sealed identity (intake) are "
        "deleted by the scheduler; shown on the privacy notice"))


class IntakeSettings(IdentityRetentionSettings, StoreSettings, ClientLimitSettings, RetentionSettings):
    SERVICE = "intake"

    s3_access_key: str = Field("netra-intake",
                               description="intake's own object-store user (services.provision creates it): it may "
                                           "only put originals under netra-evidence/complaints/, never read or "
                                           "delete")
    s3_secret_key: str = Field("netra-intake-secret", description="The secret of NETRA_S3_ACCESS_KEY")
    intake_bind: str = Field("127.0.0.1:8080", description="host:port intake's web server listens on (gunicorn)")
    intake_workers: int = Field(2, ge=1, le=64, description="gunicorn worker processes (deploy/gunicorn.conf.py)")
    intake_threads: int = Field(4, ge=1, le=64, description="Threads per gunicorn worker (deploy/gunicorn.conf.py)")
    public_url: str = Field("", validate_default=True,
                            description="Where citizens reach intake (links in mails and pages); NETRA_INTAKE_BIND "
                                        "over http when empty")
    max_body_bytes: int = Field(25 * 1024 * 1024, ge=1024,
                                description="Largest request body accepted, bytes (the form with its evidence files)")
    max_files: int = Field(10, ge=1, le=50, description="Evidence files one complaint may carry")
    max_url_length: int = Field(2048, ge=256, le=65536, description="Longest request URL accepted, characters")
    identity_public_key: str = Field(DEV_IDENTITY_PUBLIC_KEY,
                                     description="The custodian's public key the reporter's identity is sealed to "
                                                 "(base64)")
    contact_public_key: str = Field(DEV_CONTACT_PUBLIC_KEY,
                                    description="notify's public key the reporter's contact is sealed to (base64)")
    disclosure_public_key: str = Field(DEV_DISCLOSURE_PUBLIC_KEY, description=(
        "The desk's disclosure key (base64): the identity is sealed to it too, and released to the desk only "
        "for a request the custodian approved"))
    rate_limits_enabled: bool = Field(True,
                                      description="Limit requests per client and overall (required in production)")
    rate_limit_default: str = Field("120/minute", description="Limit on every route, e.g. 120/minute")
    rate_limit_per_client: str = Field("10/minute;60/day",
                                       description="Complaints one client may submit, e.g. 10/minute;60/day")
    rate_limit_global: str = Field("300/minute",
                                   description="Complaints all clients together may submit, e.g. 300/minute")
    daily_evidence_quota_bytes: int = Field(20 * 1024 ** 3, ge=0,
                                            description="Bytes of evidence accepted per UTC day, all complaints "
                                                        "together (0: none)")
    rate_limit_tracking: str = Field("10/minute;100/day",
                                     description="Attempts one client may make on /lacak (code and receipt guesses)")
    team_rate_limit: str = Field("120/minute;5000/day", description="Requests one monitoring team's key may make")
    team_batch_rate_limit: str = Field("6/minute;200/day", description="Batch uploads one team's key may make")
    max_batch_items: int = Field(200, ge=1, le=5000, description=(
        "Findings one batch may carry (filed within one request: gunicorn's 60 s timeout bounds it)"))
    max_batch_bytes: int = Field(500 * 1024 * 1024, ge=1024, description="Largest batch upload, bytes")
    max_manifest_bytes: int = Field(5 * 1024 * 1024, ge=1024,
                                    description="Largest batch manifest (CSV, XLSX or JSON), bytes")
    data_controller: str = Field("Pengelola Netra (belum ditetapkan)", min_length=1, description=(
        "The data controller (pengendali data pribadi, UU 27/2022) named on the privacy notice"))
    data_controller_contact: str = Field("privasi@netra.invalid", min_length=1, description=(
        "Where reporters reach the data controller (an email address or a postal address), shown on the "
        "privacy notice"))

    _bind = field_validator("intake_bind")(check_bind)
    _public_url = field_validator("public_url")(public_url_or_default)
    _keys = field_validator("identity_public_key", "contact_public_key", "disclosure_public_key")(_public_key)
    _rates = field_validator("rate_limit_default", "rate_limit_per_client", "rate_limit_global",
                                    "rate_limit_tracking")(limits_or_error)
    _team_rates = field_validator("team_rate_limit", "team_batch_rate_limit")(limits_or_error)

    def production_problems(self) -> list[str]:
        problems = super().production_problems() + plain_http("PUBLIC_URL", self.public_url)
        if self.identity_public_key == DEV_IDENTITY_PUBLIC_KEY:
            problems.append(f"{PREFIX}IDENTITY_PUBLIC_KEY: the development key pair is public")
        if self.contact_public_key == DEV_CONTACT_PUBLIC_KEY:
            problems.append(f"{PREFIX}CONTACT_PUBLIC_KEY: the development key pair is public")
        if self.disclosure_public_key == DEV_DISCLOSURE_PUBLIC_KEY:
            problems.append(f"{PREFIX}DISCLOSURE_PUBLIC_KEY: the development key pair is public")
        if not self.rate_limits_enabled:
            problems.append(f"{PREFIX}RATE_LIMITS_ENABLED: production needs rate limits")
        return problems
