"""A unit's admin manages the unit's accounts: create, disable, reset the second factor."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from . import accounts as acc
from .access import ROLES_ALL, manages_accounts
from .auth import login_required
from .changes import NotFound

blp = Blueprint("admin", __name__, url_prefix="/desk/akun")


def desk():
    return current_app.extensions["netra.desk"]


def _admin_only():
    if not manages_accounts(g.staff):
        raise NotFound("akun")


def _own_account(account_id: int) -> dict:
    account = desk().accounts.by_id(account_id)
    if account is None or account["unit_id"] != g.staff.unit_id:
        raise NotFound(account_id)
    return account


@blp.get("")
@login_required
def accounts():
    """The accounts of the admin's unit."""
    _admin_only()
    return render_template("accounts.html", accounts=desk().accounts.of_unit(g.staff.unit_id),
                           roles=[r for r in ROLES_ALL if r != "pengawas"])


@blp.post("")
@login_required
def create():
    _admin_only()
    form = request.form
    role = form.get("role", "")
    try:
        if role == "pengawas":
            raise ValueError("Akun pengawas dibuat oleh operator melalui CLI.")
        acc.new_account(desk().accounts, desk().units, form.get("username", ""), g.staff.unit_id, role,
                        form.get("password", ""))
    except ValueError as problem:
        flash(str(problem), "error")
    else:
        desk().audit.record(g.staff.username, g.staff.unit_id, "account.created", None, form.get("username"))
        flash("Akun dibuat. Pemiliknya mendaftarkan kode OTP saat pertama masuk.", "ok")
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


@blp.post("/<int:account_id>/reset-kode")
@login_required
def reset_code(account_id):
    _admin_only()
    account = _own_account(account_id)
    acc.reset_second_factor(desk().accounts, account["username"])
    desk().audit.record(g.staff.username, g.staff.unit_id, "account.second_factor_reset", None, account["username"])
    flash(f"Kode OTP {account['username']} direset; ia mendaftar ulang saat masuk berikutnya.", "ok")
    return redirect(url_for("admin.accounts"))
