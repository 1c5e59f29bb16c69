"""The desk's side of a disclosure on real PostgreSQL: one open request per case and unit, an approval's event
written with it, intake's answer kept sealed, and two views at once: one shows the identity, the other reads
when it was shown; the sealed identity is gone from the database after it; each step in the audit log. Only
the body owning the case's current step asks: a Bawaslu in copy, or one whose step has ended, is told why not
on the page and in the API."""
import copy
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from services.common.sealing import Opener, new_key_pair, public_key, seal
from services.desk.accounts import accounts as acc
from services.desk.cases.access import Staff, access_to
from services.desk.cases.arrivals import case_arrived
from services.desk.cases.changes import NotFound, Refused
from services.desk.disclosure import rules
from services.desk.disclosure.arrivals import identity_disclosed
from services.desk.disclosure.events import disclosure_approved
from services.desk.disclosure.store import DisclosureStore
from services.desk.chain.steps import step_opened
from services.desk.cases.repository import CaseRepository
from services.desk.tables import audit_log, disclosure_requests, outbox
from tests.support.complaints import png_bytes
from tests.support.contracts import assert_matches_example, example
from tests.support.desk import desk_app, FlaskBrowser, login, routed, token
from tests.support.migrated import migrated_database

pytestmark = pytest.mark.integration
database_url = migrated_database("desk")  # services never create their tables
OFFICER = Staff(7, "rina.bawaslu", "bawaslu-14.03", "kepala")
CUSTODIAN = Staff(9, "kustodian.netra", "bkn", "kustodian")
PASSWORD = "kata-sandi-yang-panjang"
REASON = "Pendaftaran laporan memerlukan nama dan alamat pelapor (Pasal 454)."


@pytest.fixture
def case(engine):
    event = routed("bawaslu-14.03", "14.03", png_bytes(seed=21))
    event["payload"]["reporter_named"] = True
    cases = CaseRepository(engine)
    case_arrived(event, cases)
    return cases.get(event["payload"]["case_id"])


def asked(store, case) -> dict:
    row, problems = rules.new_request(OFFICER, "bawaslu", case, "write", REASON, "uu7-2017-pasal-454",
                                      datetime.now(timezone.utc))
    assert problems == []
    store.ask(row, lambda locked, granted: rules.may_ask(OFFICER, "bawaslu", locked, access_to(OFFICER, granted)))
    return store.get(row["request_id"])


def test_a_second_open_request_of_the_same_unit_is_refused_in_words(engine, case):
    store = DisclosureStore(engine)
    asked(store, case)
    with pytest.raises(Refused, match="masih diproses"):
        asked(store, case)


def test_approved_released_and_shown_once_when_two_views_race(engine, case):
    store, (public, private) = DisclosureStore(engine), new_key_pair()
    request = asked(store, case)
    event = disclosure_approved(case, request, "Bawaslu Kabupaten Bengkalis", datetime.now(timezone.utc))
    assert_matches_example(event, "identity.disclosure_approved")
    store.decide(request, CUSTODIAN, "Alasan dan dasar hukum sesuai dengan aturan.", datetime.now(timezone.utc), event)
    with engine.connect() as conn:
        assert conn.execute(select(outbox.c.event_type)).scalars().all()[-1] == "identity.disclosure_approved"
    answer = copy.deepcopy(example("identity.disclosed"))
    identity = {"name": "Wulan", "address": "Jl. Kenanga 3"}
    answer["payload"].update(request_id=request["request_id"], case_id=case["case_id"],
                             sealed_identity=seal(public_key(public), identity))
    identity_disclosed(answer, store)
    identity_disclosed(answer, store)  # a redelivery changes nothing

    def view(_):
        try:
            return store.show_once(request["request_id"], OFFICER, Opener.from_texts([private]),
                                   datetime.now(timezone.utc))
        except Refused as refused:
            return refused.reasons[0]
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(view, range(2)))
    assert results.count(identity) == 1
    assert [r for r in results if r != identity][0].startswith("Identitas ini telah ditampilkan pada")
    with engine.connect() as conn:
        row = conn.execute(select(disclosure_requests)).one()
        actions = conn.execute(select(audit_log.c.action).where(audit_log.c.case_id == case["case_id"])).scalars().all()
    assert row.state == rules.SHOWN and row.sealed_identity is None and row.shown_at is not None
    assert [a for a in actions if a.startswith("identity.")] == ["identity.requested", "identity.approved",
                                                                 "identity.released", "identity.shown"]


def test_only_the_officer_who_asked_may_view(engine, case):
    store = DisclosureStore(engine)
    request = asked(store, case)
    colleague = Staff(8, "budi.bawaslu", "bawaslu-14.03", "petugas")
    with pytest.raises(NotFound):
        store.show_once(request["request_id"], colleague, Opener.from_texts([new_key_pair()[1]]),
                        datetime.now(timezone.utc))


def test_a_custodian_reaches_only_the_queue_never_a_units_cases(database_url, engine, case, s3):
    app = desk_app(database_url, s3)
    service = app.extensions["netra.desk"]
    acc.new_account(service.accounts, service.units, "kustodian.netra", "bawaslu-14.03", "kustodian", PASSWORD)
    browser = FlaskBrowser(app.test_client())
    login(browser, "/desk", "kustodian.netra", PASSWORD, landing="Permintaan identitas pelapor")
    for path in ("/desk/", f"/desk/kasus/{case['case_id']}", "/desk/ekspor", "/desk/angka"):
        page = browser.get(path)
        assert "Permintaan identitas pelapor" in page.text and case["tracking_code"] not in page.text, path
    assert browser.get("/desk/api/v1/export?format=csv").status_code == 404


