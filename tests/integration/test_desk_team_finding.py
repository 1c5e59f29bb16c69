"""The desk's case page says when a monitoring team filed the finding (real PostgreSQL and MinIO)."""
import io


from services.common.storage import EVIDENCE_BUCKET, create_bucket_once
from services.desk.accounts import accounts as acc
from services.desk.cases.arrivals import case_arrived
from tests.support.complaints import png_bytes
from tests.support.desk import desk_app, FlaskBrowser, login, routed
from tests.support.migrated import migrated_database

database_url = migrated_database("desk")  # services never create their tables
PASSWORD = "kata-sandi-yang-panjang"
TEAM = {"kind": "team", "team_id": "team_3fa85f64a1b2", "team_name": "Tim Pemantau Netralitas ASN NTB"}


def test_a_team_finding_is_marked_on_the_case_page_and_a_citizens_is_not(database_url, s3):
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
    app = desk_app(database_url, s3)
    service = app.extensions["netra.desk"]
    pages = {}
    for source in (TEAM, {"kind": "citizen"}):
        blob = png_bytes(seed=40 + len(pages))
        event = routed("bkpsdm-52.71", "52.71", blob)
        event["payload"]["source"] = source
        s3.put_object(EVIDENCE_BUCKET, event["payload"]["files"][0]["sanitised"]["key"], io.BytesIO(blob), len(blob))
        case_arrived(event, service.cases)
        pages[source["kind"]] = event["payload"]["case_id"]
    acc.new_account(service.accounts, service.units, "petugas-52.71", "bkpsdm-52.71", "petugas", PASSWORD)
    browser = FlaskBrowser(app.test_client())
    login(browser, "/desk", "petugas-52.71", PASSWORD)
    team_page = browser.get(f"/desk/kasus/{pages['team']}").text
    citizen_page = browser.get(f"/desk/kasus/{pages['citizen']}").text
    assert "Temuan tim pemantau: Tim Pemantau Netralitas ASN NTB" in team_page
    assert "Temuan tim pemantau" not in citizen_page
