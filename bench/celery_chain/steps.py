"""The chain's work as plain functions, each taking its clients: stage, archive, route, notify."""
from __future__ import annotations

import hashlib
import io
import json
import smtplib
from email.message import EmailMessage

from minio import Minio
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from .config import EVIDENCE_BUCKET, STAGING_BUCKET, complaints

# A small routing table: the province's civil-service board (BKD) by the first part of the region code.
UNITS = {
    "14": "bkd@riau.example.go.id", "19": "bkd@babel.example.go.id", "31": "bkd@jakarta.example.go.id",
    "52": "bkd@ntb.example.go.id", "62": "bkd@kalteng.example.go.id",
}
FALLBACK_UNIT = "pengaduan@bkn.example.go.id"


def stage(s3: Minio, engine: Engine, complaint_id: str, tracking_code: str, document: dict,
          uploads: list[tuple[str, bytes]], folder: str | None = None) -> None:
    """The uploads into the staging bucket, then the row: what the web request does before answering 202.
    `folder` (default: the complaint id) is where its objects go, in both buckets."""
    staged = []
    for index, (content_type, blob) in enumerate(uploads):
        key = f"{folder or complaint_id}/{index}"
        s3.put_object(STAGING_BUCKET, key, io.BytesIO(blob), len(blob), content_type=content_type)
        staged.append({"key": key, "content_type": content_type})
    region_code = document["subject"]["region_code"]
    with engine.begin() as conn:
        conn.execute(insert(complaints).values(id=complaint_id, tracking_code=tracking_code, region_code=region_code,
                                               document=json.dumps(document), staged=json.dumps(staged)))


def archive(s3: Minio, engine: Engine, complaint_id: str) -> None:
    """Each staged file copied to the evidence bucket under its SHA-256."""
    row = _row(engine, complaint_id)
    evidence = []
    for item in json.loads(row.staged):
        answer = s3.get_object(STAGING_BUCKET, item["key"])
        try:
            blob = answer.read()
        finally:
            answer.close()
            answer.release_conn()
        sha = hashlib.sha256(blob).hexdigest()
        folder = item["key"].rsplit("/", 1)[0]
        s3.put_object(EVIDENCE_BUCKET, f"{folder}/{sha}", io.BytesIO(blob), len(blob),
                      content_type=item["content_type"])
        evidence.append({"sha256": sha, "size": len(blob)})
    _set(engine, complaint_id, evidence=json.dumps(evidence))


def route(engine: Engine, complaint_id: str) -> None:
    region_code = _row(engine, complaint_id).region_code
    _set(engine, complaint_id, unit_email=UNITS.get(region_code.split(".")[0], FALLBACK_UNIT))


def notify(engine: Engine, smtp_host: str, smtp_port: int, mail_from: str, complaint_id: str) -> None:
    row = _row(engine, complaint_id)
    with smtplib.SMTP(smtp_host, smtp_port, timeout=30) as smtp:
        smtp.send_message(case_mail(row, mail_from))
    _set(engine, complaint_id, notified_at=_now())


def case_mail(row, mail_from: str) -> EmailMessage:
    document = json.loads(row.document)
    evidence = json.loads(row.evidence or "[]")
    message = EmailMessage()
    message["Subject"] = f"[bench-chain] Pengaduan netralitas ASN {row.tracking_code}"
    message["From"] = mail_from
    message["To"] = row.unit_email
    message["Message-ID"] = f"<chain-{row.id}@bench>"
    lines = [f"Kode pelacakan: {row.tracking_code}", f"Terlapor: {document['subject']['name']}",
             f"Uraian: {document['violation']['description']}"]
    lines += [f"Bukti {i + 1}: sha256 {item['sha256']} ({item['size']} bytes)" for i, item in enumerate(evidence)]
    message.set_content("\n".join(lines))
    return message


def _row(engine: Engine, complaint_id: str):
    with engine.connect() as conn:
        return conn.execute(select(complaints).where(complaints.c.id == complaint_id)).one()


def _set(engine: Engine, complaint_id: str, **values) -> None:
    with engine.begin() as conn:
        conn.execute(update(complaints).where(complaints.c.id == complaint_id).values(**values))


def _now():
    from datetime import datetime, timezone
    return datetime.now(timezone.utc)
