"""notify's settings: its database, the object store, the SMTP relay, and the reporter contact key."""
from __future__ import annotations

from pydantic import Field, field_validator

from services.common.settings import (DEV_CONTACT_KEY, PREFIX, DatabaseSettings, StoreSettings, fernet_key,
                                      plain_http, public_url_or_default)


class NotifySettings(DatabaseSettings, StoreSettings):
    SERVICE = "notify"

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(1025, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "Netra <netra@localhost>"
    public_url: str = Field("", validate_default=True)
    presign_seconds: int = Field(7 * 24 * 3600, ge=60, le=7 * 24 * 3600)
    contact_key: str = DEV_CONTACT_KEY

    _public_url = field_validator("public_url")(public_url_or_default)
    _key = field_validator("contact_key")(fernet_key)

    @field_validator("mail_from")
    @classmethod
    def _address(cls, value: str) -> str:
        if "@" not in value:
            raise ValueError("expected an address such as Netra <netra@example.go.id>")
        return value

    def production_problems(self) -> list[str]:
        problems = super().production_problems() + plain_http("PUBLIC_URL", self.public_url)
        if self.contact_key == DEV_CONTACT_KEY:
            problems.append(f"{PREFIX}CONTACT_KEY: the development key is public")
        if self.smtp_user and not self.smtp_starttls:
            problems.append(f"{PREFIX}SMTP_STARTTLS: SMTP credentials would travel without TLS")
        return problems
