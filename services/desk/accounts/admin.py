"""A unit's admin manages the unit's accounts: invite officers, disable an account, unlock its login, revoke
its second factor.

An admin never sets a password and never signs in as anyone: the invited person sets their own, and after a
second-factor revocation the owner enrols again with their own password."""
from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from ..cases.access import REGIONAL, ROLES_ALL, manages_accounts
from ..cases.changes import NotFound
from ..cases.regional import NOT_PROVINCIAL, province_of_unit
from . import accounts as acc
from . import invitations, lockout
from .auth import login_required
from .links import now

blp = Blueprint("admin", __name__, url_prefix="/desk/akun")
INVITED_ROLES = [role for role in ROLES_ALL if role not in ("pengawas", "kustodian")]  # the operator's (CLI)


def desk():
    return current_app.extensions["netra.desk"]


def _admin_only():
    if not manages_accounts(g.staff):
        raise NotFound("akun")


def _own_account(account_id: int) -> dict:
    """An account of the admin's unit other than the admin's own (an admin cannot lock themselves out)."""
    account = desk().accounts.by_id(account_id)
    if account is None or account["unit_id"] != g.staff.unit_id or account["id"] == g.staff.id:
        raise NotFound(account_id)
    return account


@blp.get("")
@login_required
def accounts():
    """The accounts of the admin's unit and its open invitations."""
    _admin_only()
    at = lockout.now()
    return render_template("accounts.html", roles=INVITED_ROLES,
                           accounts=[acc.public(a) | {"locked_until": lockout.locked_until(a, at)}
                                     for a in desk().accounts.of_unit(g.staff.unit_id)],
                           invitations=desk().accounts.open_invitations(g.staff.unit_id, now()))


@blp.post("/undang")
@login_required
def invite():
    """Mails a one-time link to the address given; the invitee chooses their own username and password."""
    _admin_only()
    email, role = request.form.get("email", "").strip(), request.form.get("role", "")
    try:
        if role not in INVITED_ROLES:
            raise ValueError(f"Peran harus salah satu dari: {', '.join(INVITED_ROLES)}.")
        if role == REGIONAL and not province_of_unit(desk().settings.units_file, g.staff.unit_id):
            raise ValueError(NOT_PROVINCIAL)
        invitations.invite(desk().accounts, desk().invitations, unit_id=g.staff.unit_id, role=role, email=email,
                           unit_name=desk().units.get(g.staff.unit_id, g.staff.unit_id), by=g.staff.username)
    except ValueError as problem:
        flash(str(problem), "error")
    except OSError:
        flash("Undangan tidak dapat dikirim sekarang (server surel). Coba lagi nanti.", "error")
    else:
        desk().audit.record(g.staff.username, g.staff.unit_id, "account.invited", None, f"{email} ({role})")
        flash(f"Undangan dikirim ke {email}. Tautannya berlaku {desk().settings.invitation_days} hari.", "ok")
    return redirect(url_for("admin.accounts"))


@blp.post("/<int:account_id>/nonaktifkan")
@login_required
def disable(account_id):
    _admin_only()
    account = _own_account(account_id)
    acc.set_disabled(desk().accounts, account["username"], not account["disabled"])
    desk().audit.record(g.staff.username, g.staff.unit_id, "account.disabled" if not account["disabled"]
                        else "account.enabled", None, account["username"])
    return redirect(url_for("admin.accounts"))


@blp.post("/<int:account_id>/buka-kunci")
@login_required
def unlock(account_id):
    """Every client's count of wrong passwords and codes for this account starts afresh."""
    _admin_only()
    account = _own_account(account_id)
    lockout.unlock(desk().accounts, account)
    desk().audit.record(g.staff.username, g.staff.unit_id, "account.unlocked", None, account["username"])
    flash(f"Kunci masuk {account['username']} dibuka; pemiliknya dapat langsung masuk lagi.", "ok")
    return redirect(url_for("admin.accounts"))


@blp.post("/<int:account_id>/reset-kode")
@login_required
def reset_code(account_id):
    _admin_only()
    account = _own_account(account_id)
    acc.reset_second_factor(desk().accounts, account["username"])
    desk().audit.record(g.staff.username, g.staff.unit_id, "account.second_factor_reset", None, account["username"])
    flash(f"Faktor kedua {account['username']} dicabut; pemiliknya mendaftar ulang dengan kata sandinya sendiri "
          "saat masuk berikutnya.", "ok")
    return redirect(url_for("admin.accounts"))
