"""The desk's one outgoing mail, the daily digest, over SMTP (STARTTLS and login when configured)."""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    user: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 30

    @classmethod
    def from_settings(cls, settings) -> "SmtpConfig":
        return cls(settings.smtp_host, settings.smtp_port, settings.smtp_user, settings.smtp_password,
                   settings.smtp_starttls)


def sender(config: SmtpConfig):
    """send(message): one connection per mail, so one unit's refused mail cannot spoil the next."""
    def send(message: EmailMessage) -> None:
        with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
            if config.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if config.user:
                smtp.login(config.user, config.password)
            smtp.send_message(message)
    return send
