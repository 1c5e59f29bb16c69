"""Logging in: password, then the TOTP code (enrolled on the first login); an idle session ends itself, and
logging out ends it on the server (services/desk/accounts/sessions.py)."""
from __future__ import annotations

import functools
import time
from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from ..cases import drafts
from ..cases.regional import READ_ONLY, acts_on_a_case, with_region
from . import accounts as acc
from . import recovery, sessions
from .landing import safe_next

blp = Blueprint("auth", __name__, url_prefix="/desk/masuk")


def desk():
    return current_app.extensions["netra.desk"]


def _idle():
    return timedelta(minutes=desk().settings.idle_minutes)


def signed_in_staff():
    """The officer of this session, or None when absent, idle too long, ended on the server (logout, the
    account disabled, its second factor reset: services/desk/accounts/sessions.py), or the account is disabled."""
    account_id, seen = session.get("account_id"), session.get("seen", 0)
    if account_id is None:
        return None
    if time.time() - seen > desk().settings.idle_minutes * 60:
        session.clear()
        return None
    account = desk().accounts.by_id(account_id)
    if account is None or account["disabled"] or not account["totp_confirmed"] \
            or not sessions.session_alive(desk().accounts, account_id, session.get("key"), _idle()):
        session.clear()
        return None
    session["seen"] = int(time.time())
    return with_region(acc.staff_of(account), desk().settings.units_file)


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        g.staff = signed_in_staff()
        if g.staff is None:
            if request.path.startswith("/desk/api/"):
                abort(401, "Masuk dulu melalui /desk/masuk.")
            if request.method == "POST":  # back to the form's page after login, with what was typed
                return session_ended()
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if acts_on_a_case(g.staff, request.method, request.path):
            abort(403, READ_ONLY)
        return view(*args, **kwargs)
    return wrapped


def session_ended():
    page = drafts.form_page()
    kept = drafts.stash(request.form, page)
    return render_template("session_ended.html", kept=kept, go_on=url_for("auth.login", next=page),
                           fields=drafts.typed_fields(request.form), signed_in=False), 401


@blp.route("", methods=["GET", "POST"])
def login():
    """Step one: username and password."""
    landing = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("login.html", next=landing)
    try:
        account = acc.check_password(desk().accounts, request.form.get("username", ""),
                                     request.form.get("password", ""))
    except acc.LoginRefused as refused:
        return render_template("login.html", error=str(refused), next=landing), 401
    kept = drafts.carried(session)
    session.clear()
    session.update(pending=account["id"], next=landing, **kept)
    target = "auth.code" if account["totp_confirmed"] else "auth.enrol"
    return redirect(url_for(target))


def _pending_account():
    account = desk().accounts.by_id(session.get("pending", -1))
    if account is None or account["disabled"]:
        session.clear()
        return None
    return account


@blp.route("/kode", methods=["GET", "POST"])
def code():
    """Step two: the six-digit code from the officer's authenticator app."""
    account = _pending_account()
    if account is None or not account["totp_confirmed"]:
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return render_template("code.html")
    return _finish(account, "code.html", {})


@blp.route("/daftar-kode", methods=["GET", "POST"])
def enrol():
    """First login: show the secret (text, otpauth URI and QR code); the first right code confirms it."""
    account = _pending_account()
    if account is None or account["totp_confirmed"]:
        return redirect(url_for("auth.login"))
    secret = acc.enrolment_secret(desk().accounts, account) if request.method == "GET" else account["totp_secret"]
    uri = acc.otpauth_uri(account, secret or "")
    context = {"secret": secret, "uri": uri, "qr": acc.qr_svg(uri)}
    if request.method == "GET":
        return render_template("enrol.html", **context)
    return _finish(account, "enrol.html", context)


def _finish(account: dict, template: str, context: dict):
    enrolling = template == "enrol.html"
    try:
        _second_factor(account, request.form.get("code", ""), enrolling)
    except acc.LoginRefused as refused:
        return render_template(template, error=str(refused), **context), 401
    landing, kept = safe_next(session.get("next")), drafts.carried(session)
    session.clear()
    session.permanent = True
    key = sessions.start_session(desk().accounts, account["id"], _idle())
    session.update(account_id=account["id"], key=key, seen=int(time.time()), **kept)
    desk().audit.record(account["username"], account["unit_id"], "login")
    if not enrolling:
        return redirect(landing or url_for("pages.cases"))
    desk().audit.record(account["username"], account["unit_id"], "account.second_factor_enrolled", None,
                        account["username"])
    return render_template("recovery.html", codes=recovery.new_codes(desk().accounts, account["id"]),
                           landing=landing)


def _second_factor(account: dict, typed: str, enrolling: bool) -> None:
    """A TOTP code; or, after enrolment, one of the account's recovery codes (each once)."""
    if enrolling or not recovery.looks_like_code(typed.strip()):
        acc.check_code(desk().accounts, account, typed)
    elif recovery.use_code(desk().accounts, account["id"], typed):
        desk().audit.record(account["username"], account["unit_id"], "login.recovery_code", None,
                            account["username"])
    else:
        raise acc.LoginRefused(acc.WRONG_CODE)


@blp.post("/keluar")
def logout():
    """Ends this session on the server too: a copy of its cookie no longer signs anyone in. The officer's
    sessions on other devices go on."""
    sessions.end_session(desk().accounts, session.get("key"))
    session.clear()
    flash("Anda telah keluar.")
    return redirect(url_for("auth.login"))
