"""Driving the desk as an officer would: log in with password and TOTP, read CSRF tokens from pages."""
from __future__ import annotations

import copy
import hashlib
import io
import os
import re
import subprocess
import sys
import time
import uuid

import pikepdf
import pyotp

from services.routing.numbering import Series, region_digits
from tests.support.complaints import png_bytes
from tests.support.contracts import example

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
SECRET = re.compile(r'id="totp-secret">([A-Z2-7]+)<')
PASSWORD = "kata-sandi-yang-panjang"


class FlaskBrowser:
    """A Flask test client with the surface of requests.Session that the helpers use."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kwargs):
        return self.client.get(url, follow_redirects=kwargs.pop("allow_redirects", True), **kwargs)

    def post(self, url, data=None, **kwargs):
        return self.client.post(url, data=data, follow_redirects=kwargs.pop("allow_redirects", True), **kwargs)


def token(page) -> str:
    return TOKEN.search(page.text).group(1)


_USED_STEPS: dict[str, int] = {}


def fresh_code(secret: str) -> str:
    """A code of a 30-second step not used yet: each step's code is accepted only once per account. The desk
    takes the current step's code or a neighbour's (an authenticator's clock drifts), so a second login within
    one step uses the next step's code, as a phone a little ahead would; only a third waits for the step."""
    while (step := max(_USED_STEPS.get(secret, -1) + 1, int(time.time()) // 30)) > int(time.time()) // 30 + 1:
        time.sleep(0.5)
    _USED_STEPS[secret] = step
    return pyotp.TOTP(secret).at(step * 30)


def login(browser, desk: str, username: str, password: str, secret: str | None = None,
          landing: str = "Daftar kasus") -> str:
    """Logs in (enrolling the second factor on a first login); returns the TOTP secret. `landing`: a text of
    the page the login ends on (a custodian's is its queue)."""
    page = browser.get(f"{desk}/masuk")
    page = browser.post(f"{desk}/masuk", data={"csrf_token": token(page), "username": username,
                                               "password": password})
    assert page.status_code == 200, page.text
    enrolling = SECRET.search(page.text)
    secret = enrolling.group(1) if enrolling else secret
    step = "daftar-kode" if enrolling else "kode"
    page = browser.post(f"{desk}/masuk/{step}", data={"csrf_token": token(page), "code": fresh_code(secret)})
    if enrolling:  # the recovery codes, shown once, then on to the cases
        assert 'id="recovery-codes"' in page.text, page.text[:2000]
        page = browser.get(f"{desk}/")
    assert page.status_code == 200 and landing in page.text, page.text[:2000]
    return secret


def signed_in(app, username: str, password: str = PASSWORD) -> FlaskBrowser:
    """A browser on the desk app's test client, logged in as `username` (enrolling its second factor first)."""
    browser = FlaskBrowser(app.test_client())
    login(browser, "/desk", username, password)
    return browser


def routed(unit_id: str, region: str, blob: bytes, category: str | None = None, group_of: dict | None = None) -> dict:
    """A fresh case.routed for `unit_id` (no units in copy) whose one file is `blob`; a group of its own,
    or the group of the case.routed payload `group_of` (a later report of the same act)."""
    event = copy.deepcopy(example("case.routed"))
    payload = event["payload"]
    payload["case_id"], payload["complaint_id"] = str(uuid.uuid4()), str(uuid.uuid4())
    payload["tracking_code"] = "NTR-" + uuid.uuid4().hex[:8].upper()
    payload["case_number"] = Series(region_digits(region), 2026).number(uuid.uuid4().int % 100000)
    payload["units"] = {"primary": {**payload["units"]["primary"], "unit_id": unit_id, "region_code": region},
                        "copies": []}
    payload["subject"]["region_code"] = region
    payload["group"] = {"group_id": payload["case_id"], "lead_case_id": payload["case_id"],
                        "lead_tracking_code": payload["tracking_code"], "size": 1, "matched_on": []}
    if group_of:
        payload["group"] = {**group_of["group"], "size": group_of["group"]["size"] + 1, "matched_on": ["post_url"]}
    if category:
        payload["violation"]["category"] = category
    digest = hashlib.sha256(blob).hexdigest()
    key = f"complaints/{payload['complaint_id']}/sanitised/{digest}.png"
    payload["files"][0]["sanitised"].update(key=key, sha256=digest, size=len(blob))
    event["event_id"] = str(uuid.uuid4())
    return event


def desk_app(database_url: str, s3):
    """The desk app on the real database and object store, as served at http://127.0.0.1:8090, its rate limits off."""
    from services.desk.app import create_app
    from services.desk.settings import DeskSettings

    app = create_app(DeskSettings(database_url=database_url, desk_url="http://127.0.0.1:8090"), store=s3)
    app.config["RATELIMIT_ENABLED"] = False
    return app


def desk_with_a_case(database_url: str, s3, officers: dict[str, str], *, seed: int, unit: str = "bkpsdm-14.03",
                     region: str = "14.03", stored: bool = False, **settings):
    """A desk app on the real database and object store holding one fresh case of `unit`, and the unit's
    officers ({username: role}, password PASSWORD). `stored` puts the case's evidence copy into the bucket
    for pages that open it. The app carries `case` (the case.routed payload) and `account_ids`."""
    from services.desk.accounts import accounts
    from services.desk.app import create_app
    from services.desk.settings import DeskSettings

    blob = png_bytes(seed=seed)
    event = routed(unit, region, blob)
    app = _holding(create_app(DeskSettings(database_url=database_url, **settings), store=s3), s3, event,
                   blob if stored else None)
    service = app.extensions["netra.desk"]
    app.case = event["payload"]
    app.account_ids = {username: accounts.new_account(service.accounts, service.units, username, unit, role, PASSWORD)
                       for username, role in officers.items()}
    return app


def desk_with_a_chain(database_url: str, s3, chain: dict, officers: dict[str, str], *, blob: bytes, region: str,
                      unit_name: str | None = None, stored: bool = False):
    """A desk app holding one fresh case whose chain of steps is `chain`, owned by its first step's unit (named
    `unit_name` when given), and a petugas for each of `officers` ({username: unit_id}, password PASSWORD); the
    rate limits off. `stored` puts the case's evidence copy into the bucket. The app carries `case_id`,
    `complaint_id` and `routed` (the case.routed payload)."""
    from services.desk.accounts import accounts

    event = routed(chain["steps"][0]["unit_id"], region, blob)
    if unit_name:
        event["payload"]["units"]["primary"]["name"] = unit_name
    event["payload"]["chain"] = chain
    app = _holding(desk_app(database_url, s3), s3, event, blob if stored else None)
    service = app.extensions["netra.desk"]
    app.routed = event["payload"]
    app.case_id, app.complaint_id = app.routed["case_id"], app.routed["complaint_id"]
    for username, unit in officers.items():
        accounts.new_account(service.accounts, service.units, username, unit, "petugas", PASSWORD)
    return app


def _holding(app, s3, event: dict, stored_blob: bytes | None):
    """The desk app after `event` (a case.routed) arrived; `stored_blob`, when given, is its evidence copy put
    into the bucket first."""
    from services.common.storage import EVIDENCE_BUCKET, create_bucket_once
    from services.desk.cases.arrivals import case_arrived

    if stored_blob is not None:
        create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
        s3.put_object(EVIDENCE_BUCKET, event["payload"]["files"][0]["sanitised"]["key"], io.BytesIO(stored_blob),
                      len(stored_blob))
    case_arrived(event, app.extensions["netra.desk"].cases)
    return app


def a_pdf() -> bytes:
    """A readable one-page PDF (a decree or a BAP in the PPK's step)."""
    pdf, out = pikepdf.new(), io.BytesIO()
    pdf.add_blank_page()
    pdf.save(out)
    return out.getvalue()


def complete(browser, case_id, form, files=None):
    """Ends the officer's step of the case with `form` (and its PDFs) from the case page's form."""
    page = browser.get(f"/desk/kasus/{case_id}")
    data = {"csrf_token": token(page), **form, **(files or {})}
    return browser.post(f"/desk/kasus/{case_id}/langkah", data=data, content_type="multipart/form-data")


def escalate(database_url, day) -> subprocess.CompletedProcess:
    """The desk's `escalate` command as the scheduler runs it, on `day`, mailing through the loopback SMTP."""
    env = {**os.environ, "NETRA_DATABASE_URL": database_url, "NETRA_SMTP_HOST": "127.0.0.1", "NETRA_SMTP_PORT": "1025",
           "NETRA_DESK_URL": "https://meja.netra.example", "NETRA_MAIL_FROM": "Netra Meja <meja@netra.example>"}
    return subprocess.run([sys.executable, "-m", "services.desk.cli", "escalate", "--date", day.isoformat()],
                          env=env, capture_output=True, text=True, timeout=60)
