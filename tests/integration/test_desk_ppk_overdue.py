"""A PPK step past its deadline reaches the Kanreg that recommended beyond the case page, on the real PostgreSQL
and the loopback SMTP mailbox: a marker and a filter in the Kanreg's case list, and one mail per late step
from the escalation job however often it runs."""
import re
from datetime import date

import pytest

from services.common.workdays import add_working_days
from services.desk.accounts import accounts as acc
from services.desk.cases.arrivals import case_arrived
from services.desk.chain.steps import step_opened
from tests.support.complaints import png_bytes
from tests.support.desk import desk_app, escalate, routed, signed_in, token
from tests.support.desk_steps import BKPSDM, CHAIN, KANREG, PASSWORD, opened
from tests.support.migrated import migrated_database
from tests.support.servers import body_text, sentinel

pytestmark = pytest.mark.integration
LATE_DUE, LATER_DUE = "2026-01-05", "2099-12-31"
MARK = '<a class="badge late"'
OFFICER = "kepala@kanreg12.bkn.example.go.id"

database_url = migrated_database("desk")


@pytest.fixture
def desk(database_url, s3):
    """The Kanreg recommended on three cases now at Bengkalis's PPK step: two past the due date, one not."""
    app = desk_app(database_url, s3)
    service = app.extensions["netra.desk"]
    app.cases = []
    for n, due in enumerate((LATE_DUE, LATE_DUE, LATER_DUE)):
        event = routed(KANREG, "14.03", png_bytes(seed=70 + n))
        event["payload"]["chain"] = CHAIN
        case_arrived(event, service.cases)
        code, case_id = event["payload"]["tracking_code"], event["payload"]["case_id"]
        step_opened(opened(code, case_id, due=due), service.cases)
        app.cases.append((code, case_id, event["payload"]))
    for username, unit in (("petugas.kanreg", KANREG), ("petugas.bkpsdm", BKPSDM)):
        acc.new_account(service.accounts, service.units, username, unit, "petugas", PASSWORD)
    service.accounts.add(username="kepala.kanreg", name="Kepala Kanreg", email=OFFICER, unit_id=KANREG,
                         role="kepala", password_hash="x", totp_confirmed=True, disabled=False, failed_logins=0)
    return app


def marked(page, code: str) -> bool:
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{code}(?:(?!</tr>).)*</tr>", page.text, re.S)
    return row is not None and MARK in row.group(0)


def test_the_kanregs_list_marks_and_filters_the_late_ppk_steps_until_the_block_is_recorded(desk):
    kanreg = signed_in(desk, "petugas.kanreg")
    (late, late_id, _), (other, _, _), (waiting, _, _) = desk.cases
    everything = kanreg.get("/desk/")
    assert marked(everything, late) and marked(everything, other) and not marked(everything, waiting)
    filtered = kanreg.get("/desk/?langkah=ppk_lewat")
    assert "2 dari 2 kasus" in filtered.text and waiting not in filtered.text
    assert 'option value="ppk_lewat" selected>PPK lewat tenggat' in filtered.text
    bkpsdm = signed_in(desk, "petugas.bkpsdm")
    assert MARK not in bkpsdm.get("/desk/").text  # the PPK's own list marks nothing: it sees "lewat" on the date
    assert "Tidak ada kasus yang cocok." in bkpsdm.get("/desk/?langkah=ppk_lewat").text

    page = kanreg.get(f"/desk/kasus/{late_id}")
    kanreg.post(f"/desk/kasus/{late_id}/siasn", data={"csrf_token": token(page), "reference": "Blokir 7/2026"})
    after = kanreg.get("/desk/?langkah=ppk_lewat")
    assert "1 dari 1 kasus" in after.text and late not in after.text and marked(after, other)


def test_the_kanreg_is_mailed_once_for_each_late_ppk_step_without_the_reporters_data(desk, database_url, mailbox):
    (late, _, payload), (other, _, _), (waiting, _, _) = desk.cases
    day = add_working_days(date.fromisoformat(LATE_DUE), 3)
    first = escalate(database_url, day)
    assert first.returncode == 0, first.stderr
    assert "2 pemberitahuan PPK lewat tenggat dikirim" in first.stdout, first.stdout
    [mail] = mailbox.wait_for(late, to="bkn-kanreg-12@unit.netra.invalid")
    text = body_text(mail)
    assert OFFICER in mail["To"] and "bkpsdm" not in mail["To"].lower()
    assert "PPK lewat tenggat" in mail["Subject"] and "BKPSDM Kabupaten Bengkalis" in mail["Subject"]
    assert "Blokir data di SIASN" in text and "Senin, 5 Januari 2026" in text
    assert f"/desk/kasus/{desk.cases[0][1]}" in text
    assert payload["violation"]["description"] not in text and "pelapor" not in text.lower()
    again = escalate(database_url, day)
    later = escalate(database_url, add_working_days(day, 1))
    assert "0 pemberitahuan PPK lewat tenggat dikirim" in again.stdout and "2 sudah dikirim" in again.stdout
    assert "0 pemberitahuan PPK lewat tenggat dikirim" in later.stdout, later.stdout
    sentinel(mailbox)
    assert [len(mailbox.matching(f"PPK lewat tenggat: {p['case_number']}")) for _, _, p in desk.cases] == [1, 1, 0]
