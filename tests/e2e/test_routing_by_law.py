"""Routing by today's law, end to end: with an election running in Riau (the operator's calendar), an
anonymous complaint reaches BKN's regional office and never Bawaslu, and a named one reaches Bawaslu with
the statutory deadline and the legal basis cited in the unit's mail."""
import json
from datetime import date, timedelta

import pytest
import requests
import yaml

from services.reference.files import UNITS_FILE
from tests.support.complaints import complaint, png_bytes
from tests.support.servers import body_text

UNITS = {u["id"]: u for u in yaml.safe_load(UNITS_FILE.read_text())["units"]}
KANREG, BAWASLU = UNITS["bkn-kanreg-12"]["email"], UNITS["bawaslu-14.71"]["email"]


@pytest.fixture(scope="module")
def election_system(system, tmp_path_factory):
    """The module's system, its routing restarted with a calendar: a Pilkada in Riau around today."""
    today = date.today()
    calendar = {"elections": [{
        "id": "pilkada-riau-e2e", "kind": "pilkada", "regions": ["14"], "from": (today - timedelta(days=60)).isoformat(),
        "until": (today + timedelta(days=60)).isoformat(), "stages": [], "candidate_heads": []}], "holidays": []}
    path = tmp_path_factory.mktemp("calendar") / "calendar.yaml"
    path.write_text(yaml.safe_dump(calendar))
    system.restart("routing", NETRA_ELECTION_CALENDAR=str(path))
    system.wait_ready()
    return system


def submit(system, document, seed):
    answer = requests.post(f"{system.api}/complaints", files=[("evidence", ("bukti.png", png_bytes(seed), "image/png"))],
                           data={"complaint": json.dumps(document)}, timeout=30)
    assert answer.status_code == 202, answer.text
    return answer.json()["tracking_code"]


def pekanbaru(reporter):
    return {**complaint(region_code="14.71", category="hadir_kampanye"), "reporter": reporter}


def text_of(mail):
    return " ".join((mail.as_string() + body_text(mail)).split())


def test_an_anonymous_election_complaint_reaches_the_kanreg_and_never_bawaslu(election_system, mailbox):
    anonymous = submit(election_system, pekanbaru({"anonymous": True}), 41)
    [case_mail] = mailbox.wait_for(anonymous, count=1, timeout=120)  # the units in copy on its Cc; no ack
    assert case_mail["Message-ID"].startswith("<case-") and KANREG in case_mail["To"]
    text = text_of(case_mail)
    for expected in ("Kantor Regional XII BKN Pekanbaru", "Pemilihan kepala daerah (Pilkada)",
                     "Dugaan tindak pidana pemilihan", "UU 10/2016 Pasal 70 jo. Pasal 189",
                     "laporan tidak dapat diregistrasi oleh Bawaslu"):
        assert expected in text, expected

    # a named complaint after it, as the sentinel: once its mails are out, the anonymous one's are too
    named = submit(election_system, pekanbaru({"name": "Siti Rahmawati", "email": "siti.pelapor@example.org"}), 42)
    named_mails = mailbox.wait_for(named, count=2, timeout=120)  # the case (copies on its Cc), the ack
    to_bawaslu = next(m for m in named_mails if m["Message-ID"].startswith("<case-"))
    assert BAWASLU in to_bawaslu["X-Netra-Rcpt-To"]
    text = text_of(to_bawaslu)
    assert "Batas penyampaian laporan ke Bawaslu (7 hari sejak diketahui)" in text
    assert "Perpu 1/2014 Pasal 134 ayat (4)" in text and "Siti" not in text
    anonymous_mails = mailbox.matching(anonymous)
    assert len(anonymous_mails) == 1
    assert not [m for m in anonymous_mails if BAWASLU in m["X-Netra-Rcpt-To"] or "bawaslu" in m["X-Netra-Rcpt-To"]]
