"""The loop closes: a citizen files a complaint over HTTP, the right unit logs in to the desk (TOTP computed
here), works the case to sanksi_dijatuhkan, and the citizen's status follows. Outside an election (no
calendar here) a Bengkalis complaint goes to BKN's Kantor Regional XII (Riau), a Gunung Mas one to Kantor
Regional VIII (Kalimantan Tengah); neither office sees the other's cases. Accounts are made with the desk's CLI, as an office would."""
import json
import subprocess
import time

import pytest
import requests

from tests.support.complaints import REPORTER_SECRETS, complaint, png_bytes
from tests.support.desk import login, token
from tests.support.system import VENV_BIN

PASSWORD = "kata-sandi-yang-panjang"
OFFICERS = {"petugas.kanreg12": ("bkn-kanreg-12", "petugas"), "kepala.kanreg12": ("bkn-kanreg-12", "kepala"),
            "petugas.kanreg8": ("bkn-kanreg-8", "petugas"), "petugas.riau": ("bkd-14", "petugas")}


def cli(system, *args, password=PASSWORD):
    env = {**system.env, "NETRA_DATABASE_URL": system.database_urls["desk"]}
    return subprocess.run([str(VENV_BIN / "python"), "-m", "services.desk.cli", *args], env=env, input=password + "\n",
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def officers(system):
    for username, (unit, role) in OFFICERS.items():
        made = cli(system, "create-account", "--unit", unit, "--role", role, "--username", username)
        assert made.returncode == 0, made.stderr
    refused = cli(system, "create-admin", "--unit", "bkpsdm-99.99", "--username", "x")
    assert refused.returncode == 1 and "tidak ada dalam direktori" in refused.stderr
    return {name: None for name in OFFICERS}


def file_complaint(system, region_code):
    answer = requests.post(f"{system.api}/complaints", data={"complaint": json.dumps(complaint(region_code))},
                           files=[("evidence", ("bukti.png", png_bytes(int(time.time()) % 200), "image/png"))],
                           timeout=30)
    assert answer.status_code == 202, answer.text
    return answer.json()


def desk_session(system, officers, username):
    session = requests.Session()
    officers[username] = login(session, system.desk, username, PASSWORD, officers[username])
    return session


def wait_for_case(system, session, tracking_code, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c for c in session.get(f"{system.desk}/api/v1/cases", timeout=5).json()
                 if c["tracking_code"] == tracking_code]
        if found:
            return found[0]
        time.sleep(0.5)
    raise AssertionError(f"{tracking_code} never reached the desk")


def move(system, session, case_id, status, public_note=None, **details):
    answer = try_move(system, session, case_id, status, public_note, **details)
    assert answer.status_code == 201, answer.text
    return answer.json()


def try_move(system, session, case_id, status, public_note=None, **details):
    csrf = token(session.get(f"{system.desk}/kasus/{case_id}", timeout=5))
    return session.post(f"{system.desk}/api/v1/cases/{case_id}/moves", headers={"X-CSRFToken": csrf},
                        json={"status": status, "file_note": f"Catatan internal oleh petugas: {status}",
                              "public_note": public_note, **details}, timeout=10)


def public_timeline(filed):
    return requests.get(filed["status_url"], headers={"X-Receipt": filed["receipt"]}, timeout=5).json()


def wait_for_public_status(filed, status, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        timeline = public_timeline(filed)
        if timeline["status"] == status:
            return timeline
        time.sleep(0.3)
    raise AssertionError(f"the citizen never saw {status}: {timeline}")


def test_the_unit_works_the_case_and_the_citizen_sees_each_move(system, officers):
    """The case is in the Kanreg's step of its chain: the sanction is the PPK step's to record, not a status."""
    filed = file_complaint(system, "14.03")
    officer = desk_session(system, officers, "petugas.kanreg12")
    case = wait_for_case(system, officer, filed["tracking_code"])
    assert case["unit_id"] == "bkn-kanreg-12" and case["status"] == "diterima"
    page = officer.get(f"{system.desk}/kasus/{case['case_id']}").text
    assert not any(secret in page for secret in REPORTER_SECRETS)
    move(system, officer, case["case_id"], "diverifikasi", "Laporan telah diverifikasi.")
    move(system, officer, case["case_id"], "dalam_pemeriksaan")
    move(system, officer, case["case_id"], "direkomendasikan", "BKN menerbitkan rekomendasi.")
    refused = try_move(system, officer, case["case_id"], "sanksi_dijatuhkan", decree_number="800/123/BKPSDM/2026",
                       decree_date="2026-11-20", sanction_kind="disiplin_sedang")
    assert refused.status_code == 409 and "dicatat oleh PPK" in refused.json()["detail"]
    started = time.monotonic()
    move(system, officer, case["case_id"], "tidak_terbukti", "Pemeriksaan lanjutan: pelanggaran tidak terbukti.")
    timeline = wait_for_public_status(filed, "tidak_terbukti")
    print(f"\nmeasured: desk move to the citizen's timeline in {time.monotonic() - started:.2f}s")
    statuses = [entry["status"] for entry in timeline["timeline"]]
    assert statuses[-4:] == ["diverifikasi", "dalam_pemeriksaan", "direkomendasikan", "tidak_terbukti"]
    assert timeline["timeline"][-1]["detail"] == "Pemeriksaan lanjutan: pelanggaran tidak terbukti."
    assert timeline["timeline"][-1]["label"] == "Tidak terbukti" == timeline["status_label"]
    assert "petugas.kanreg12" not in json.dumps(timeline) and "Catatan internal" not in json.dumps(timeline)
    head = desk_session(system, officers, "kepala.kanreg12")
    refused = head.get(f"{system.desk}/kasus/{case['case_id']}")
    assert "Selesai" in refused.text  # the head may close it; the officer was never offered that move


def test_the_riau_kanreg_cannot_see_a_gunung_mas_case(system, officers):
    filed = file_complaint(system, "62.10")
    gunung_mas = desk_session(system, officers, "petugas.kanreg8")
    case = wait_for_case(system, gunung_mas, filed["tracking_code"])
    assert case["unit_id"] == "bkn-kanreg-8"
    riau = desk_session(system, officers, "petugas.kanreg12")
    assert riau.get(f"{system.desk}/kasus/{case['case_id']}").status_code == 404
    assert riau.get(f"{system.desk}/api/v1/cases/{case['case_id']}").status_code == 404
    assert riau.get(f"{system.desk}/kasus/{case['case_id']}/bukti/0").status_code == 404
    listed = [c["tracking_code"] for c in riau.get(f"{system.desk}/api/v1/cases").json()]
    assert filed["tracking_code"] not in listed


def test_a_transfer_reaches_the_new_unit_by_mail_and_desk_and_the_old_unit_keeps_reading(system, officers,
                                                                                        mailbox):
    """A provincial teacher's case: the Kanreg passes it on to the province's BKD, routing re-routes it, notify
    mails the BKD, whose officers then work it; the Kanreg keeps read access to its history."""
    filed = file_complaint(system, "14.03")
    officer = desk_session(system, officers, "petugas.kanreg12")
    case = wait_for_case(system, officer, filed["tracking_code"])
    page = officer.get(f"{system.desk}/kasus/{case['case_id']}")
    officer.post(f"{system.desk}/kasus/{case['case_id']}/pengalihan",
                 data={"csrf_token": token(page), "to_unit_id": "bkd-14",
                       "reason": "Terlapor guru SMA negeri: pegawai pemerintah provinsi, pembinaannya pada BKD Provinsi Riau."})
    head = desk_session(system, officers, "kepala.kanreg12")
    page = head.get(f"{system.desk}/kasus/{case['case_id']}")
    approved = head.post(f"{system.desk}/kasus/{case['case_id']}/pengalihan/setujui",
                         data={"csrf_token": token(page)})
    assert "Pengalihan disetujui" in approved.text, approved.text[:2000]

    province_address = "bkd-14@unit.netra.invalid"
    mailbox.wait_for(filed["tracking_code"], timeout=90, to=province_address)
    province = desk_session(system, officers, "petugas.riau")
    moved = wait_for_case(system, province, filed["tracking_code"])
    assert moved["case_id"] == case["case_id"] and moved["unit_id"] == "bkd-14"
    move(system, province, moved["case_id"], "diverifikasi", "Diverifikasi oleh BKD Provinsi Riau.")
    wait_for_public_status(filed, "diverifikasi")
    # The reporter's mail about the verification left notify after the transfer's case mail: by then a second
    # case mail to the province would have arrived too.
    reporter = REPORTER_SECRETS[1]
    mailbox.wait_for(filed["tracking_code"], count=3, timeout=90, to=reporter)  # receipt, transfer, verification
    to_province = mailbox.matching(filed["tracking_code"], to=province_address)
    assert len(to_province) == 1, "the new unit gets exactly one case mail"

    history = officer.get(f"{system.desk}/kasus/{case['case_id']}")
    assert history.status_code == 200 and "Provinsi Riau" in history.text, "the old unit still reads the case"
    refused = officer.post(f"{system.desk}/api/v1/cases/{case['case_id']}/moves",
                           headers={"X-CSRFToken": token(history)},
                           json={"status": "dalam_pemeriksaan", "file_note": "tidak boleh"}, timeout=10)
    assert refused.status_code == 409 and "hanya dapat membaca" in refused.text, "and can no longer act on it"
