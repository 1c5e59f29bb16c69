"""Monitoring teams against real PostgreSQL and MinIO: keys made by the CLI, a batch of 30, re-upload, revocation."""
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.common.storage import EVIDENCE_BUCKET
from services.intake.app import create_app
from services.intake.teams.manifest import COLUMNS
from services.intake.settings import IntakeSettings
from services.intake.tables import complaints, outbox, sealed_identities, team_keys
from tests.support.complaints import png_bytes
from tests.support.migrated import migrated_database

ROOT = Path(__file__).resolve().parents[2]
NTB = "Tim Pemantau Netralitas ASN NTB"

database_url = migrated_database("intake")  # services never create their tables


def cli(database_url, *args) -> str:
    done = subprocess.run([sys.executable, "-m", "services.intake.teams.team_cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "NETRA_DATABASE_URL": database_url})
    assert done.returncode == 0, done.stderr
    return done.stdout


def new_key(database_url, team, region="52") -> tuple[str, str]:
    lines = cli(database_url, "create", "--team", team, "--region", region).splitlines()
    return lines[0].split()[1], lines[-1]


@pytest.fixture
def app(database_url):
    return create_app(IntakeSettings(database_url=database_url))


def count(app, table) -> int:
    with app.extensions["netra.intake"].repository.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def item(n: int, **changes) -> dict:
    values = {"external_id": f"NTB-2026-{n:04d}", "subject_name": f"ASN Nomor {n}",
              "subject_nip": f"1989051420140310{n % 100:02d}", "subject_position": "Kepala Seksi",
              "subject_agency": "Dinas Kependudukan dan Pencatatan Sipil Kota Mataram",
              "employer_level": "kabupaten_kota", "region_code": "52.71", "category": "unggah_dukungan",
              "platform": "facebook", "post_urls": f"https://www.facebook.com/asn{n}/posts/{n}",
              "occurred_on": "2026-11-02", "location": "Mataram",
              "description": "Membagikan unggahan kampanye pasangan calon wali kota dengan komentar dukungan.",
              "screenshots": f"ntb-{n:04d}.png" if n % 3 else ""}
    return {**values, **changes}


def batch_of_thirty() -> tuple[bytes, list]:
    """27 valid items, 2 invalid (NIP, region), and item 1 again."""
    rows = [item(n) for n in range(1, 28)]
    rows += [item(28, subject_nip="12345"), item(29, region_code="99.99", category="tidak_ada"), item(1)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    shots = [(f"ntb-{n:04d}.png", png_bytes(n)) for n in range(1, 30) if n % 3]
    return out.getvalue().encode(), shots


def upload(app, token, manifest, shots):
    data = {"manifest": (io.BytesIO(manifest), "temuan.csv"), "files": [(io.BytesIO(b), n) for n, b in shots]}
    return app.test_client().post("/api/v1/batches", data=data, content_type="multipart/form-data",
                                  headers={"Authorization": f"Bearer {token}"})


def test_a_batch_of_thirty_files_27_refuses_2_and_a_reupload_files_nothing(app, database_url, s3):
    key_id, token = new_key(database_url, NTB)
    manifest, shots = batch_of_thirty()
    answer = upload(app, token, manifest, shots)
    assert answer.status_code == 200, answer.json
    result = answer.json
    assert (result["accepted"], result["duplicate"], result["refused"]) == (27, 1, 2)
    refused = {i["external_id"]: i["errors"] for i in result["items"] if i["status"] == "refused"}
    assert refused == {"NTB-2026-0028": {"subject_nip": ["NIP must be exactly 18 digits."]},
                       "NTB-2026-0029": {"region_code": [refused["NTB-2026-0029"]["region_code"][0]],
                                         "category": [refused["NTB-2026-0029"]["category"][0]]}}
    assert "Unknown region code" in refused["NTB-2026-0029"]["region_code"][0]
    assert result["items"][-1]["tracking_code"] == result["items"][0]["tracking_code"]
    assert count(app, complaints) == 27 and count(app, outbox) == 27 and count(app, sealed_identities) == 0

    with app.extensions["netra.intake"].repository.engine.connect() as conn:
        events = [json.loads(body) for body in conn.execute(select(outbox.c.body)).scalars()]
        digests = list(conn.execute(select(team_keys.c.token_sha256)).scalars())
    assert {e["event_type"] for e in events} == {"complaint.submitted"}
    assert all(e["payload"]["source"]["kind"] == "team" and e["payload"]["source"]["team_name"] == NTB
               and e["payload"]["reporter_contact"] is None for e in events)
    assert token not in digests and len(digests) == 1
    with_shot = next(e["payload"] for e in events if e["payload"]["evidence"])
    stored = s3.get_object(EVIDENCE_BUCKET, with_shot["evidence"][0]["key"]).read()
    assert stored in [b for _, b in shots]

    again = upload(app, token, manifest, shots).json
    assert (again["accepted"], again["duplicate"], again["refused"]) == (0, 28, 2)
    assert count(app, complaints) == 27 and count(app, outbox) == 27
    auth = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get(f"/api/v1/batches/{result['batch_id']}", headers=auth).json == result
    own = app.test_client().get("/api/v1/team/complaints?limit=500", headers=auth).json
    assert sorted(f["external_id"] for f in own) == [f"NTB-2026-{n:04d}" for n in range(1, 28)]
    assert {f["status"] for f in own} == {"received"}


def test_another_team_cannot_read_the_first_teams_submissions(app, database_url):
    _, ntb = new_key(database_url, NTB)
    _, dki = new_key(database_url, "Kesbangpol DKI Jakarta", "31")
    manifest, shots = batch_of_thirty()
    batch_id = upload(app, ntb, manifest, shots).json["batch_id"]
    client = app.test_client()
    other = client.get(f"/api/v1/batches/{batch_id}", headers={"Authorization": f"Bearer {dki}"})
    assert other.status_code == 404 and other.mimetype == "application/problem+json"
    assert client.get("/api/v1/team/complaints", headers={"Authorization": f"Bearer {dki}"}).json == []
    same_ids = upload(app, dki, manifest, shots).json  # the same external ids are another team's own
    assert same_ids["accepted"] == 27 and count(app, complaints) == 54


def test_a_revoked_key_is_refused_at_once_and_listed_as_revoked(app, database_url):
    key_id, token = new_key(database_url, NTB)
    auth = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/team/complaints", headers=auth).status_code == 200
    assert f"Kunci {key_id} dicabut" in cli(database_url, "revoke", key_id)
    refused = app.test_client().get("/api/v1/team/complaints", headers=auth)
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    manifest, shots = batch_of_thirty()
    assert upload(app, token, manifest, shots).status_code == 401 and count(app, complaints) == 0
    listed = cli(database_url, "list")
    assert key_id in listed and NTB in listed and "dicabut" in listed and token not in listed
