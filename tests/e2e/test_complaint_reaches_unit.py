"""A citizen's complaint, through HTTP only, to the right unit's mailbox, with the evidence locked in MinIO."""
import hashlib
import json
import time
import zlib

import pytest
import requests
import yaml
from minio.error import S3Error

from services.routing.settings import DATA as ROUTING_DATA
from services.common.storage import EVIDENCE_BUCKET
from tests.support.complaints import complaint, png_bytes
from tests.support.servers import body_text

REPORTER_SECRETS = ("Siti Rahmawati", "siti.pelapor@example.org", "812 7777 0001")
REGIONS = {  # region, employer level
    "Kabupaten Bengkalis": ("14.03", "kabupaten_kota"),
    "Provinsi Kepulauan Bangka Belitung": ("19", "provinsi"),
    "Provinsi Nusa Tenggara Barat": ("52", "provinsi"),
    "DKI Jakarta": ("31", "provinsi"),
    "Kabupaten Gunung Mas": ("62.10", "kabupaten_kota"),
}


def bkd_email(region_code: str) -> str:
    units = yaml.safe_load(ROUTING_DATA.joinpath("units.yaml").read_text())["units"]
    return next(u["email"] for u in units if u["kind"] == "bkd" and u["region_code"] == region_code)


def submit(system, document, blobs=()):
    files = [("evidence", (f"bukti-{i}.png", blob, "image/png")) for i, blob in enumerate(blobs)]
    return requests.post(f"{system.api}/complaints", data={"complaint": json.dumps(document)},
                         files=files or None, timeout=30)


def wait_for_status(system, answer, status, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        timeline = requests.get(answer["status_url"], headers={"X-Receipt": answer["receipt"]}, timeout=5).json()
        if status in [entry["status"] for entry in timeline["timeline"]]:
            return timeline
        time.sleep(0.3)
    raise AssertionError(f"{answer['tracking_code']} never reached {status}: {timeline}")


def evidence_key(s3, complaint_sha: str) -> str:
    """The archived original with this hash (the unit's mail names hashes, never store links)."""
    for found in s3.list_objects(EVIDENCE_BUCKET, prefix="complaints/", recursive=True):
        if found.object_name.endswith(f"/{complaint_sha}.png"):
            return found.object_name
    raise AssertionError(f"no archived object with SHA-256 {complaint_sha}")


@pytest.mark.parametrize("place", REGIONS, ids=list(REGIONS))
def test_complaint_reaches_the_responsible_unit(place, system, mailbox, s3):
    region_code, level = REGIONS[place]
    shot = png_bytes(zlib.crc32(place.encode()) % 200)  # the same image for a place in every run
    sha = hashlib.sha256(shot).hexdigest()
    answer = submit(system, complaint(region_code=region_code, employer_level=level), [shot])
    assert answer.status_code == 202, answer.text
    receipt = answer.json()
    assert receipt["tracking_code"] and receipt["receipt"]

    unit_address = bkd_email(region_code)
    mails = [m for m in mailbox.wait_for(receipt["tracking_code"], count=3, timeout=90)
             if unit_address in m["X-Netra-Rcpt-To"]]
    assert len(mails) == 1, "exactly one mail to the unit"
    text = mails[0].as_string() + body_text(mails[0])
    for content in ("Budi Santoso", "Kepala Seksi Pelayanan", "Dinas Kependudukan", "simbol dua jari", sha,
                    "hxxps://www[.]facebook[.]com/budi.santoso/posts/123", "/desk/kasus/"):
        assert content in text
    assert "X-Amz" not in text and f"/{EVIDENCE_BUCKET}/" not in text
    for secret in REPORTER_SECRETS:
        assert secret not in text

    key = evidence_key(s3, sha)
    stat = s3.stat_object(EVIDENCE_BUCKET, key)
    assert hashlib.sha256(s3.get_object(EVIDENCE_BUCKET, key).read()).hexdigest() == sha
    with pytest.raises(S3Error):
        s3.remove_object(EVIDENCE_BUCKET, key, version_id=stat.version_id)
    assert s3.stat_object(EVIDENCE_BUCKET, key, version_id=stat.version_id).size == len(shot)

    timeline = wait_for_status(system, receipt, "unit_notified")
    statuses = [entry["status"] for entry in timeline["timeline"]]
    assert statuses[:4] == ["received", "evidence_archived", "routed", "unit_notified"]
    assert not any(secret in json.dumps(timeline) for secret in REPORTER_SECRETS)


def test_reporter_gets_an_acknowledgment_with_the_tracking_code(system, mailbox):
    receipt = submit(system, complaint(), [png_bytes(3)]).json()
    to_reporter = [m for m in mailbox.wait_for(receipt["tracking_code"], count=3, timeout=90)
                   if "siti.pelapor@example.org" in m["X-Netra-Rcpt-To"]]
    assert len(to_reporter) == 1


# Each service's summary line for the complaint: present only once that service has handled it.
SUMMARY_LINES = {"intake": "complaint.accepted", "intake-worker": "event.handled",
                 "evidence": "evidence.archive_done", "routing": "case.routed", "notify": "event.handled"}


def log_records(system, service: str) -> list[dict]:
    path = system.log_dir / f"{service}.log"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def case_id_of(mail) -> str:
    return mail["Message-ID"].removeprefix("<case-").removesuffix("@netra>")


def test_every_log_line_on_a_complaints_path_carries_its_id_and_no_reporter_data(system, mailbox):
    answer = submit(system, complaint(), [png_bytes(9)]).json()
    unit_mail = next(m for m in mailbox.wait_for(answer["tracking_code"], count=3, timeout=90)
                     if m["Message-ID"].startswith("<case-"))
    case_id = case_id_of(unit_mail)
    wait_for_status(system, answer, "unit_notified")
    complaint_id = next(r["correlation_id"] for r in log_records(system, "routing") if r.get("case_id") == case_id)

    def summaries_written() -> bool:
        return all(line in {r["event"] for r in log_records(system, service) if r["correlation_id"] == complaint_id}
                   for service, line in SUMMARY_LINES.items())
    deadline = time.monotonic() + 30
    while not summaries_written():
        assert time.monotonic() < deadline, "a service never logged its summary line for the complaint"
        time.sleep(0.2)

    for service in SUMMARY_LINES:
        for record in log_records(system, service):
            line = json.dumps(record, ensure_ascii=False)
            if complaint_id in line or case_id in line or answer["tracking_code"] in line:
                assert record["correlation_id"] == complaint_id, line
            if "event_id" in record and record["event_id"]:
                assert record["correlation_id"], f"a handled message without its complaint id: {line}"
            assert not any(secret in line for secret in REPORTER_SECRETS), line
