"""notify's settings: its database, the SMTP relay, the contact keys, and the addresses its mails point to."""
from __future__ import annotations

from urllib.parse import urlparse

from pydantic import Field, field_validator, model_validator

from services.common.sealing import private_key
from services.common.settings import (DEV_CONTACT_PRIVATE_KEY, PREFIX, DatabaseSettings, MailSettings,
                                      plain_http, public_url_or_default)


class ContactRetentionSettings(DatabaseSettings):
    """What the contact purge needs, and no key: the scheduler runs it without notify's secrets."""
    SERVICE = "notify"

    contact_retention_days: int = Field(90, ge=0, le=3650, description=(
        "Days after a case closes until `python -m services.notify.cli purge-contacts` deletes the reporter's "
        "sealed contact"))


class NotifySettings(ContactRetentionSettings, MailSettings):
    SERVICE = "notify"

    public_url: str = Field("", validate_default=True,
                            description="Where reporters reach intake (links in their mails); NETRA_INTAKE_BIND over "
                                        "http when empty")
    desk_url: str = Field("http://127.0.0.1:8090", description="Where units reach the desk (links in unit mails)")
    # Comma-separated private keys that open reporter contacts, the current one first; older ones stay
    # during a rotation so contacts sealed before it still open.
    contact_private_keys: str = Field(DEV_CONTACT_PRIVATE_KEY,
                                      description="Private keys that open reporter contacts, comma-separated, the "
                                                  "current one first")

    _public_url = field_validator("public_url")(public_url_or_default)

    @field_validator("desk_url")
    @classmethod
    def _desk_url(cls, value: str) -> str:
        if urlparse(value).scheme not in ("http", "https") or not urlparse(value).netloc:
            raise ValueError("expected an http(s):// address, e.g. https://desk.netra.go.id")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _keys(self) -> "NotifySettings":
        # Checked on the whole model so that an error report never echoes the keys themselves.
        keys = [part.strip() for part in self.contact_private_keys.split(",") if part.strip()]
        for number, key in enumerate(keys, start=1):
            try:
                private_key(key)
            except ValueError:
                raise ValueError(f"{PREFIX}CONTACT_PRIVATE_KEYS: key {number} is not a private key "
                                 "(base64 of 32 bytes)") from None
        if not keys:
            raise ValueError(f"{PREFIX}CONTACT_PRIVATE_KEYS: expected at least one private key")
        return self

    @property
    def contact_keys(self) -> list[str]:
        return [part.strip() for part in self.contact_private_keys.split(",") if part.strip()]

    def production_problems(self) -> list[str]:
        problems = super().production_problems() + plain_http("PUBLIC_URL", self.public_url)
        problems += plain_http("DESK_URL", self.desk_url)
        if DEV_CONTACT_PRIVATE_KEY in self.contact_keys:
            problems.append(f"{PREFIX}CONTACT_PRIVATE_KEYS: the development private key is public")
        return problems
