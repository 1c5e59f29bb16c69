"""Sends a mail through the configured SMTP server and sorts failures into 'try later' and 'never'.

Error texts from the server are kept out of exception messages: a refusal often quotes the recipient's
address, and exception messages end up in logs and in parked messages' headers.
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

import structlog

from services.common.smtp import SmtpConfig, answers, close_quietly, open_smtp

__all__ = ["PermanentMailError", "SmtpConfig", "TransientMailError", "answers", "send"]

log = structlog.get_logger("netra.notify.smtp")


class TransientMailError(Exception):
    """The server was unreachable or answered 4xx: the same mail may go through later."""


class PermanentMailError(Exception):
    """The server answered 5xx: this mail will never be accepted as it is."""

    def __init__(self, code: int, detail: str):
        super().__init__(f"smtp {code}")
        self.code = code
        self.detail = detail  # the server's own words, for unit mails only (they may quote the address)



def send(message: EmailMessage, config: SmtpConfig) -> None:
    try:
        smtp = open_smtp(config)
        try:
            refused = smtp.send_message(message)
        finally:
            close_quietly(smtp)
    except smtplib.SMTPRecipientsRefused as exc:
        replies = exc.recipients.values()
        raise _from_codes([code for code, _ in replies], "; ".join(_text(text) for _, text in replies)) from None
    except smtplib.SMTPAuthenticationError as exc:
        # Our credentials, not this mail, are wrong: retry (and park) rather than fail the recipient.
        raise TransientMailError(f"smtp authentication failed: {exc.smtp_code}") from None
    except smtplib.SMTPResponseException as exc:
        raise _from_codes([exc.smtp_code], _text(exc.smtp_error)) from None
    except (OSError, smtplib.SMTPException) as exc:  # refused, timed out, dropped, no STARTTLS...
        raise TransientMailError(f"smtp unreachable: {type(exc).__name__}") from None
    if refused:
        # Some copies bounced while the main recipient took the mail: it counts as sent.
        log.warning("smtp.some_recipients_refused", refused=len(refused),
                    codes=sorted({code for code, _ in refused.values()}))





def _from_codes(codes: list[int], detail: str) -> Exception:
    """Any 4xx among the answers means a later attempt can still reach someone."""
    if any(400 <= code < 500 for code in codes) or not codes:
        return TransientMailError(f"smtp temporary refusal: {sorted(set(codes))}")
    if all(500 <= code < 600 for code in codes):
        return PermanentMailError(max(codes), detail)
    return TransientMailError(f"smtp unexpected answer: {sorted(set(codes))}")


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
