"""Alembic against the real PostgreSQL: an empty database at head is exactly what the code declares; rows
written at the first revision survive every later one; concurrent upgrades end well; services refuse an
unmigrated database and say which command to run."""
import json
import subprocess
import sys
from datetime import date, datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, inspect, select, text

from services.common import migrations
from services.common.db import make_engine
from services.desk.app import create_app as desk_app
from services.desk.settings import DeskSettings
from tests.support.migrated import upgrade_to
from tests.support.system import ROOT

SERVICES = migrations.SERVICES
# Columns a later revision drops on purpose: routing 0003, a status nothing read.
DROPPED_COLUMNS = {("routing", "cases", "status")}


def differences(url: str, service: str) -> list:
    engine = make_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": migrations.version_table(service),
                                                         "compare_type": True})
        found = compare_metadata(context, migrations.metadata_of(service))
    engine.dispose()
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_an_empty_database_at_head_is_what_the_code_declares(service, database_url):
    """Fails after a merge that changed a table without adding a revision: `python -m services.migrate
    SERVICE --revision "..."` writes the missing one."""
    assert migrations.upgrade(service, database_url) == (None, migrations.head(service))
    assert differences(database_url, service) == []
    assert migrations.schema_problem(make_engine(database_url), service) is None


def sample(column, n: int):
    """A value of the column's type; the same for equal column names, so foreign keys find their row."""
    kind = column.type.python_type  # JSON says object
    if kind is str:
        return f"{column.name}-{n}"[:getattr(column.type, "length", None) or 200]
    return {int: n, bool: n % 2 == 0, bytes: b"\x00sealed" + bytes([n]), object: {"n": n, "kata": "ujaran"},
            datetime: datetime(2026, 3, n, 9, 30, tzinfo=timezone.utc), date: date(2026, 3, n)}[kind]


def fill_every_table(conn) -> dict[str, list]:
    """Two rows in every table, parents first; gives back every row as read back."""
    tables = MetaData()
    tables.reflect(conn)
    rows = {}
    for table in tables.sorted_tables:
        if table.name.startswith("alembic_version"):
            continue
        for n in (1, 2):
            conn.execute(table.insert().values({c.name: sample(c, n) for c in table.columns}))
        rows[table.name] = (table, read(conn, table))
    return rows


def read(conn, table, columns=None) -> list:
    query = select(*(columns or table.columns)).order_by(*table.primary_key.columns)
    return [tuple(row) for row in conn.execute(query)]


def kept_values(service: str, table, rows: list) -> tuple[list, list]:
    """The columns of a table written at the first revision that head keeps, and the rows' values in them."""
    columns = list(table.columns)
    kept = [n for n, c in enumerate(columns) if (service, table.name, c.name) not in DROPPED_COLUMNS]
    return [columns[n] for n in kept], [tuple(row[n] for n in kept) for row in rows]


@pytest.mark.parametrize("service", SERVICES)
def test_rows_written_at_the_first_revision_survive_the_upgrade_to_head(service, database_url):
    upgrade_to(service, database_url, migrations.FIRST_REVISION)
    engine = make_engine(database_url)
    with engine.begin() as conn:
        written = fill_every_table(conn)
    assert written and set(written) <= set(migrations.metadata_of(service).tables)  # later revisions add more

    assert migrations.upgrade(service, database_url) == ("0001", migrations.head(service))

    with engine.connect() as conn:
        for name, (table, rows) in written.items():
            columns, values = kept_values(service, table, rows)
            assert read(conn, table, columns) == values, name
    assert differences(database_url, service) == []


def test_intake_2_drops_the_earlier_versions_tables_and_keeps_the_complaints(database_url):
    upgrade_to("intake", database_url, "0001")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        written = fill_every_table(conn)
        conn.execute(text("CREATE TABLE reporters (complaint_id TEXT, identity BYTEA, ip TEXT)"))
        conn.execute(text("INSERT INTO reporters VALUES ('complaint_id-1', '\\x00', '203.0.113.9')"))
    migrations.upgrade("intake", database_url)
    assert "reporters" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert read(conn, written["complaints"][0]) == written["complaints"][1]


