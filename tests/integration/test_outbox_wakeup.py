"""The relay wakes when another process commits outbox rows (PostgreSQL LISTEN/NOTIFY), instead of polling.

The relay under test is given a patience of 120 s: an event it publishes within the test's 20 s wait was
published because the database told it, not because it looked again on its own.
"""
import json
import threading

import pytest
from sqlalchemy import insert, text

from services.common.envelope import new_event
from services.common.outbox import Wakeup, run_relay
from services.intake.tables import outbox
from tests.support.migrated import migrated_database
from tests.support.waiting import wait_until

database_url = migrated_database("intake")


def write_event(engine, event: dict) -> None:
    """As intake's web process does: the row in a transaction of its own connection."""
    with engine.begin() as conn:
        conn.execute(insert(outbox).values(event_id=event["event_id"], event_type=event["event_type"],
                                           body=json.dumps(event)))


def an_event() -> dict:
    return new_event("complaint.submitted", {"complaint_id": "c"}, correlation_id="corr", producer="test")


def published_soon(published: list, event: dict) -> None:
    wait_until(lambda: event["event_id"] in {e["event_id"] for e in published}, f"{event['event_id']} published", 20)


@pytest.fixture
def relay(engine):
    """The relay in a thread with a patience of 120 s; yields what it published."""
    published, stop = [], threading.Event()
    thread = threading.Thread(target=run_relay, args=(engine, outbox, published.extend, stop,
                                                      Wakeup(engine, patience=120)))
    thread.start()
    yield published
    stop.set()
    write_event(engine, an_event())  # wakes the relay so that it sees stop
    thread.join(30)
    assert not thread.is_alive()


def test_a_committed_row_wakes_the_relay_long_before_its_patience_runs_out(engine, relay):
    first = an_event()
    write_event(engine, first)  # may come before LISTEN: the first look after (re)connecting finds it
    published_soon(relay, first)
    for _ in range(3):  # each later one can only be found through a notification
        event = an_event()
        write_event(engine, event)
        published_soon(relay, event)


def test_the_relay_listens_again_after_its_connection_was_cut(engine, relay):
    published_soon(relay, write_and_return(engine))
    with engine.begin() as conn:
        cut = conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE query = 'LISTEN netra_outbox' AND datname = current_database()")).all()
    assert cut == [(True,)]
    published_soon(relay, write_and_return(engine))
    published_soon(relay, write_and_return(engine))


def write_and_return(engine) -> dict:
    event = an_event()
    write_event(engine, event)
    return event