@pytest.fixture
def chained(database_url, s3):
    """A named report on the Bawaslu Bengkalis' step of the bawaslu-kanreg-ppk chain, Bawaslu Riau in copy."""
    app = desk_app(database_url, s3)
    service = app.extensions["netra.desk"]
    event = routed("bawaslu-14.03", "14.03", png_bytes(seed=23))
    routed_example = example("case.routed")["payload"]
    event["payload"].update(reporter_named=True, chain=copy.deepcopy(routed_example["chain"]))
    event["payload"]["units"]["copies"] = [{**routed_example["units"]["copies"][0], "unit_id": "bawaslu-14",
                                            "name": "Bawaslu Provinsi Riau", "region_code": "14"}]
    case_arrived(event, service.cases)
    for username, unit in (("rina.bawaslu", "bawaslu-14.03"), ("sari.bawaslu", "bawaslu-14")):
        acc.new_account(service.accounts, service.units, username, unit, "petugas", PASSWORD)
    app.case_id = event["payload"]["case_id"]
    return app


def ask_both_ways(app, browser, reason=REASON):
    """The officer asks on the case page and through the API: (the page after asking, the API's answer)."""
    case_page = browser.get(f"/desk/kasus/{app.case_id}")
    form = {"csrf_token": token(case_page), "reason": reason, "legal_basis": "uu7-2017-pasal-454"}
    page = browser.post(f"/desk/kasus/{app.case_id}/identitas", data=form)
    answer = browser.client.post(f"/desk/api/v1/cases/{app.case_id}/identity-requests",
                                 headers={"X-CSRFToken": token(case_page)},
                                 json={"reason": reason, "legal_basis": "uu7-2017-pasal-454"})
    return page, answer


def requests_of(app) -> list[tuple[str, str]]:
    with app.extensions["netra.desk"].cases.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(disclosure_requests.c.unit_id, disclosure_requests.c.state))]


def test_only_the_body_owning_the_current_step_may_ask_and_the_others_are_told_why(chained):
    copied = FlaskBrowser(chained.test_client())
    login(copied, "/desk", "sari.bawaslu", PASSWORD)
    assert rules.ONLY_READS in copied.get(f"/desk/kasus/{chained.case_id}").text
    page, answer = ask_both_ways(chained, copied)
    assert page.status_code == 200 and rules.ONLY_READS in page.text
    assert answer.status_code == 409 and answer.json["detail"] == rules.ONLY_READS
    assert requests_of(chained) == []

    owner = FlaskBrowser(chained.test_client())
    login(owner, "/desk", "rina.bawaslu", PASSWORD)
    answer = owner.client.post(f"/desk/api/v1/cases/{chained.case_id}/identity-requests",
                               headers={"X-CSRFToken": token(owner.get(f"/desk/kasus/{chained.case_id}"))},
                               json={"reason": REASON, "legal_basis": "uu7-2017-pasal-454"})
    assert answer.status_code == 201 and answer.json["state"] == rules.ASKED
    empty = owner.client.post(f"/desk/api/v1/cases/{chained.case_id}/identity-requests",
                              headers={"X-CSRFToken": token(owner.get(f"/desk/kasus/{chained.case_id}"))}, json={})
    assert empty.status_code == 409 and "Alasan wajib diisi" in empty.json["detail"]
    assert requests_of(chained) == [("bawaslu-14.03", rules.ASKED)]

    case_page = owner.get(f"/desk/kasus/{chained.case_id}")
    handed = owner.post(f"/desk/kasus/{chained.case_id}/langkah", data={
        "csrf_token": token(case_page), "summary": "Terbukti memberi dukungan di media sosial.",
        "recommendation": "disiplin_sedang"})
    assert "Langkah selesai" in handed.text
    page, answer = ask_both_ways(chained, owner)
    assert rules.STEP_ENDED in page.text and answer.status_code == 409 and answer.json["detail"] == rules.STEP_ENDED

    step_opened(next_step(chained), chained.extensions["netra.desk"].cases)
    page, answer = ask_both_ways(chained, owner)
    assert rules.STEP_ENDED in page.text and answer.status_code == 409 and answer.json["detail"] == rules.STEP_ENDED
    assert requests_of(chained) == [("bawaslu-14.03", rules.ASKED)]


def test_a_step_handed_on_while_the_officer_typed_refuses_the_request(chained):
    """The check runs again with the case's row locked: a request built before the hand-off is not written."""
    service = chained.extensions["netra.desk"]
    case = service.cases.get(chained.case_id)
    row, problems = rules.new_request(OFFICER, "bawaslu", case, "write", REASON, "uu7-2017-pasal-454",
                                      datetime.now(timezone.utc))
    assert problems == []
    step_opened(next_step(chained), service.cases)
    with pytest.raises(Refused) as refused:
        DisclosureStore(service.cases.engine).ask(row, lambda locked, granted: rules.may_ask(
            OFFICER, "bawaslu", locked, access_to(OFFICER, granted)))
    assert refused.value.reasons == [rules.STEP_ENDED] and requests_of(chained) == []


def next_step(app) -> dict:
    """case.step_opened for the Kanreg's step, as routing announces it after the Bawaslu handed the case on."""
    event = copy.deepcopy(example("case.step_opened"))
    chain = example("case.routed")["payload"]["chain"]
    event["event_id"] = str(uuid.uuid4())
    event["payload"].update(case_id=app.case_id)
    event["payload"]["step"] = {**chain["steps"][1], "deadline": None}
    event["payload"]["previous"] = {**chain["steps"][0], "outcome": {"kind": "rekomendasi",
                                                                    "recommendation": "disiplin_sedang"}}
    return event
