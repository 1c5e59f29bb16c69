"""The desk's one outgoing mail, the daily digest, over SMTP (STARTTLS and login when configured)."""
from __future__ import annotations

from email.message import EmailMessage

from services.common.smtp import SmtpConfig, close_quietly, open_smtp

__all__ = ["SmtpConfig", "sender"]


def sender(config: SmtpConfig):
    """send(message): one connection per mail, so one unit's refused mail cannot spoil the next."""
    def send(message: EmailMessage) -> None:
        smtp = open_smtp(config)
        try:
            smtp.send_message(message)
        finally:
            close_quietly(smtp)
    return send
