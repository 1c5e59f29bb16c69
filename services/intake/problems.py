"""Every error answers application/problem+json (RFC 9457), validation errors with all fields at once.

Nothing on these paths logs an exception's text: it may quote the complaint document. A failure is logged
by its type and a short error code the answer also carries, so an operator can match the two.
"""
from __future__ import annotations

import secrets

import structlog
from flask import Flask, jsonify, render_template, request
from marshmallow import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from services.common.logs import raised_at

from .complaints.submit import (
    IdempotencyConflict,
    QuotaExceeded,
    seconds_until_tomorrow,
)
from .complaints.uploads import StoreUnavailable
from .complaints.validation import (
    UnreadableBody,
    UnsupportedBody,
    UnsupportedEvidence,
    flatten,
)
from .wording import errors_in, message_in, title_in, wanted_language

PROBLEM = "application/problem+json"
OUTAGES = (OperationalError, InterfaceError, StoreUnavailable)
TOO_MANY = "Terlalu banyak pengaduan dalam waktu singkat. Silakan coba lagi setelah {seconds} detik."
QUOTA = "Kapasitas penyimpanan bukti untuk hari ini sudah penuh. Silakan coba lagi besok."
log = structlog.get_logger("netra.intake.web")


def problem(status: int, title: str, detail: str, errors: dict | None = None, type_: str = "about:blank"):
    """The answer in English, or in Bahasa Indonesia for a client asking `Accept-Language: id`."""
    lang = wanted_language()
    body = {"type": type_, "title": title_in(title, lang), "status": status, "detail": message_in(detail, lang)}
    if errors is not None:
        body["errors"] = errors_in(flatten(errors), lang)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    response.headers["Content-Language"] = lang
    response.vary.add("Accept-Language")
    return response


def retry_after(response, seconds: int):
    response.headers["Retry-After"] = str(seconds)
    return response


def register_problems(app: Flask) -> None:
    app.register_error_handler(ValidationError, lambda exc: problem(
        422, "Invalid complaint", "One or more fields are invalid; see errors.",
        exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}))
    app.register_error_handler(UnreadableBody, lambda exc: problem(400, "Unreadable complaint", str(exc)))
    app.register_error_handler(UnsupportedBody, lambda _: problem(
        415, "Unsupported Media Type", "Send application/json or multipart/form-data with a complaint part."))
    app.register_error_handler(UnsupportedEvidence, lambda exc: problem(
        415, "Unsupported evidence type", "Evidence must be PNG, JPEG, WebP, GIF or PDF.", exc.errors))
    app.register_error_handler(IdempotencyConflict, lambda _: problem(
        422, "Idempotency-Key reused", "This Idempotency-Key was already used for a different request.",
        {"Idempotency-Key": ["Already used for a different request."]}))
    app.register_error_handler(QuotaExceeded, lambda _: retry_after(
        problem(429, "Kuota harian penuh", QUOTA), seconds_until_tomorrow()))
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, failure)


CITIZEN_PAGES = {404: ("Halaman tidak ditemukan", "Alamat ini tidak ada di Netra. Periksa alamatnya, atau mulai "
                                                    "dari halaman pengaduan atau halaman lacak pengaduan."),
                 405: ("Halaman tidak dapat dibuka langsung", "Halaman ini hanya muncul setelah mengirim formulir. "
                                                              "Buka halaman lacak pengaduan dan masuk lagi dengan "
                                                              "kode pelacakan dan tanda terima.")}


def citizen_page(exc: HTTPException):
    """A page in Bahasa Indonesia, not problem+json, for a browser opening an address outside the API."""
    if exc.code not in CITIZEN_PAGES or request.path.startswith("/api/") or request.method not in ("GET", "HEAD"):
        return None
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) != "text/html":
        return None
    title, message = CITIZEN_PAGES[exc.code]
    return render_template("galat.html", title=title, message=message), exc.code


def http_error(exc: HTTPException):
    if page := citizen_page(exc):
        return page
    if exc.code == 429:
        seconds = too_many_seconds(exc)
        return retry_after(problem(429, "Terlalu banyak permintaan", TOO_MANY.format(seconds=seconds)), seconds)
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    detail = data.get("message") or exc.description or exc.name
    if isinstance(messages, dict) and set(messages) <= {"query", "headers", "json", "form", "files"}:
        messages = {k: v for part in messages.values() for k, v in (part.items() if isinstance(part, dict) else ())}
    return problem(exc.code or 500, exc.name, str(detail), messages if isinstance(messages, dict) else None)


def too_many_seconds(exc: HTTPException) -> int:
    limit = getattr(exc, "limit", None)
    try:
        return max(1, int(limit.limit.get_expiry()))
    except (AttributeError, TypeError, ValueError):
        return 60


def failure(exc: Exception):
    """Nothing was accepted: the client may retry, with the same Idempotency-Key."""
    code = secrets.token_hex(4)
    outage = isinstance(exc, OUTAGES)
    log.error("request.failed", error_type=type(exc).__name__, error_code=code, outage=outage,
              raised_at=raised_at(exc))
    if outage:
        return retry_after(problem(503, "Service unavailable", f"Storage is unavailable; retry shortly ({code})."), 5)
    return problem(500, "Internal error", f"The complaint was not accepted; retry shortly ({code}).")
