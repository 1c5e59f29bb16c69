"""The desk's pages for identity requests: the officer's panel on the case page, the one view, and the
identity custodian's queue. The identity itself is only ever in the answer to the one-view POST."""
from __future__ import annotations

from dataclasses import dataclass

from flask import (
    Blueprint,
    Flask,
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

from services.common.sealing import Opener
from services.reference.disclosure import bases_for, citation

from ..accounts.auth import login_required
from ..cases import casework
from ..cases.access import access_to
from ..cases.changes import NotFound, Refused
from ..directory import unit_entries
from . import rules
from .events import disclosure_approved
from .store import DisclosureStore

blp = Blueprint("disclosure", __name__, url_prefix="/desk")


@dataclass(frozen=True)
class Disclosures:
    requests: DisclosureStore
    opener: Opener
    units: dict[str, dict]  # id -> name, kind, ...


def register(app: Flask, settings, engine) -> None:
    app.extensions["netra.disclosure"] = Disclosures(DisclosureStore(engine), Opener.from_texts(
        settings.disclosure_keys), unit_entries(settings.units_file))
    app.register_blueprint(blp)
    app.before_request(custodian_sees_only_requests)


CUSTODIAN_MAY = ("disclosure.", "auth.", "selfservice.", "static")


def custodian_sees_only_requests():
    """A custodian's account reaches its queue, login and its own password, nothing of any unit's cases (the
    list, the export, the figures, the API): whichever unit it sits in."""
    if request.endpoint is None or request.endpoint.startswith(CUSTODIAN_MAY) or "account_id" not in session:
        return None
    account = current_app.extensions["netra.desk"].accounts.by_id(session["account_id"])
    if account is None or account["role"] != rules.CUSTODIAN:
        return None
    if request.path.startswith("/desk/api/"):
        abort(404)
    return redirect(url_for("disclosure.custodian"))


def disclosures() -> Disclosures:
    return current_app.extensions["netra.disclosure"]


def kind_of(unit_id: str) -> str | None:
    return (disclosures().units.get(unit_id) or {}).get("kind")


@blp.app_template_global()
def disclosure_panel(case: dict, access: str | None) -> dict:
    """What the case page shows this officer: whether they may ask, the bases, their unit's requests."""
    kind = kind_of(g.staff.unit_id)
    return {"refusals": rules.may_ask(g.staff, kind, case, access),
            "bases": [citation(basis) for basis in bases_for(kind)],
            "requests": disclosures().requests.of_case(case["case_id"], g.staff.unit_id)}


@blp.app_template_global()
def basis_words(basis_id: str) -> str:
    return citation(basis_id)["citation"]


@blp.post("/kasus/<case_id>/identitas")
@login_required
def ask(case_id):
    """An officer of the body owning the case's current step asks the custodian for the reporter's identity."""
    try:
        request_identity(g.staff, case_id, request.form.get("reason", ""), request.form.get("legal_basis", ""))
    except Refused as refused:
        return _back(case_id, refused.reasons, "error")
    return _back(case_id, ["Permintaan identitas diajukan; menunggu keputusan kustodian identitas."], "ok")


def request_identity(staff, case_id: str, reason: str, basis: str) -> dict:
    """The new request (page and API); NotFound for a case the officer may not see, Refused saying why not."""
    case, access = casework.open_case(current_app.extensions["netra.desk"].cases, case_id, staff)
    kind = kind_of(staff.unit_id)
    row, problems = rules.new_request(staff, kind, case, access, reason, basis, casework.now())
    if problems:
        raise Refused(problems)
    disclosures().requests.ask(row, lambda locked, granted: rules.may_ask(staff, kind, locked,
                                                                         access_to(staff, granted)))
    return row


@blp.post("/identitas/<request_id>/tampilkan")
@login_required
def show(request_id):
    """The identity, once, to the officer who asked; the page is not stored (no-store) and not linkable."""
    found = disclosures().requests.get(request_id)
    if found is None or found["requested_by_id"] != g.staff.id:
        raise NotFound(request_id)
    audit = current_app.extensions["netra.desk"].audit
    try:
        identity = disclosures().requests.show_once(request_id, g.staff, disclosures().opener, casework.now())
    except Refused as refused:
        audit.record(g.staff.username, g.staff.unit_id, "identity.view_refused", found["case_id"], request_id)
        return _back(found["case_id"], refused.reasons, "error")
    return render_template("disclosure/identity.html", identity=identity, asked=found,
                           basis=basis_words(found["legal_basis"]))


@blp.get("/kustodian")
@login_required
def custodian():
    """The identity custodian's queue: requests waiting, and the latest decisions."""
    _custodian_only()
    current_app.extensions["netra.desk"].audit.record(g.staff.username, g.staff.unit_id, "identity.queue_viewed")
    store = disclosures().requests
    return render_template("disclosure/custodian.html", waiting=store.waiting(), decided=store.decided(),
                           units={uid: unit["name"] for uid, unit in disclosures().units.items()})


@blp.post("/kustodian/<request_id>/<decision>")
@login_required
def decide(request_id, decision):
    _custodian_only()
    found = disclosures().requests.get(request_id)
    if found is None or decision not in ("setujui", "tolak"):
        raise NotFound(request_id)
    reason = request.form.get("reason", "")
    try:
        if problems := rules.decision_problems(g.staff, reason):
            raise Refused(problems)
        event = approval(found) if decision == "setujui" else None
        disclosures().requests.decide(found, g.staff, reason, casework.now(), event)
    except Refused as refused:
        for reason_text in refused.reasons:
            flash(reason_text, "error")
        return redirect(url_for("disclosure.custodian"))
    flash("Permintaan disetujui; identitas dikirim tersegel ke petugas yang meminta." if decision == "setujui"
          else "Permintaan ditolak; petugas membaca alasan Anda.", "ok")
    return redirect(url_for("disclosure.custodian"))


def approval(found: dict) -> dict:
    body = disclosures().units.get(found["unit_id"], {}).get("name", found["unit_id"])
    case = {"case_id": found["case_id"], "complaint_id": found["complaint_id"],
            "tracking_code": found["tracking_code"]}
    return disclosure_approved(case, found, body, casework.now())


def _custodian_only() -> None:
    if g.staff.role != rules.CUSTODIAN:
        raise NotFound("kustodian")


def _back(case_id: str, messages: list[str], kind: str):
    for message in messages:
        flash(message, kind)
    return redirect(url_for("pages.case", case_id=case_id) + "#identity")
