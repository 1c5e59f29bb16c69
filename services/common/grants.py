"""What the services' own PostgreSQL role may do in a service database; `python -m services.migrate` grants it.

The role that migrates owns every table; the services sign in as another role (NETRA_DATABASE_SERVICE_ROLE)
that may read and write rows and nothing more. Only an owner may drop or alter a table, so the services'
role cannot drop a table or disable its trigger. A table declared `info={"append_only": True}` (the desk's
audit log, intake's identity access log) it may only read and add to: UPDATE, DELETE and TRUNCATE are not
granted, whatever the application asks. The grants are set anew after every upgrade, so a table added by a
later revision gets them, and a privilege granted by hand on an append-only table is taken back.
"""
from __future__ import annotations

from sqlalchemy import MetaData, Table, text
from sqlalchemy.engine import Connection

READ_WRITE = "SELECT, INSERT, UPDATE, DELETE"
APPEND = "SELECT, INSERT"
READ = "SELECT"


class OwnerAsServiceRole(ValueError):
    pass


def is_append_only(table: Table) -> bool:
    return bool(table.info.get("append_only"))


def privileges(metadata: MetaData, version_table: str) -> dict[str, str]:
    """Each table the service has (its Alembic version table included) and what its role may do there."""
    granted = {name: APPEND if is_append_only(table) else READ_WRITE for name, table in metadata.tables.items()}
    return {**granted, version_table: READ}


def grant_service_role(conn: Connection, metadata: MetaData, version_table: str, role: str) -> None:
    """Sets the role's privileges on the service's tables and sequences (PostgreSQL; in the caller's
    transaction). Refuses the role that migrates: as owner it could do anything anyway."""
    if conn.execute(text("SELECT current_user")).scalar() == role:
        raise OwnerAsServiceRole(f"the services' role {role!r} is the role that migrates and owns the tables; "
                                 "give the services a role of their own")
    quote = conn.dialect.identifier_preparer.quote
    grantee = quote(role)
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {grantee}"))
    for table, allowed in sorted(privileges(metadata, version_table).items()):
        conn.execute(text(f"REVOKE ALL ON TABLE {quote(table)} FROM {grantee}"))
        conn.execute(text(f"GRANT {allowed} ON TABLE {quote(table)} TO {grantee}"))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {grantee}"))
