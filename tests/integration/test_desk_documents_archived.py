"""The PPK's documents archived like evidence, on the real PostgreSQL, MinIO and RabbitMQ: the BKPSDM files the
decree and the BAP with its decision; both originals are stored locked under the complaint; the desk's worker
relays case.step_completed, the evidence worker sanitises both and lists them in the complaint's manifest, and
the desk's worker records the copies, which the case page then opens. A redelivered case.step_completed adds
no second manifest entry."""
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from kombu import Connection, Queue, binding
from minio.commonconfig import GOVERNANCE
from minio.retention import Retention
from sqlalchemy import select

from services.common.naming import EVENTS
from services.common.publishers import Publisher, connect
from services.common.storage import EVIDENCE_BUCKET
from services.desk.chain.handoff import documents_of
from services.desk.tables import audit_log, outbox
from services.evidence.repository import EvidenceStore
from tests.support.complaints import png_bytes
from tests.support.contracts import assert_matches_example
from tests.support.desk import PASSWORD, FlaskBrowser, desk_with_a_chain, login, token
from tests.support.documents import PAGE_TEXT, TRACES, office_pdf
from tests.support.migrated import migrated_database
from tests.support.system import ROOT, free_port

pytestmark = pytest.mark.integration
BKPSDM, KANREG = "bkpsdm-14.03", "bkn-kanreg-12"
CHAIN = {"chain_id": "ppk", "steps": [
    {"number": 1, "unit_id": BKPSDM, "name": "BKPSDM Kabupaten Bengkalis", "task": "putusan",
     "outcome": "keputusan", "clock": None, "basis": "PP 94/2021"},
    {"number": 2, "unit_id": KANREG, "name": "Kantor Regional XII BKN Pekanbaru", "task": "pantau",
     "outcome": "hasil_pemantauan", "clock": None, "basis": "Peraturan BKN 1/2023"}]}
DECREE, BAP = office_pdf(), office_pdf("Berita Acara Pemeriksaan Nomor 12")

database_url = migrated_database("desk")


