"""A running system with complaints in it is backed up, then restored into fresh servers: a new PostgreSQL
cluster (initdb) and a new MinIO data directory, each on a free port and stopped after. Every database row
(status timelines, cases, deliveries), every evidence version's bytes and retention date are as before.

The shared evidence bucket holds every test's objects (thousands, hundreds of MB), so the backup here
reads only this test's complaints' keys (NETRA_BACKUP_EVIDENCE_PREFIXES); an operator's backup takes the
whole bucket. The restore side writes only to the new servers.
"""
import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
import requests

from services.common.storage import EVIDENCE_BUCKET, make_s3
from services.ops.databases import SERVICES, libpq_url, pg_tool
from tests.support import servers
from tests.support.complaints import complaint, png_bytes
from tests.support.system import ROOT, free_port, start_system

pytestmark = pytest.mark.timeout(300)
ROOT_USER, ROOT_PASSWORD = "restore-admin", "restore-admin-secret"


@pytest.fixture(scope="module")
def system():
    with servers.throwaway(SERVICES) as (vhost, amqp_url, databases):
        env = {**os.environ, "NETRA_AMQP_URL": amqp_url, "NETRA_INTAKE_BIND": f"127.0.0.1:{free_port()}",
               "NETRA_LOG_FORMAT": "json",
               "NETRA_RATE_LIMIT_PER_CLIENT": "10000/minute", "NETRA_RATE_LIMIT_GLOBAL": "10000/minute",
               "NETRA_RATE_LIMIT_DEFAULT": "10000/minute"}
        env["NETRA_PUBLIC_URL"] = f"http://{env['NETRA_INTAKE_BIND']}"
        urls = servers.service_urls(databases)
        running = start_system(env, ROOT / "var" / "log" / f"backup-{vhost}", urls)
        running.database_urls = {name: url for name, (_db, url) in databases.items()}
        try:
            yield running
        finally:
            running.stop_all()


@pytest.fixture
def fresh_postgres(tmp_path):
    """A new PostgreSQL cluster of Debian's binaries, owned by the postgres user (it refuses root)."""
    data = Path(f"/tmp/netra-restore-pg-{free_port()}")
    data.mkdir(mode=0o700)
    shutil.chown(data, "postgres", "postgres")
    port, bin_dir = free_port(), Path(pg_tool("pg_restore")).parent
    as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_postgres, str(bin_dir / "initdb"), "-D", str(data / "db"), "-U", "netra",
                    "--auth=trust"], check=True, capture_output=True)
    subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-w", "-l", str(data / "log"),
                    "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    yield f"postgresql+psycopg://netra@127.0.0.1:{port}"
    subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-m", "immediate", "stop"],
                   capture_output=True)
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def fresh_minio(tmp_path):
    with servers.own_minio(tmp_path / "minio-data", tmp_path / "minio.log", ROOT_USER, ROOT_PASSWORD) as endpoint:
        yield endpoint


def submit(system, count: int) -> list[str]:
    codes = []
    for index in range(count):
        files = [("evidence", (f"bukti{n}.png", png_bytes(index * 3 + n), "image/png")) for n in range(2)]
        answer = requests.post(f"{system.api}/complaints", data={"complaint": json.dumps(complaint())},
                               files=files, timeout=30)
        assert answer.status_code == 202, answer.text
        codes.append(answer.json()["tracking_code"])
    return codes


