"""What people do for their own account: accept an invitation, reset a forgotten password by a mailed link,
change their password. Nobody does these for someone else: an admin invites, disables and revokes a second
factor (services/desk/accounts/admin.py), never sets a password."""
from __future__ import annotations

import time
from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from . import accounts as acc
from . import invitations, links, resets, sessions
from .auth import login_required

blp = Blueprint("selfservice", __name__)


def desk():
    return current_app.extensions["netra.desk"]


@blp.route("/desk/undangan/<token>", methods=["GET", "POST"])
def accept(token):
    """The invited person chooses a username, gives their name and sets a password; TOTP enrolment follows."""
    link = links.open_link(desk().accounts, token, "invite")
    if link is None:
        return render_template("link_expired.html", what="undangan"), 404
    if request.method == "GET":
        return render_template("accept.html", link=link, unit_name=_unit_name(link), form={})
    form = request.form
    try:
        account_id = invitations.accept(desk().accounts, token, form.get("username", ""), form.get("name", ""),
                                        form.get("password", ""), form.get("confirm", ""))
    except LookupError:
        return render_template("link_expired.html", what="undangan"), 404
    except ValueError as problem:
        return render_template("accept.html", link=link, unit_name=_unit_name(link), form=form,
                               error=str(problem)), 422
    desk().audit.record(form["username"].strip(), link["unit_id"], "account.invitation_accepted", None,
                        f"{form['username'].strip()} ({link['role']}), diundang oleh {link['created_by']}")
    session.clear()
    session["pending"] = account_id
    return redirect(url_for("auth.enrol"))


def _unit_name(link: dict) -> str:
    return desk().units.get(link["unit_id"], link["unit_id"])


@blp.route("/desk/masuk/lupa", methods=["GET", "POST"])
def forgot():
    """Asks for a reset link; the answer is the same whether or not the address has an account."""
    if request.method == "GET":
        return render_template("forgot.html")
    try:
        found = resets.request_reset(desk().accounts, desk().resets, request.form.get("email", ""))
    except OSError:  # the mail server refused or is away: say so, the link is unusable without its mail
        return render_template("forgot.html", error="Surel tidak dapat dikirim sekarang. Coba lagi nanti."), 503
    for account in found:
        desk().audit.record(account["username"], account["unit_id"], "account.password_reset_requested", None,
                            account["username"])
    return render_template("forgot.html", sent=resets.SAME_ANSWER)


@blp.route("/desk/masuk/atur-ulang/<token>", methods=["GET", "POST"])
def reset(token):
    """The new password, through the link mailed to the account's own address; the link works once."""
    if links.open_link(desk().accounts, token, "reset") is None:
        return render_template("link_expired.html", what="tautan atur ulang"), 404
    if request.method == "GET":
        return render_template("reset.html")
    try:
        account = resets.complete_reset(desk().accounts, token, request.form.get("password", ""),
                                        request.form.get("confirm", ""))
    except LookupError:
        return render_template("link_expired.html", what="tautan atur ulang"), 404
    except ValueError as problem:
        return render_template("reset.html", error=str(problem)), 422
    desk().audit.record(account["username"], account["unit_id"], "account.password_reset", None, account["username"])
    session.clear()
    flash("Kata sandi diganti. Masuk dengan kata sandi baru dan kode OTP Anda.", "ok")
    return redirect(url_for("auth.login"))


@blp.route("/desk/sandi", methods=["GET", "POST"])
@login_required
def change_password():
    """The signed-in officer's own password: the current one first. Other devices are signed out."""
    if request.method == "GET":
        return render_template("password.html")
    account = desk().accounts.by_id(g.staff.id)
    form = request.form
    try:
        acc.change_password(desk().accounts, account, form.get("current", ""), form.get("password", ""),
                            form.get("confirm", ""))
    except ValueError as problem:
        return render_template("password.html", error=str(problem)), 422
    desk().audit.record(g.staff.username, g.staff.unit_id, "account.password_changed", None, g.staff.username)
    key = sessions.start_session(desk().accounts, account["id"], timedelta(minutes=desk().settings.idle_minutes))
    session.update(key=key, seen=int(time.time()))
    flash("Kata sandi diganti. Perangkat lain yang masuk dengan akun ini telah dikeluarkan.", "ok")
    return redirect(url_for("pages.cases"))