def start(module: str, env: dict, log_path):
    log = open(log_path, "wb")
    return subprocess.Popen([sys.executable, "-m", module], env={**env, "NETRA_HEALTH_BIND": f"127.0.0.1:{free_port()}"},
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


@pytest.fixture
def workers(vhost_url, database_url, tmp_path):
    """The desk's worker (its outbox relay, desk.documents) and the evidence worker, as operators start them."""
    env = {**os.environ, "NETRA_AMQP_URL": vhost_url, "NETRA_DATABASE_URL": database_url}
    subprocess.run([sys.executable, "-m", "services.topology"], env=env, cwd=ROOT, check=True, capture_output=True)
    processes = [start("services.desk.worker", env, tmp_path / "desk-worker.log"),
                 start("services.evidence.worker", env, tmp_path / "evidence-worker.log")]
    yield
    for process in processes:
        process.terminate()
        process.wait(30)


@pytest.fixture
def desk(database_url, s3):
    app = desk_with_a_chain(database_url, s3, CHAIN, {"petugas.bkpsdm": BKPSDM}, blob=png_bytes(seed=21),
                            region="14.03")
    # The complaint's manifest as the evidence service wrote it when the complaint arrived.
    EvidenceStore(s3).put_new(manifest_key(app.complaint_id), json.dumps(
        {"complaint_id": app.complaint_id, "files": [], "rejected": []}).encode(), "application/json",
        _retention())
    return app


def _retention() -> Retention:
    return Retention(GOVERNANCE, datetime.now(timezone.utc) + timedelta(days=1))


def manifest_key(complaint_id: str) -> str:
    return f"complaints/{complaint_id}/manifest.json"


def wait_for(check, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (found := check()):
            return found
        time.sleep(0.2)
    raise AssertionError("not within the timeout")


def listen(vhost_url, event_type):
    connection = Connection(vhost_url)
    queue = Queue(f"test.{uuid.uuid4().hex[:8]}", bindings=[binding(EVENTS, routing_key=event_type)],
                  durable=False, auto_delete=False)
    queue(connection.channel()).declare()
    return connection.SimpleQueue(queue)


def documents(app) -> list[dict]:
    return documents_of(app.extensions["netra.desk"].cases.get(app.case_id)["chain"])


def page_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "opened.pdf"
    path.write_bytes(data)
    return subprocess.run([shutil.which("pdftotext"), str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_the_decree_and_the_bap_are_archived_sanitised_listed_and_opened(desk, workers, s3, vhost_url, tmp_path):
    announced = listen(vhost_url, "document.archived")
    browser = FlaskBrowser(desk.test_client())
    login(browser, "/desk", "petugas.bkpsdm", PASSWORD)
    page = browser.get(f"/desk/kasus/{desk.case_id}")
    assert 'name="bap_pdf"' in page.text
    form = {"csrf_token": token(page), "decree_number": "800/BKPSDM/2026/118", "decree_date": date.today().isoformat(),
            "decision": "teguran_tertulis", "summary": ""}
    twice = browser.post(f"/desk/kasus/{desk.case_id}/langkah", content_type="multipart/form-data", data={
        **form, "decree_pdf": (io.BytesIO(DECREE), "sk.pdf"), "bap_pdf": (io.BytesIO(DECREE), "bap.pdf")})
    assert "berkasnya sama dengan PDF keputusan" in twice.text and documents(desk) == []
    done = browser.post(f"/desk/kasus/{desk.case_id}/langkah", content_type="multipart/form-data", data={
        **form, "decree_pdf": (io.BytesIO(DECREE), "sk.pdf"), "bap_pdf": (io.BytesIO(BAP), "bap.pdf")})
    assert "Langkah selesai" in done.text

    decree, bap = documents(desk)
    assert (decree["kind"], bap["kind"]) == ("decree", "bap")
    for filed, data in ((decree, DECREE), (bap, BAP)):  # the originals, locked as filed, for custody
        assert filed["key"] == f"complaints/{desk.complaint_id}/documents/{hashlib.sha256(data).hexdigest()}.pdf"
        assert s3.get_object(EVIDENCE_BUCKET, filed["key"]).read() == data
        assert s3.get_object_retention(EVIDENCE_BUCKET, filed["key"]).mode == "COMPLIANCE"

    decree, bap = wait_for(lambda: all(d.get("sanitised") for d in documents(desk)) and documents(desk))
    for filed, original in ((decree, DECREE), (bap, BAP)):
        opened = browser.get(f"/desk/kasus/{desk.case_id}/dokumen/{filed['sha256']}")
        assert opened.status_code == 200 and opened.headers["Content-Security-Policy"] == "sandbox"
        assert opened.data != original and hashlib.sha256(opened.data).hexdigest() == filed["sanitised"]["sha256"]
        assert [trace for trace in TRACES if trace.encode() in opened.data] == []
        assert s3.get_object_retention(EVIDENCE_BUCKET, filed["sanitised"]["key"]).mode == "COMPLIANCE"
    assert PAGE_TEXT in page_text(browser.get(f"/desk/kasus/{desk.case_id}/dokumen/{decree['sha256']}").data, tmp_path)
    assert "salinan aman" in browser.get(f"/desk/kasus/{desk.case_id}").text

    listed = json.loads(s3.get_object(EVIDENCE_BUCKET, manifest_key(desk.complaint_id)).read())["documents"]
    assert [(d["kind"], d["step"], d["original"]["sha256"], d["original"]["size"], d["sanitised"]["sha256"])
            for d in listed] == [(f["kind"], 1, f["sha256"], f["size"], f["sanitised"]["sha256"]) for f in (decree, bap)]
    assert "petugas.bkpsdm" not in json.dumps(listed)
    with desk.extensions["netra.desk"].cases.engine.connect() as conn:
        viewed = conn.execute(select(audit_log.c.detail).where(audit_log.c.action == "document.viewed",
                                                               audit_log.c.case_id == desk.case_id)).scalars().all()
        [step_completed] = [json.loads(row.body) for row in conn.execute(
            select(outbox).where(outbox.c.event_type == "case.step_completed"))]
    assert set(viewed) == {decree["sha256"], bap["sha256"]}
    first = [json.loads(announced.get(timeout=60).body) for _ in range(2)]
    for event in first:
        assert_matches_example(event, "document.archived")

    publisher = Publisher(connect(vhost_url))
    publisher.publish(step_completed)  # a redelivery
    again = [json.loads(announced.get(timeout=60).body) for _ in range(2)]  # evidence handled it: the sentinel
    assert sorted(e["event_id"] for e in again) == sorted(e["event_id"] for e in first)
    assert len(json.loads(s3.get_object(EVIDENCE_BUCKET, manifest_key(desk.complaint_id)).read())["documents"]) == 2
    versions = list(s3.list_objects(EVIDENCE_BUCKET, prefix=manifest_key(desk.complaint_id), include_version=True))
    assert len(versions) == 2  # the manifest as first written, and once more with both documents
    publisher.close()
    announced.close()
