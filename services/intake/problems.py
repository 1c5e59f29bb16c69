"""Every error answers application/problem+json (RFC 9457), validation errors with all fields at once."""
from __future__ import annotations

import structlog
from flask import Flask, jsonify
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError
from urllib3.exceptions import HTTPError as StoreUnreachable
from werkzeug.exceptions import HTTPException

from .submit import IdempotencyConflict, UnsupportedEvidence

PROBLEM = "application/problem+json"
OUTAGES = (DBAPIError, StoreUnreachable)
log = structlog.get_logger("netra.intake.web")


def problem(status: int, title: str, detail: str, errors: dict | None = None, type_: str = "about:blank"):
    body = {"type": type_, "title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = flatten(errors)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    return response


def flatten(errors: dict, prefix: str = "") -> dict[str, list[str]]:
    """{"subject": {"nip": [...]}} → {"subject.nip": [...]}: one field path per message list."""
    flat: dict[str, list[str]] = {}
    for key, value in errors.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            flat.update(flatten(value, path))
        else:
            flat[path] = [str(v) for v in (value if isinstance(value, list) else [value])]
    return flat


def register_problems(app: Flask) -> None:
    @app.errorhandler(ValidationError)
    def invalid(exc: ValidationError):
        errors = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        return problem(422, "Invalid complaint", "One or more fields are invalid; see errors.", errors)

    @app.errorhandler(UnsupportedEvidence)
    def unsupported(exc: UnsupportedEvidence):
        return problem(415, "Unsupported evidence type",
                       "Evidence must be PNG, JPEG, WebP, GIF or PDF.", exc.errors)

    @app.errorhandler(IdempotencyConflict)
    def conflict(_exc):
        return problem(422, "Idempotency-Key reused",
                       "This Idempotency-Key was already used for a different request.",
                       {"Idempotency-Key": ["Already used for a different request."]})

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        data = getattr(exc, "data", None) or {}
        messages = data.get("messages")
        detail = data.get("message") or exc.description or exc.name
        return problem(exc.code or 500, exc.name, detail, messages if isinstance(messages, dict) else None)

    @app.errorhandler(Exception)
    def failure(exc: Exception):
        """Nothing was accepted: the client may retry, with the same Idempotency-Key."""
        log.error("request.failed", error=repr(exc)[:300], outage=isinstance(exc, OUTAGES))
        if isinstance(exc, OUTAGES):
            response = problem(503, "Service unavailable", "Storage is unavailable; retry shortly.")
            response.headers["Retry-After"] = "5"
            return response
        return problem(500, "Internal error", "The complaint was not accepted; retry shortly.")
