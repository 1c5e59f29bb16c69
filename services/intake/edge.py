"""The HTTP edge around every request: URL length, cross-site posts, security headers, one log line.

The log line names the route and status only: never the client's address, the query or the body.
"""
from __future__ import annotations

from urllib.parse import urlparse

import structlog
from flask import Flask, request

from services.common.security_headers import register_security_headers

from .problems import problem

log = structlog.get_logger("netra.intake.web")
# Everything else may carry a receipt, or is the form showing it: no-store.
CACHEABLE = ("/api/v1/reference/", "/static/", "/api/v1/openapi.json")
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def register_edge(app: Flask, public_url: str, max_url_length: int) -> None:
    own_origins = {origin_of(public_url)}
    register_security_headers(app, CACHEABLE)

    @app.before_request
    def guard():
        structlog.contextvars.clear_contextvars()
        if len(request.full_path) > max_url_length:
            return problem(414, "URI Too Long", f"The address is longer than {max_url_length} characters.")
        if request.method in UNSAFE_METHODS and cross_site(own_origins | {origin_of(request.host_url)}):
            return problem(403, "Cross-site request refused",
                           "Complaints are accepted from Netra's own form or from API clients, "
                           "not from forms on other sites.")
        return None

    @app.after_request
    def summary(response):
        if request.path not in ("/healthz", "/readyz"):
            log.info("http.request", method=request.method, status=response.status_code,
                     path=request.url_rule.rule if request.url_rule else "unmatched")
        return response


def cross_site(own_origins: set[str]) -> bool:
    """A browser tells where a request comes from; API clients that are not browsers send neither header."""
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return True
    origin = request.headers.get("Origin")
    return origin is not None and origin.rstrip("/").lower() not in own_origins


def origin_of(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}".lower()
