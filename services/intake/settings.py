"""intake's settings: its database, the staging bucket, where it listens, limits and keys."""
from __future__ import annotations

from pydantic import Field, field_validator

from services.common.settings import (DEV_CONTACT_KEY, DEV_REPORTER_KEY, PREFIX, DatabaseSettings, StoreSettings,
                                      check_bind, fernet_key, plain_http, public_url_or_default)


class IntakeSettings(DatabaseSettings, StoreSettings):
    SERVICE = "intake"

    intake_bind: str = "127.0.0.1:8080"
    public_url: str = Field("", validate_default=True)
    max_body_bytes: int = Field(25 * 1024 * 1024, ge=1024)
    max_files: int = Field(10, ge=1, le=50)
    reporter_key: str = DEV_REPORTER_KEY
    contact_key: str = DEV_CONTACT_KEY

    _bind = field_validator("intake_bind")(check_bind)
    _public_url = field_validator("public_url")(public_url_or_default)
    _keys = field_validator("reporter_key", "contact_key")(fernet_key)

    def production_problems(self) -> list[str]:
        problems = super().production_problems() + plain_http("PUBLIC_URL", self.public_url)
        if self.reporter_key == DEV_REPORTER_KEY:
            problems.append(f"{PREFIX}REPORTER_KEY: the development key is public")
        if self.contact_key == DEV_CONTACT_KEY:
            problems.append(f"{PREFIX}CONTACT_KEY: the development key is public")
        return problems
