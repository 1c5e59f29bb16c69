"""Log lines and parking reasons lose anything that looks like a reporter's data, wherever it hides."""
import io
import json
import logging
import secrets

import pytest
import structlog

from services.intake.complaints.receipts import new_receipt
from services.common.logs import configure_logging
from services.common.scrub import scrub, scrub_text

EMAIL, PHONE, NIK, IP = "siti.pelapor@example.org", "+62 812 7777 0001", "3171234567890123", "36.85.12.4"


def logged_lines(emit) -> list[str]:
    stream = io.StringIO()
    configure_logging("test", "info", "json")
    logging.getLogger().handlers[0].stream = stream
    emit(structlog.get_logger("test"))
    return stream.getvalue().splitlines()


@pytest.mark.parametrize("receipt", [new_receipt(), new_receipt().replace("-", "").lower(),
                                     secrets.token_urlsafe(24)], ids=["issued", "typed-plain", "before-crockford"])
def test_values_are_scrubbed_however_deep_and_whatever_their_key(receipt):
    lines = logged_lines(lambda log: log.info("request.failed", detail={"doc": [f"hubungi {EMAIL} {PHONE}"]},
                                              note=f"nik {NIK} dari {IP} kwitansi {receipt}"))
    record = json.loads(lines[0])
    text = json.dumps(record)
    for secret in (EMAIL, PHONE, NIK, IP, receipt, receipt.replace("-", "")):
        assert secret not in text
    assert record["detail"] == {"doc": ["hubungi [email] [phone]"]}


def test_an_exception_text_quoting_the_reporter_is_scrubbed_after_formatting():
    def emit(log):
        try:
            raise ValueError(f"cannot send to {EMAIL}")
        except ValueError:
            log.exception("complaint.failed")
    lines = logged_lines(emit)
    assert "ValueError: cannot send to [email]" in json.loads(lines[0])["exception"]
    assert not any(EMAIL in line for line in lines)


def test_a_unicode_error_repr_loses_the_address_but_keeps_its_shape():
    error = UnicodeEncodeError("utf-8", f"Siti {EMAIL} \ud83d", 5, 6, "surrogates not allowed")
    assert EMAIL not in scrub_text(repr(error)) and "UnicodeEncodeError" in scrub_text(repr(error))


def test_identifiers_netra_itself_uses_are_left_alone():
    kept = ("7c9e6679-7425-40de-944b-e07fc1f90ae7", "NTR-7K4M-Q2XP", "127.0.0.1:8081", "2026-11-02T02:15:07+00:00",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "notify.unit_mail.retry.2")
    assert scrub(list(kept)) == list(kept)
