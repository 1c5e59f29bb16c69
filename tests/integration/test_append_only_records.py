"""Records the application cannot rewrite: signed in as the services' PostgreSQL role, the desk's audit log and
intake's identity access log can be added to and read, and every way of changing them is refused by
PostgreSQL's privileges (services/common/grants.py), not only by their triggers.

The database belongs to an owner role that is no superuser; `python -m services.migrate` signs in as that
owner with NETRA_DATABASE_SERVICE_ROLE naming the services' role, as compose, Kubernetes and the local run do.
"""
import psycopg
import pytest

from services.migrate.__main__ import main as migrate
from tests.support import servers

APPEND_ONLY = {
    "desk": ("audit_log", "INSERT INTO audit_log (actor, unit_id, action, detail) "
                          "VALUES ('admin.bkd', 'bkd-riau', 'login', 'first')"),
    "intake": ("identity_access_log", "INSERT INTO identity_access_log (tracking_code, who, reason, outcome) "
                                      "VALUES ('NTR-TEST', 'custodian', 'court order', 'opened')"),
}
# What a service, or someone holding its password, might try on an append-only table.
CHANGES = {
    "UPDATE": "UPDATE {table} SET id = id",
    "DELETE": "DELETE FROM {table}",
    "TRUNCATE": "TRUNCATE {table}",
    "DROP TABLE": "DROP TABLE {table}",
    "DISABLE TRIGGER": "ALTER TABLE {table} DISABLE TRIGGER ALL",
}


@pytest.fixture
def owner_and_service():
    owner, service = servers.new_role(), servers.new_role()
    yield owner, service
    servers.drop_role(service)
    servers.drop_role(owner)


@pytest.fixture(params=sorted(APPEND_ONLY))
def migrated_as_owner(request, owner_and_service, monkeypatch):
    """(service name, the services' role's connection string) of a database its owner migrated, twice."""
    owner, role = owner_and_service
    name, admin_url = servers.new_database(owner=owner)
    monkeypatch.setenv("NETRA_DATABASE_URL", servers.signed_in_as(admin_url, owner))
    monkeypatch.setenv("NETRA_DATABASE_SERVICE_ROLE", role)
    assert migrate([request.param]) == 0
    assert migrate([request.param]) == 0  # every release runs it again: the grants stay the same
    yield request.param, servers.signed_in_as(admin_url, role).replace("+psycopg", "")
    servers.drop_database(name)


def test_the_services_role_adds_and_reads_but_cannot_change_an_append_only_log(migrated_as_owner):
    service, url = migrated_as_owner
    table, insert = APPEND_ONLY[service]
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone() == (False,)
        conn.execute(insert)
        before = conn.execute(f"SELECT * FROM {table}").fetchall()
        assert len(before) == 1
        for change, statement in CHANGES.items():
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
                conn.execute(statement.format(table=table))
            # PostgreSQL's privileges refuse it, before the table's own trigger is ever asked.
            assert f"permission denied for table {table}" in str(refused.value) \
                or f"must be owner of table {table}" in str(refused.value), (change, str(refused.value))
        conn.execute(insert)
        assert conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()[:1] == before
        triggers = conn.execute("SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass "
                                "AND NOT tgisinternal", (table,)).fetchall()
        assert len(triggers) == 2 and {enabled for _, enabled in triggers} == {"O"}  # O: enabled


def test_the_services_role_works_its_other_tables_and_only_reads_the_schema_version(migrated_as_owner):
    service, url = migrated_as_owner
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO outbox (event_id, event_type, body) VALUES ('e-1', 'test.sent', '{}')")
        conn.execute("UPDATE outbox SET published_at = now() WHERE event_id = 'e-1'")
        conn.execute("DELETE FROM outbox WHERE event_id = 'e-1'")
        assert conn.execute(f"SELECT count(*) FROM alembic_version_{service}").fetchone() == (1,)
        for statement in (f"UPDATE alembic_version_{service} SET version_num = version_num",
                          "CREATE TABLE scratch (id integer)", "DROP TABLE outbox"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_migrate_refuses_to_grant_the_services_role_to_the_owner(owner_and_service, monkeypatch):
    owner, _ = owner_and_service
    name, admin_url = servers.new_database(owner=owner)
    try:
        monkeypatch.setenv("NETRA_DATABASE_URL", servers.signed_in_as(admin_url, owner))
        monkeypatch.setenv("NETRA_DATABASE_SERVICE_ROLE", owner)
        assert migrate(["desk"]) == 1
    finally:
        servers.drop_database(name)