def settled_rows(urls: dict[str, str], timeout: float = 60) -> dict[str, dict]:
    """Every database's rows once the system has stopped writing: the last mails arrive before notify records
    them and before intake and routing read what became of them, so the rows are read until two readings a
    second apart agree (and every complaint shows its unit as notified)."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        now = {name: rows(url) for name, url in urls.items()}
        statuses = {line for line in now["intake"]["complaints"] if "'unit_notified'" in line}
        if now == last and len(statuses) == len(now["intake"]["complaints"]):
            return now
        last = now
        time.sleep(1)
    raise AssertionError("the system kept writing for a minute after the last mail")


def rows(url: str) -> dict[str, list]:
    """Every row of every table, in a stable order."""
    with psycopg.connect(libpq_url(url)) as conn:
        tables = [name for (name,) in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")]
        return {table: sorted(map(repr, conn.execute(f'SELECT * FROM "{table}"').fetchall())) for table in tables}


def versions(s3, prefixes: list[str]) -> dict[tuple, tuple]:
    """(key, n-th version) -> (sha256 of the bytes, retention mode, retain-until, legal hold)."""
    found = {}
    for prefix in prefixes:
        items = sorted(s3.list_objects(EVIDENCE_BUCKET, prefix=prefix, recursive=True, include_version=True),
                       key=lambda item: (item.object_name, item.last_modified))
        for item in items:
            response = s3.get_object(EVIDENCE_BUCKET, item.object_name, version_id=item.version_id)
            digest = hashlib.sha256(response.read()).hexdigest()
            response.close(), response.release_conn()
            retention = s3.get_object_retention(EVIDENCE_BUCKET, item.object_name, version_id=item.version_id)
            number = sum(1 for key, _n in found if key == item.object_name)
            found[(item.object_name, number)] = (
                digest, retention.mode, retention.retain_until_date,
                s3.is_object_legal_hold_enabled(EVIDENCE_BUCKET, item.object_name, version_id=item.version_id))
    return found


def run(script: str, folder: Path, env: dict) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run([str(ROOT / "deploy" / script), str(folder)], env=env, capture_output=True, text=True,
                          timeout=240)
    return done, time.monotonic() - started


def test_a_backup_restored_into_fresh_servers_holds_everything(system, fresh_postgres, fresh_minio, tmp_path, s3):
    codes = submit(system, 3)
    mailbox = servers.Mailbox()
    for code in codes:
        mailbox.wait_for(code, count=2, timeout=90)  # the units' mail (copies on its Cc), the reporter's receipt
    original_rows = settled_rows(system.database_urls)
    with psycopg.connect(libpq_url(system.database_urls["intake"])) as conn:
        ids = [cid for (cid,) in conn.execute("SELECT complaint_id FROM complaints ORDER BY 1")]
    prefixes = [f"complaints/{cid}/" for cid in ids]
    original_objects = versions(s3, prefixes)
    key_file = tmp_path / "contact-private.key"
    key_file.write_text("not-a-real-key\n")

    backup_env = {**os.environ, "NETRA_BACKUP_EVIDENCE_PREFIXES": ",".join(prefixes),
                  "NETRA_CONTACT_PRIVATE_KEY_FILE": str(key_file),
                  **{f"NETRA_{name.upper()}_DATABASE_URL": url for name, url in system.database_urls.items()}}
    folder = tmp_path / "backup"
    done, backup_s = run("backup.sh", folder, backup_env)
    assert done.returncode == 0, done.stderr
    assert oct((folder / "keys" / "NETRA_CONTACT_PRIVATE_KEY_FILE").stat().st_mode & 0o777) == "0o600"

    new_urls = {name: f"{fresh_postgres}/restored_{name}" for name in SERVICES}
    restore_env = {**os.environ, "NETRA_S3_ENDPOINT": fresh_minio, "NETRA_S3_ROOT_USER": ROOT_USER,
                   "NETRA_S3_ROOT_PASSWORD": ROOT_PASSWORD, "NETRA_RESTORE_KEYS_DIR": str(tmp_path / "keys"),
                   **{f"NETRA_{name.upper()}_DATABASE_URL": url for name, url in new_urls.items()}}
    damaged = tmp_path / "damaged"
    shutil.copytree(folder, damaged)
    dump = damaged / "databases" / "routing.dump"
    changed = bytearray(dump.read_bytes())
    changed[len(changed) // 2] ^= 0xFF  # one byte of one file
    dump.write_bytes(bytes(changed))
    refused, _ = run("restore.sh", damaged, restore_env)
    assert refused.returncode == 1 and "databases/routing.dump: checksum differs" in refused.stderr
    new_s3 = make_s3(fresh_minio, ROOT_USER, ROOT_PASSWORD, "us-east-1")
    assert not new_s3.bucket_exists(EVIDENCE_BUCKET), "a damaged backup restores nothing"

    done, restore_s = run("restore.sh", folder, restore_env)
    assert done.returncode == 0, done.stderr
    restored_rows = {name: rows(url) for name, url in new_urls.items()}
    assert restored_rows == original_rows
    assert len(restored_rows["intake"]["timeline"]) >= 3 * 2 and len(restored_rows["routing"]["cases"]) == 3
    restored_objects = versions(new_s3, prefixes)
    assert restored_objects == original_objects and len(original_objects) >= 3 * 3
    assert (tmp_path / "keys" / "NETRA_CONTACT_PRIVATE_KEY_FILE").read_text() == "not-a-real-key\n"
    size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    print(json.dumps({"backup_s": round(backup_s, 1), "restore_s": round(restore_s, 1), "backup_bytes": size,
                      "versions": len(original_objects),
                      "rows": {name: sum(map(len, tables.values())) for name, tables in original_rows.items()}}))
