"""The custodian's tool on real PostgreSQL: opening is recorded, the record cannot be changed, keys rotate."""
import io
import json
import subprocess
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from services.common.sealing import new_key_pair
from services.intake.identity import custodian
from services.intake.app import create_app
from services.intake.complaints.repository import CustodianRepository
from services.intake.settings import IntakeSettings
from tests.support.complaints import complaint
from tests.support.migrated import migrated_database


database_url = migrated_database("intake")  # services never create their tables


def submit(database_url, public_key, document=None) -> str:
    settings = IntakeSettings(database_url=database_url, identity_public_key=public_key, rate_limits_enabled=False)
    answer = create_app(settings).test_client().post("/api/v1/complaints", json=document or complaint())
    assert answer.status_code == 202, answer.json
    return answer.json["tracking_code"]


def run(engine, *argv) -> tuple[int, str]:
    out = io.StringIO()
    return custodian.main(list(argv), out=out, repository=CustodianRepository(engine)), out.getvalue()


def test_keygen_prints_a_pair_that_seals_and_opens():
    done = subprocess.run([sys.executable, "-m", "services.intake.identity.custodian", "keygen"], capture_output=True,
                          text=True, check=True)
    public = done.stdout.split("NETRA_IDENTITY_PUBLIC_KEY for intake): ")[1].split()[0]
    private = done.stdout.split("key file): ")[1].split()[0]
    assert len(public) == len(private) == 44 and public != private


def test_open_shows_the_identity_and_the_log_records_who_when_and_why(database_url, engine, tmp_path):
    public, private = new_key_pair()
    code = submit(database_url, public)
    keys = tmp_path / "identity.keys"
    keys.write_text(f"# kunci kustodian\n{private}\n")
    status, shown = run(engine, "open", code, "--who", "Rina (Inspektorat)", "--reason", "Klarifikasi 12/2026",
                        "--key-file", str(keys))
    assert status == 0 and json.loads(shown)["email"] == "siti.pelapor@example.org"
    status, log = run(engine, "log")
    assert status == 0 and code in log and "Rina (Inspektorat)" in log and "Klarifikasi 12/2026" in log
    assert "opened" in log and "siti" not in log.lower()


def test_an_anonymous_complaint_has_nothing_to_open_and_the_attempt_is_still_logged(database_url, engine, tmp_path):
    public, private = new_key_pair()
    document = complaint()
    document["reporter"]["anonymous"] = True
    code = submit(database_url, public, document)
    (tmp_path / "k").write_text(private)
    status, shown = run(engine, "open", code, "--who", "Rina", "--reason", "uji", "--key-file", str(tmp_path / "k"))
    assert status == 1 and "no identity" in shown
    assert "no_identity" in run(engine, "log")[1]


def test_the_access_log_refuses_update_delete_and_truncate(database_url, engine, tmp_path):
    public, private = new_key_pair()
    code = submit(database_url, public)
    (tmp_path / "k").write_text(private)
    run(engine, "open", code, "--who", "Rina", "--reason", "uji", "--key-file", str(tmp_path / "k"))
    for statement in ("UPDATE identity_access_log SET who = 'orang lain'", "DELETE FROM identity_access_log",
                      "TRUNCATE identity_access_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with engine.begin() as conn:
                conn.execute(text(statement))
    assert "Rina" in run(engine, "log")[1]


def test_identities_sealed_under_the_old_and_the_new_key_both_open_with_a_file_holding_both(
        database_url, engine, tmp_path):
    old_public, old_private = new_key_pair()
    new_public, new_private = new_key_pair()
    before, after = submit(database_url, old_public), submit(database_url, new_public)
    (tmp_path / "new-only").write_text(new_private)
    (tmp_path / "both").write_text(f"{new_private}\n{old_private}\n")
    assert run(engine, "open", before, "--who", "R", "--reason", "x", "--key-file", str(tmp_path / "new-only"))[0] == 1
    for code in (before, after):
        status, shown = run(engine, "open", code, "--who", "R", "--reason", "x", "--key-file", str(tmp_path / "both"))
        assert status == 0 and json.loads(shown)["name"] == "Siti Rahmawati"
    assert "key_missing" in run(engine, "log")[1]
