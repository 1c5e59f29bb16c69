"""Talking to the SMTP relay: its address and credentials, and a connection with STARTTLS and login."""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    user: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings) -> "SmtpConfig":
        return cls(settings.smtp_host, settings.smtp_port, settings.smtp_user, settings.smtp_password,
                   settings.smtp_starttls)


def open_smtp(config: SmtpConfig) -> smtplib.SMTP:
    """A connection ready to send: STARTTLS and login done when configured."""
    smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        if config.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if config.user:
            smtp.login(config.user, config.password)
    except BaseException:
        close_quietly(smtp)
        raise
    return smtp


def close_quietly(smtp: smtplib.SMTP) -> None:
    # Once the server took the mail, a failed QUIT must not make us send it again.
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def answers(config: SmtpConfig) -> bool:
    """The readiness check: the server greets us and answers NOOP."""
    with smtplib.SMTP(config.host, config.port, timeout=min(config.timeout, 5)) as smtp:
        return smtp.noop()[0] == 250
