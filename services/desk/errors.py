"""Errors as pages in Bahasa Indonesia, or as problem+json under the API; never a bare 500 page."""
from __future__ import annotations

from flask import Flask, flash, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .accounts.auth import session_ended, signed_in_staff
from .cases import drafts
from .cases.changes import NotFound

TITLES = {400: "Permintaan tidak valid", 401: "Silakan masuk", 403: "Tidak diizinkan",
          404: "Tidak ditemukan", 405: "Metode tidak diizinkan", 413: "Terlalu besar",
          429: "Terlalu banyak percobaan", 500: "Terjadi kesalahan", 503: "Layanan belum siap"}


def answer(status: int, detail: str = "", errors: dict | None = None):
    title = TITLES.get(status, "Kesalahan")
    if request.path.startswith("/desk/api/"):
        body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        if errors:
            body["errors"] = errors
        response = jsonify(body)
        response.status_code, response.mimetype = status, "application/problem+json"
        return response
    if not request.path.startswith("/desk/"):
        # Outside the desk's cookie path (e.g. /favicon.ico): a page here would start a second session.
        return f"{status} {title}", status, {"Content-Type": "text/plain; charset=utf-8"}
    return render_template("error.html", title=title, status=status, detail=detail), status


def register_errors(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def not_found(_exc):
        return answer(404, "Halaman atau kasus ini tidak ada.")

    @app.errorhandler(CSRFError)
    def csrf(_exc):
        if request.path.startswith("/desk/api/") or not drafts.from_a_desk_form():
            return answer(400, "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi.")
        return form_too_old()

    @app.errorhandler(HTTPException)
    def http(exc):
        data = getattr(exc, "data", None) or {}  # flask-smorest puts its message and field errors here
        detail = "Halaman atau kasus ini tidak ada." if exc.code == 404 else \
            (data.get("message") or exc.description or "")
        return answer(exc.code or 500, detail, data.get("errors") or data.get("messages"))

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unexpected error")
        return answer(500, "Coba lagi sebentar lagi.")


def form_too_old():
    """A form from before the session ended (or from before a new login): what was typed is kept for the page
    it came from, and the officer goes back to it, through the login when the session has ended."""
    if request.blueprint in ("auth", "selfservice"):  # nothing typed worth keeping but secrets
        flash("Halaman ini sudah terlalu lama terbuka. Silakan ulangi.", "error")
        return redirect(request.path if request.blueprint == "selfservice" else url_for("auth.login"), 303)
    if signed_in_staff() is None:  # clears an ended session first
        return session_ended()
    page = drafts.form_page()
    if not drafts.stash(request.form, page):
        return render_template("session_ended.html", kept=False, go_on=page, signed_in=True,
                               fields=drafts.typed_fields(request.form)), 400
    flash("Formulir ini sudah kedaluwarsa. Isian Anda dikembalikan; periksa lalu kirim lagi.", "error")
    return redirect(page, 303)