def test_a_database_made_before_alembic_is_adopted_at_the_first_revision(database_url):
    """What create_all made at start until now: 0001's tables, no version table. Upgrading keeps it."""
    upgrade_to("desk", database_url, "0001")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        written = fill_every_table(conn)
        conn.execute(text("DROP TABLE alembic_version_desk"))
    assert migrations.upgrade("desk", database_url) == (None, migrations.head("desk"))
    with engine.connect() as conn:
        for name, (table, rows) in written.items():
            assert read(conn, table) == rows, name


def migrate(env: dict, *args: str) -> subprocess.Popen:
    """The migrate command with only `env`: no settings file a local run-local wrote under var/ is read."""
    return subprocess.Popen([sys.executable, "-m", "services.migrate", *args], cwd=ROOT, text=True,
                            env={**env, "NETRA_LOG_FORMAT": "json", "NETRA_SETTINGS_DIR": ""},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_three_upgrades_at_once_end_with_every_database_at_head(database_url, tmp_path):
    """Compose's migrate service, a Kubernetes Job and an operator may run together: the lock makes one
    upgrade each database and the others find the work done. intake and notify share one database here
    (separate version tables); routing is a SQLite file."""
    sqlite = f"sqlite:///{tmp_path}/routing.db"
    env = {"PATH": "/usr/bin:/bin", "NETRA_INTAKE_DATABASE_URL": database_url,
           "NETRA_NOTIFY_DATABASE_URL": database_url, "NETRA_ROUTING_DATABASE_URL": sqlite}
    runs = [migrate(env) for _ in range(3)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    for service, url in (("intake", database_url), ("notify", database_url), ("routing", sqlite)):
        assert migrations.schema_problem(make_engine(url), service) is None
    done = [json.loads(line) for output in outputs for line in output.splitlines() if "migrate.done" in line]
    first = [d["service"] for d in done if d["before"] == "empty"]
    assert (first.count("intake"), first.count("notify")) == (1, 1), done  # the others waited, found it done
    assert len(done) == 9, done


def test_no_database_named_is_a_usage_error_naming_the_variables():
    run = migrate({"PATH": "/usr/bin:/bin"})
    output = run.communicate(timeout=60)[0]
    assert run.returncode == 2
    assert "NETRA_INTAKE_DATABASE_URL" in output and "NETRA_DESK_DATABASE_URL" in output


def test_check_says_what_to_run_and_a_worker_refuses_an_unmigrated_database(database_url):
    env = {"PATH": "/usr/bin:/bin", "NETRA_DATABASE_URL": database_url}
    check = migrate(env, "notify", "--check")
    assert check.communicate(timeout=60)[0].strip().endswith("run `python -m services.migrate notify`")
    assert check.returncode == 1
    worker = subprocess.run([sys.executable, "-m", "services.notify.worker"], cwd=ROOT, text=True, timeout=60,
                            env={**env, "NETRA_LOG_FORMAT": "json"}, capture_output=True)
    assert worker.returncode == 1
    assert "python -m services.migrate notify" in worker.stderr
    assert migrate(env, "notify").wait(timeout=120) == 0
    assert migrate(env, "notify", "--check").wait(timeout=60) == 0


def test_the_desk_is_not_ready_until_migrated_then_serves_without_a_restart(database_url, s3):
    app = desk_app(DeskSettings(database_url=database_url), store=s3)
    client = app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert "run `python -m services.migrate desk`" in ready.get_json()["schema"]
    refused = client.get("/desk/masuk")
    assert refused.status_code == 503 and refused.mimetype == "application/problem+json"

    migrations.upgrade("desk", database_url)
    assert client.get("/readyz").get_json()["schema"] == "ok"
    assert client.get("/desk/masuk").status_code == 200
