"""The security headers every web answer carries (intake and the desk), and `no-store` on every answer that
may hold personal data: a receipt, a reporter's answer, a case.

The policy allows only the service's own files: no inline script or style, no framing, no plugins.
"""
from __future__ import annotations

from flask import Flask, request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def register_security_headers(app: Flask, cacheable: tuple[str, ...] = (),
                              referrer_policy: str = "no-referrer") -> None:
    """Every answer gets the headers (a view may set one of its own); only paths starting with one of
    `cacheable` (static files, reference data) may be kept by a browser or proxy. A site whose forms need
    their Referer (Flask-WTF's CSRF check over https) passes referrer_policy="same-origin"."""
    headers = {**SECURITY_HEADERS, "Referrer-Policy": referrer_policy}

    @app.after_request
    def secure(response):
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if not request.path.startswith(cacheable):
            response.headers["Cache-Control"] = "no-store"
        return response
