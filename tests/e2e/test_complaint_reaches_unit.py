"""A citizen's complaint, through HTTP only, to the right unit's mailbox, with the evidence locked in MinIO."""
import hashlib
import io
import json
import re
import time
import uuid
import zlib
from email.header import decode_header, make_header

import pytest
from minio.error import S3Error
from PIL import Image, ImageDraw

from services.routing.numbering import region_digits
from services.common.storage import EVIDENCE_BUCKET
from tests.support.complaints import REPORTER_SECRETS, bkd_email, complaint, png_bytes, submit, wait_for_status
from tests.support.servers import body_text
from tests.support.waiting import wait_until

REGIONS = {  # region, employer level
    "Kabupaten Bengkalis": ("14.03", "kabupaten_kota"),
    "Provinsi Kepulauan Bangka Belitung": ("19", "provinsi"),
    "Provinsi Nusa Tenggara Barat": ("52", "provinsi"),
    "DKI Jakarta": ("31", "provinsi"),
    "Kabupaten Gunung Mas": ("62.10", "kabupaten_kota"),
}


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
    mails = [m for m in mailbox.wait_for(receipt["tracking_code"], count=2, timeout=90)
             if unit_address in m["X-Netra-Rcpt-To"]]
    assert len(mails) == 1, "exactly one mail to the unit"
    text = mails[0].as_string() + body_text(mails[0])
    for content in ("Budi Santoso", "Kepala Seksi Pelayanan", "Dinas Kependudukan", "simbol dua jari", sha,
                    "hxxps://www[.]facebook[.]com/budi.santoso/posts/123", "/desk/kasus/"):
        assert content in text
    assert "X-Amz" not in text and f"/{EVIDENCE_BUCKET}/" not in text
    number = re.search(r"Nomor kasus\s*:\s*(NTR-(\d{4})-(\d{4})-\d{5})", body_text(mails[0]))
    assert number and number.group(3) == region_digits(region_code), "a case number of the subject's region"
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
    assert f"nomor kasus {number.group(1)}" in json.dumps(timeline["timeline"][2]), "the reporter gets the same number"
    assert not any(secret in json.dumps(timeline) for secret in REPORTER_SECRETS)


def test_reporter_gets_an_acknowledgment_with_the_tracking_code(system, mailbox):
    receipt = submit(system, complaint(), [png_bytes(3)]).json()
    to_reporter = [m for m in mailbox.wait_for(receipt["tracking_code"], count=2, timeout=90)
                   if "siti.pelapor@example.org" in m["X-Netra-Rcpt-To"]]
    assert len(to_reporter) == 1


# Each service's summary line for the complaint: present only once that service has handled it.
SUMMARY_LINES = {"intake": "complaint.accepted", "intake-worker": "event.handled",
                 "evidence": "evidence.archive_done", "routing": "case.routed", "notify": "notify.unit_mail"}


def log_records(system, service: str) -> list[dict]:
    path = system.log_dir / f"{service}.log"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def case_id_of(mail) -> str:
    return mail["Message-ID"].removeprefix("<case-").removesuffix("@netra>")


def test_every_log_line_on_a_complaints_path_carries_its_id_and_no_reporter_data(system, mailbox):
    answer = submit(system, complaint(), [png_bytes(9)]).json()
    unit_mail = next(m for m in mailbox.wait_for(answer["tracking_code"], count=2, timeout=90)
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


GROUPED = "atas perbuatan yang sama"


def post_screenshot(size=(540, 960), seed: str = "") -> bytes:
    image = Image.new("RGB", (540, 960), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 540, 90), fill=(59, 89, 152))
    draw.ellipse((30, 140, 230, 340), fill=(200, 40, 40))
    for row in range(9):
        draw.rectangle((30, 380 + row * 55, 510 - (row * 41) % 180, 405 + row * 55), fill=(25, 25, 25))
    draw.text((260, 200), seed, fill=(250, 250, 250))  # invisible to pHash, changes every byte's hash
    out = io.BytesIO()
    image.resize(size).save(out, "PNG")
    return out.getvalue()


def subject(mail) -> str:
    return " ".join(str(make_header(decode_header(mail["Subject"] or ""))).split())


def unit_mail(mailbox, code):
    """The mail to the case's units (not the reporter's acknowledgment)."""
    def found():
        return next((m for m in mailbox.matching(code)
                     if code in subject(m) and m["Message-ID"].startswith("<case-")), None)
    return wait_until(found, f"the unit mail of {code}", timeout=60, interval=0.3)


def test_the_same_act_reported_three_times_reaches_the_unit_as_one_group(system, mailbox):
    marker = uuid.uuid4().hex[:8]
    post = f"https://www.facebook.com/camat.{marker}/posts/77"
    nip = None

    def report(url, blob, name):
        document = complaint(post_urls=[url])
        document["subject"].update(name=name, nip=nip)
        answer = submit(system, document, [blob])
        assert answer.status_code == 202, answer.text
        return answer.json()["tracking_code"]
    first = report(post, post_screenshot(seed=marker), "Camat Pertama")
    assert GROUPED not in subject(unit_mail(mailbox, first))
    # another citizen, another screenshot of the same post, shared from the mobile app
    second = report(f"https://m.facebook.com/camat.{marker}/posts/77?mibextid=share", post_screenshot(seed=marker + "x"),
                    "Camat Pertama")
    # a third sends the first screenshot resized, with a link to a repost elsewhere
    third = report(f"https://www.instagram.com/p/{marker}/", post_screenshot((360, 640), seed=marker), "Camat Pertama")
    second_mail, third_mail = unit_mail(mailbox, second), unit_mail(mailbox, third)
    assert "(laporan ke-2 atas perbuatan yang sama)" in subject(second_mail)
    assert "alamat unggahan yang sama" in body_text(second_mail) and first in body_text(second_mail)
    assert "(laporan ke-3 atas perbuatan yang sama)" in subject(third_mail)
    assert "tangkapan layar yang hampir sama" in body_text(third_mail) and first in body_text(third_mail)
    assert len({first, second, third}) == 3, "each reporter keeps their own tracking code"
