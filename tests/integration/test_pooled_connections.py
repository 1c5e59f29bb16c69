"""A service's database pool against real PostgreSQL: a pooled connection the server dropped is found by the
ping and replaced before a statement meets it, as long as it sat idle; one in use a moment ago is not pinged."""
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from services.common.db import make_engine, one_statement, ping_if_idle
from tests.support.servers import PG_ADMIN_URL

URL = PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1)


def backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def drop(pid: int) -> None:
    """What a PostgreSQL restart does to every pooled connection, done to one."""
    killer = make_engine(URL)
    with killer.begin() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    killer.dispose()


def test_an_idle_connection_the_server_dropped_is_replaced_unseen():
    engine = make_engine(URL)
    ping_if_idle(engine, 0)  # every connection back in the pool counts as idle
    first = backend_pid(engine)
    drop(first)
    assert backend_pid(engine) != first  # no error: the ping found it dead, the pool connected anew
    engine.dispose()


def test_a_connection_in_use_a_moment_ago_is_not_pinged_and_the_pool_recovers_after_one_failure():
    engine = make_engine(URL)  # pings only after PING_AFTER_IDLE_SECONDS (1 s) in the pool
    first = backend_pid(engine)
    drop(first)
    with pytest.raises(OperationalError):
        backend_pid(engine)  # handed back just now: not pinged, so the statement meets the dead connection
    assert backend_pid(engine) != first  # which SQLAlchemy threw away
    engine.dispose()


def sent_by(engine, run) -> list[str]:
    """The queries a pooled connection sent to the server while `run` ran (libpq's protocol trace)."""
    import os
    import tempfile
    with tempfile.NamedTemporaryFile("r") as trace:
        fd = os.open(trace.name, os.O_WRONLY)
        with engine.connect() as conn:
            conn.connection.dbapi_connection.pgconn.trace(fd)
        run()
        with engine.connect() as conn:
            conn.connection.dbapi_connection.pgconn.untrace()
        os.close(fd)
        fields = [line.split("\t") for line in trace.read().splitlines()]
        return [f[4].split('"')[1] for f in fields if len(f) > 4 and f[1] == "F" and f[3] == "Query"]


def test_a_single_statement_write_is_one_round_trip_and_the_connection_goes_back_to_transactions():
    engine = create_engine(URL, pool_size=1, max_overflow=0)  # one connection: the trace sees every checkout

    def in_block():
        with engine.begin() as conn:
            conn.execute(text("SELECT 2"))

    def alone():
        with one_statement(engine).connect() as conn:
            conn.execute(text("SELECT 3"))
    assert [q.split()[0] for q in sent_by(engine, in_block)] == ["BEGIN", "SELECT", "COMMIT"]
    assert sent_by(engine, alone) == ["SELECT 3"]
    assert [q.split()[0] for q in sent_by(engine, in_block)] == ["BEGIN", "SELECT", "COMMIT"]
    engine.dispose()
